"""bench/csvstat.py -- read the numbers bench/run.sh needs from the
Locust-format CSV files that both Locust and Swarm write.

  python3 bench/csvstat.py PREFIX
prints one line "REQUESTS FAILURES MAXUSERS" taken from PREFIX_stats.csv
(the Aggregated row) and PREFIX_stats_history.csv (the largest User Count;
-1 when that file is absent or has no rows). Exits 1, printing nothing on
stdout, when PREFIX_stats.csv is missing or has no Aggregated row.
"""
import csv
import sys


def aggregated(path):
    """Return (requests, failures) of the Aggregated row of a _stats.csv."""
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row.get("Name") == "Aggregated":
                return int(row["Request Count"]), int(row["Failure Count"])
    raise ValueError("no Aggregated row in " + path)


def max_users(path):
    """Return the largest User Count in a _stats_history.csv, or -1."""
    best = -1
    try:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                try:
                    best = max(best, int(float(row.get("User Count") or -1)))
                except ValueError:
                    pass
    except OSError:
        pass
    return best


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: csvstat.py PREFIX\n")
        return 2
    prefix = sys.argv[1]
    try:
        reqs, fails = aggregated(prefix + "_stats.csv")
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("csvstat: %s\n" % e)
        return 1
    print(reqs, fails, max_users(prefix + "_stats_history.csv"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
