/*
 * builtins.h -- the seeded random number generator every random choice in
 * the runtime uses (built-ins, task choice, think times), so that --seed
 * makes a run repeatable. The built-in functions themselves are in sw.h.
 */
#ifndef SW_BUILTINS_H
#define SW_BUILTINS_H

#include <stdint.h>

void sw_rng_seed(uint64_t seed);
uint64_t sw_rng_u64(void);
double sw_rng_uniform(void);             /* [0, 1) */
int64_t sw_rng_range(int64_t a, int64_t b); /* integer in [a, b], unbiased */

#endif /* SW_BUILTINS_H */
