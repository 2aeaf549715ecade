/*
 * builtins.h -- the seeded random number generator every random choice in
 * the runtime uses (built-ins, task choice, think times), so that --seed
 * makes a run repeatable, and the base64 encoder shared by base64() and the
 * web server's basic auth. The built-in functions themselves are in sw.h.
 *
 * Ownership: sw_base64_encode writes into the caller's buffer.
 */
#ifndef SW_BUILTINS_H
#define SW_BUILTINS_H

#include <stddef.h>
#include <stdint.h>

void sw_rng_seed(uint64_t seed);
uint64_t sw_rng_u64(void);
double sw_rng_uniform(void);             /* [0, 1) */
int64_t sw_rng_range(int64_t a, int64_t b); /* integer in [a, b], unbiased */

/* Bytes sw_base64_encode needs for n input bytes (the NUL included). */
#define SW_BASE64_SIZE(n) (((n) + 2) / 3 * 4 + 1)

/* Standard padded base64 (RFC 4648 section 4) of in[0..n) into out, which
 * holds at least SW_BASE64_SIZE(n) bytes; out is NUL-terminated. Returns
 * the length written, the NUL not counted. */
size_t sw_base64_encode(const void *in, size_t n, char *out);

#endif /* SW_BUILTINS_H */
