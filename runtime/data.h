/*
 * data.h -- test data files (issue 9, data.c): loading every `data` source
 * of a script before the run, and the cluster seam for next().
 *
 * Ownership: the rows belong to each sw_data (the script's static tables)
 * from sw_data_load_all until sw_data_free_all.
 */
#ifndef SW_DATA_H
#define SW_DATA_H

#include <stddef.h>
#include "sw.h"

/* Load every data source of script, paths relative to dir (NULL or "": the
 * working directory; absolute paths as they are). On a missing or malformed
 * file: -1 with "FILE:LINE: what" in err (LINE omitted when unknown). */
int sw_data_load_all(sw_script *script, const char *dir, char *err, size_t cap);
void sw_data_free_all(sw_script *script);

/* Parse CSV text (header row, then rows; RFC 4180 quoting) into a list of
 * objects. -1 with "LINE: what" in err when malformed. */
int sw_data_parse_csv(const char *text, size_t len, sw_val *rows, char *err, size_t cap);
/* The line of the first JSON syntax error in text, or 0 when it is valid
 * JSON (one value, nothing after it). */
int sw_data_json_error_line(const char *text, size_t len);

/* Cluster seam (issue 7): slave `index` of `count` hands out rows index,
 * index + count, index + 2 count, ... so that no two slaves hand out the
 * same row while rows last. Standalone: (0, 1), the default. */
void sw_data_stride(int index, int count);

#endif /* SW_DATA_H */
