"""The WAN glass bench's emulated network: a userspace `tc netem`.

This machine's kernel has no sch_netem (nor modules to load it), so the link
between the host's network namespace and the receivers' is two TUN devices
with this process in between, moving IP packets from one to the other after
the profile's delay, jitter, loss, rate and queue. Usage (as root):

    wire.py <netns> <root addr> <ns addr> <one-way delay ms> <jitter ms> <loss %> <rate kbit/s> <queue ms>

It makes tun `bgw<pid>r` in the root namespace (<root addr>) and `bgw<pid>h`
moved into <netns> (<ns addr>), a /30 point to point, prints {"ready":true},
and then answers each `stats` line on stdin with the bytes and packets it
carried each way, and each `profile <delay> <jitter> <loss> <rate> <queue>`
line by taking those figures from then on (one wire for a run's conditions,
so the broker can listen on <root addr> throughout). It ends when stdin closes (its parent is gone); the tun
devices vanish with their file descriptors.

Per direction, as netem with `delay D J rate R limit` would, except that
packets stay in order (jitter delays a packet, never past the next one: an
access link queues, it does not reorder):
- loss: each packet dropped with the given probability, independently;
- rate: packets leave one after another at R (serialisation delay);
- queue: a packet that would wait longer than <queue ms> to be sent is
  dropped (a tail-drop buffer sized in time);
- delay: D plus a normal sample of standard deviation J (at least 0).
"""
import fcntl
import heapq
import json
import os
import random
import selectors
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

ns, root_addr, ns_addr = sys.argv[1:4]
delay, jitter, loss, rate_kbit, queue_ms = (float(v) for v in sys.argv[4:9])


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def sh(*args):
    subprocess.run(args, check=True)


r_name, h_name = f"bgw{os.getpid()}r", f"bgw{os.getpid()}h"
r_fd, h_fd = tun(r_name), tun(h_name)
sh("ip", "link", "set", h_name, "netns", ns)
sh("ip", "addr", "add", root_addr, "peer", ns_addr, "dev", r_name)
sh("ip", "link", "set", r_name, "up")
sh("ip", "-n", ns, "addr", "add", ns_addr, "peer", root_addr, "dev", h_name)
sh("ip", "-n", ns, "link", "set", h_name, "up")
sh("ip", "-n", ns, "link", "set", "lo", "up")
# Chromium's WebRTC gathers on the default route's interface only (its
# default IP handling policy): without one the host's Chromium offers nothing.
sh("ip", "-n", ns, "route", "add", "default", "dev", h_name)


class Direction:
    def __init__(self, out_fd):
        self.out_fd = out_fd
        self.link_free = 0.0  # when the link has sent what is queued
        self.last_due = 0.0  # keeps the order
        self.pending = []  # (due, seq, packet)
        self.seq = 0
        self.stats = {"bytes": 0, "packets": 0, "lost": 0, "queueDrops": 0}

    def take(self, packet, now):
        if random.random() * 100 < loss:
            self.stats["lost"] += 1
            return
        start = max(now, self.link_free)
        if rate_kbit > 0 and (start - now) * 1000 > queue_ms:
            self.stats["queueDrops"] += 1
            return
        sent = start + (len(packet) * 8 / (rate_kbit * 1000) if rate_kbit > 0 else 0)
        self.link_free = sent
        extra = max(0.0, random.gauss(delay, jitter)) if jitter > 0 else delay
        due = max(sent + extra / 1000, self.last_due)
        self.last_due = due
        self.seq += 1
        heapq.heappush(self.pending, (due, self.seq, packet))

    def deliver(self, now):
        while self.pending and self.pending[0][0] <= now:
            _, _, packet = heapq.heappop(self.pending)
            try:
                os.write(self.out_fd, packet)
                self.stats["bytes"] += len(packet)
                self.stats["packets"] += 1
            except OSError:
                pass  # the other side is down for a moment: a lost packet

    def next_due(self):
        return self.pending[0][0] if self.pending else None


# Up: host namespace → receivers (read from the ns tun, written to the root one).
up, down = Direction(r_fd), Direction(h_fd)
sel = selectors.DefaultSelector()
sel.register(h_fd, selectors.EVENT_READ, up)
sel.register(r_fd, selectors.EVENT_READ, down)
sel.register(sys.stdin, selectors.EVENT_READ, None)
print(json.dumps({"ready": True, "root": r_name, "ns": h_name}), flush=True)

while True:
    now = time.monotonic()
    dues = [d for d in (up.next_due(), down.next_due()) if d is not None]
    timeout = max(0.0, min(dues) - now) if dues else None
    for key, _ in sel.select(timeout):
        if key.data is None:
            line = sys.stdin.readline()
            if not line:
                sys.exit(0)
            words = line.split()
            if words == ["stats"]:
                print(json.dumps({"up": up.stats, "down": down.stats}), flush=True)
            elif words[:1] == ["profile"] and len(words) == 6:
                delay, jitter, loss, rate_kbit, queue_ms = (float(v) for v in words[1:])
                print(json.dumps({"profile": words[1:]}), flush=True)
            continue
        now = time.monotonic()
        for _ in range(64):  # drain what is readable, bounded so the other side gets its turn
            try:
                packet = os.read(key.fd, 65536)
            except BlockingIOError:
                break
            except OSError:
                sys.exit(0)  # the namespace (and its tun) is gone: the bench is over
            key.data.take(packet, now)
    now = time.monotonic()
    up.deliver(now)
    down.deliver(now)
