/* The shim stands in for include/linux/highmem.h where a tree lacks it: mm/highmem.c
 * needs only the declarations kshim.h makes (see kshim.h). */
#include "../../kshim.h"
