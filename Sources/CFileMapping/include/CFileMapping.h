#ifndef SEAT_SYNC_CFILEMAPPING_H
#define SEAT_SYNC_CFILEMAPPING_H

#include <stdbool.h>
#include <stddef.h>

/* A file mapped read-only that may shrink under the reader.

   A page of a mapping past the end of its file raises SIGBUS, which kills the process. A source file is rewritten
   in place (`cp` truncates it first) while seat-sync reads it, so a mapped read must survive that: while a mapping
   is open, a SIGBUS at one of its addresses replaces the whole mapping with zero pages and marks it cut, and the
   reader, which checks the file after reading it anyway, refuses the read. A SIGBUS anywhere else goes to the
   handler that was there before, as if this one did not exist. */
typedef struct {
    const unsigned char *bytes;
    size_t length;
    int slot;
} seat_mapping;

/* Maps `length` bytes of `descriptor` (length > 0); pages are faulted in as they are read.
   Returns 0, or an errno value when the file cannot be mapped or all guarded slots are taken. */
int seat_mapping_open(int descriptor, size_t length, seat_mapping *mapping);

/* Whether a read of the mapping found a page past the end of the file (or one the kernel could not read). */
bool seat_mapping_was_cut(seat_mapping mapping);

/* Unmaps it; its addresses are no longer guarded. */
void seat_mapping_close(seat_mapping mapping);

#endif
