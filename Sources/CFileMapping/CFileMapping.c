/* See CFileMapping.h. In C because a SIGBUS handler must run without the Swift runtime: it may only make
   async-signal-safe calls (`mmap` and `sigaction` are plain system calls on Linux) and touch lock-free atomics. */
#define _GNU_SOURCE
#include "CFileMapping.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* More mappings than seat-sync ever has open at once (one per snapshot source being read). */
#define SLOT_COUNT 64

typedef struct {
    atomic_bool taken;
    /* Zero while the slot is being filled or emptied, so the handler never sees a start without its length. */
    _Atomic(uintptr_t) start;
    _Atomic(size_t) length;
    atomic_bool cut;
} slot;

static slot slots[SLOT_COUNT];
static struct sigaction previous;
static pthread_once_t installed = PTHREAD_ONCE_INIT;
static int install_error;

static void on_sigbus(int signal, siginfo_t *info, void *context) {
    (void)signal;
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int index = 0; index < SLOT_COUNT; index++) {
        uintptr_t start = atomic_load(&slots[index].start);
        size_t length = atomic_load(&slots[index].length);
        if (start == 0 || address < start || address - start >= length) continue;
        void *zeros = mmap((void *)start, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros == MAP_FAILED) break;
        atomic_store(&slots[index].cut, true);
        return;
    }
    /* Not a guarded address: the handler from before takes over. A fault raises SIGBUS again as the faulting
       instruction runs again; a SIGBUS sent with kill(2) is sent again. */
    sigaction(SIGBUS, &previous, NULL);
    if (info->si_code <= 0) raise(SIGBUS);
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGBUS, &action, &previous) != 0) install_error = errno;
}

int seat_mapping_open(int descriptor, size_t length, seat_mapping *mapping) {
    pthread_once(&installed, install);
    if (install_error != 0) return install_error;
    int index = 0;
    for (; index < SLOT_COUNT; index++) {
        bool expected = false;
        if (atomic_compare_exchange_strong(&slots[index].taken, &expected, true)) break;
    }
    if (index == SLOT_COUNT) return EBUSY;
    void *bytes = mmap(NULL, length, PROT_READ, MAP_PRIVATE, descriptor, 0);
    if (bytes == MAP_FAILED) {
        int error = errno;
        atomic_store(&slots[index].taken, false);
        return error;
    }
    atomic_store(&slots[index].cut, false);
    atomic_store(&slots[index].length, length);
    atomic_store(&slots[index].start, (uintptr_t)bytes);
    mapping->bytes = bytes;
    mapping->length = length;
    mapping->slot = index;
    return 0;
}

bool seat_mapping_was_cut(seat_mapping mapping) {
    return atomic_load(&slots[mapping.slot].cut);
}

void seat_mapping_close(seat_mapping mapping) {
    atomic_store(&slots[mapping.slot].start, 0);
    munmap((void *)mapping.bytes, mapping.length);
    atomic_store(&slots[mapping.slot].taken, false);
}
