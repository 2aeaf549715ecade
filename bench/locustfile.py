"""bench/locustfile.py -- the Locust side of `make bench`.

Two FastHttpUser classes, picked on the command line by name:
  ThroughputUser  one task GET "/", no think time   (= bench/bench.swarm)
  MemoryUser      one task GET "/", 10 s think time (= bench/mem.swarm)
The host comes from -H; bench/run.sh passes the local nginx's URL.
"""
from locust import FastHttpUser, constant, task


class ThroughputUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def get_root(self):
        self.client.get("/")


class MemoryUser(FastHttpUser):
    wait_time = constant(10)

    @task
    def get_root(self):
        self.client.get("/")
