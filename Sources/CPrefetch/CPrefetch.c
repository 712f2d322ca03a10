/* The header alone is the module; SwiftPM wants a source file in a C target. */
#include "CPrefetch.h"
