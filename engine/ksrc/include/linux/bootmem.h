#include "../../kshim.h"	/* see kshim.h */
