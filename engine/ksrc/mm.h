#include "kshim.h"	/* arch/arm/mm/mm.h: see kshim.h */
