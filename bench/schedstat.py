#!/usr/bin/env python3
"""bench/schedstat.py LOG -- p50/p99/max/min of the runtime's DEBUG lines
"wait: user N started X ms after its due time" (X negative = early), as a
--loglevel DEBUG run of bench/sched.swarm writes them. Prints
"count p50 p99 max min early" or "0 - - - - -"."""
import sys

vals = []
with open(sys.argv[1], errors="replace") as f:
    for line in f:
        i = line.find(" after its due time")
        if i >= 0 and "wait: user " in line:
            try:
                vals.append(float(line[:i].split()[-2]))
            except (ValueError, IndexError):
                pass
if not vals:
    print("0 - - - - -")
else:
    vals.sort()
    def pct(p):
        return vals[min(len(vals) - 1, int(p * len(vals)))]
    print(len(vals), "%.3f %.3f %.3f %.3f" % (pct(0.5), pct(0.99), vals[-1], vals[0]),
          sum(1 for v in vals if v < 0))
