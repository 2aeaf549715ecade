#!/usr/bin/python3
"""bench/fleet.py -- a simulated fleet of Swarm slaves for the master
merge-cost benchmark (bench/cluster.sh). Each simulated slave is one ZeroMQ
DEALER socket that speaks the slave side of the protocol (DISTRIBUTED.md):
client_ready, a heartbeat every second (with Swarm's "swarm" key and the
script hash, so the master treats it as a Swarm slave and heartbeats it
back), and a stats report with ENTRIES entries (each with an exact
histogram of ~30 buckets) every 3 s, spread evenly in time.

usage: fleet.py PORT SLAVES ENTRIES SECONDS SCRIPT_HASH
Prints "sent N reports" at the end."""
import sys, time, random
import msgpack, zmq

port, nslaves, nentries, secs, shash = (int(sys.argv[1]), int(sys.argv[2]),
                                         int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
ctx = zmq.Context()
rng = random.Random(1)


def entry(name, start):
    b = {}
    total = 0
    for _ in range(30):
        idx = rng.randrange(600, 1200)
        c = rng.randrange(1, 20)
        b[idx] = b.get(idx, 0) + c
        total += c
    return {"name": name, "method": "GET", "last_request_timestamp": start + 2.9,
            "start_time": start, "num_requests": total, "num_none_requests": 0,
            "num_failures": 0, "total_response_time": total * 12.5, "max_response_time": 90.0,
            "min_response_time": 1.0, "total_content_length": total * 100,
            "response_times": {12: total}, "num_reqs_per_sec": {int(start): total},
            "num_fail_per_sec": {},
            "swarm_hist": {"total_us": total * 12500, "min_us": 1000, "max_us": 90000, "b": b}}


def report(node):
    now = time.time()
    es = [entry("/api/endpoint/%d" % k, now - 3) for k in range(nentries)]
    tot = dict(es[0] if es else entry("Aggregated", now - 3))
    tot["name"], tot["method"] = "Aggregated", ""
    return msgpack.packb(["stats", {"stats": es, "stats_total": tot, "errors": {},
                                    "user_classes_count": {"U": 1}, "user_count": 1,
                                    "swarm": {"proto": 1, "exceptions": []}}, node])


nodes = []
for i in range(nslaves):
    nid = "sim%05d_%032x" % (i, i)
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.IDENTITY, nid.encode())
    s.setsockopt(zmq.LINGER, 0)
    s.connect("tcp://127.0.0.1:%d" % port)
    s.send(msgpack.packb(["client_ready", -1, nid]))
    nodes.append((nid, s, report(nid)))
hb = {nid: msgpack.packb(["heartbeat", {"state": "ready", "current_cpu_usage": 1.0,
                                        "current_memory_usage": 1 << 24,
                                        "swarm": {"proto": 1, "version": "0.1.0",
                                                  "script": shash}}, nid])
      for nid, _, _ in nodes}
t0 = time.time()
sent = 0
tick = 0
while time.time() - t0 < secs:
    # one tick every 100 ms: a tenth of the heartbeats, a thirtieth of the reports
    for k, (nid, s, rep) in enumerate(nodes):
        if k % 10 == tick % 10:
            s.send(hb[nid], zmq.NOBLOCK)
        if k % 30 == tick % 30:
            s.send(rep, zmq.NOBLOCK)
            sent += 1
        while s.poll(0):
            s.recv()            # the master's heartbeats
    tick += 1
    time.sleep(max(0.0, t0 + tick * 0.1 - time.time()))
print("sent %d reports" % sent)
for _, s, _ in nodes:
    s.close()
ctx.term()
