#!/usr/bin/env python3
"""Search latency over HTTP, one keep-alive connection, requests one after another, so each
latency is one request's time on the wire plus in the server (no queueing behind others).

    python3 bench/search_quality/http_latency.py --port 8080 --queries queries.txt [--repeat 1]

Prints p50/p90/p99/max in milliseconds. queries.txt has one query a line (bench/run's Zipf log
of 1-3 corpus words is a good input). Pass --repeat 2 to measure the result cache: the second
round is served from it.
"""
import argparse
import socket
import time
import urllib.parse


def read_response(sock, buf):
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    status = int(head.split(b" ", 2)[1])
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        rest += chunk
    return status, rest[length:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    queries = [q for q in open(args.queries, encoding="utf-8").read().splitlines() if q]
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=10)
    buf = b""
    for round_ in range(args.repeat):
        times = []
        for q in queries:
            req = (f"GET /api/search?q={urllib.parse.quote(q)} HTTP/1.1\r\nHost: bench\r\n"
                   "Accept-Encoding: identity\r\n\r\n").encode()
            t0 = time.perf_counter()
            sock.sendall(req)
            status, buf = read_response(sock, buf)
            times.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise SystemExit(f"{q!r}: status {status}")
        times.sort()
        pick = lambda p: times[min(len(times) - 1, int(p * (len(times) - 1) + 0.5))]
        print(f"round {round_ + 1}: {len(times)} requests, p50 {pick(0.5):.3f} ms, "
              f"p90 {pick(0.9):.3f} ms, p99 {pick(0.99):.3f} ms, max {times[-1]:.3f} ms")
    sock.close()


if __name__ == "__main__":
    main()
