#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

// libcurl's types and constants, and the functions seat-sync calls it through. The functions are in the CCurlLoader
// target, which opens libcurl on first use (dlopen) rather than at start: the library and the thirty it needs took
// about 6 ms of every start, and only the commands that talk to Commet use them.
//
// curl_easy_setopt and curl_easy_getinfo are C variadics, which Swift cannot call: the typed wrappers give Swift
// one entry point per argument type.
#include <curl/curl.h>
#include <stddef.h>

/// Opens libcurl (`name`, its soname) and, the first time one opens, finds every function below. Returns 0 when
/// `name` opened, else -1 with why in `error` (at most `size` bytes, NUL-terminated).
int ccurl_load(const char *name, char *error, size_t size);

// Valid only once ccurl_load has returned 0.
CURLcode ccurl_global_init(void);
CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
void ccurl_easy_reset(CURL *handle);
CURLcode ccurl_easy_perform(CURL *handle);
const char *ccurl_easy_strerror(CURLcode code);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *line);
void ccurl_slist_free_all(struct curl_slist *list);
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback value);
CURLcode ccurl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback value);
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
