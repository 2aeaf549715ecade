/*
 * rt.c -- the runtime's one process-wide state record, sw_rt (rt.h says
 * who owns what it points to).
 */
#include "rt.h"

sw_runtime sw_rt;
