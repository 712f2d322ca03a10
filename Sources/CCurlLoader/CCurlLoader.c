#include "../CCurl/shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// libcurl's functions, found once by ccurl_load; written under the lock, read only after it returned 0.
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *line);
    void (*slist_free_all)(struct curl_slist *list);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
} curl;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int loaded;

static int find(void *library, const char *name, const char *symbol, void **function, char *error, size_t size) {
    *function = dlsym(library, symbol);
    if (*function == NULL) {
        snprintf(error, size, "%s has no %s", name, symbol);
        return -1;
    }
    return 0;
}

int ccurl_load(const char *name, char *error, size_t size) {
    pthread_mutex_lock(&lock);
    // Opened even when a libcurl is open already (dlopen then only counts a reference), so that whether `name`
    // opens does not depend on what was opened before.
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(error, size, "%s", reason != NULL ? reason : name);
        pthread_mutex_unlock(&lock);
        return -1;
    }
    if (loaded) {
        dlclose(library);
        pthread_mutex_unlock(&lock);
        return 0;
    }
    int failed = find(library, name, "curl_global_init", (void **)&curl.global_init, error, size)
        || find(library, name, "curl_easy_init", (void **)&curl.easy_init, error, size)
        || find(library, name, "curl_easy_cleanup", (void **)&curl.easy_cleanup, error, size)
        || find(library, name, "curl_easy_reset", (void **)&curl.easy_reset, error, size)
        || find(library, name, "curl_easy_perform", (void **)&curl.easy_perform, error, size)
        || find(library, name, "curl_easy_strerror", (void **)&curl.easy_strerror, error, size)
        || find(library, name, "curl_slist_append", (void **)&curl.slist_append, error, size)
        || find(library, name, "curl_slist_free_all", (void **)&curl.slist_free_all, error, size)
        || find(library, name, "curl_easy_setopt", (void **)&curl.easy_setopt, error, size)
        || find(library, name, "curl_easy_getinfo", (void **)&curl.easy_getinfo, error, size);
    if (failed) {
        dlclose(library);
    } else {
        loaded = 1;
    }
    pthread_mutex_unlock(&lock);
    return failed ? -1 : 0;
}

CURLcode ccurl_global_init(void) { return curl.global_init(CURL_GLOBAL_DEFAULT); }
CURL *ccurl_easy_init(void) { return curl.easy_init(); }
void ccurl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }
void ccurl_easy_reset(CURL *handle) { curl.easy_reset(handle); }
CURLcode ccurl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }
const char *ccurl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *line) {
    return curl.slist_append(list, line);
}

void ccurl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback value) {
    return curl.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}

CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl.easy_getinfo(handle, info, value);
}
