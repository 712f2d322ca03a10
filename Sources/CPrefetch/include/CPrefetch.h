#ifndef SEAT_SYNC_CPREFETCH_H
#define SEAT_SYNC_CPREFETCH_H

/* Swift has no prefetch instruction of its own; a static inline function is compiled into the Swift module that
   calls it, so this costs no call. */
static inline void seat_prefetch(const void *address) {
    __builtin_prefetch(address);
}

#endif
