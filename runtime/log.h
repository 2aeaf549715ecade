/*
 * log.h -- the log lines of the load binary (sw_logf, sw_wall and
 * sw_timer_ms are declared in rt.h). Lines go to stderr, below the level in
 * sw_rt.opts.loglevel they are dropped.
 */
#ifndef SW_LOG_H
#define SW_LOG_H

#include "rt.h"

/* "DEBUG", "INFO", "WARNING", "ERROR" */
const char *sw_log_level_name(int level);

#endif /* SW_LOG_H */
