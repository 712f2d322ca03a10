#ifndef SEAT_SYNC_CCURLLOADER_H
#define SEAT_SYNC_CCURLLOADER_H

/* The functions this target defines are declared in the CCurl module's shim.h, which Swift imports. */

#endif
