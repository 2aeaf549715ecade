/*
 * log.h -- the log lines of the load binary (sw_logf and sw_wall are
 * declared in rt.h). Lines go to stderr, below the level in
 * sw_rt.opts.loglevel they are dropped.
 */
#ifndef SW_LOG_H
#define SW_LOG_H

#include "rt.h"

/* "DEBUG", "INFO", "WARNING", "ERROR" */
const char *sw_log_level_name(int level);

#endif /* SW_LOG_H */
