# SPDX-License-Identifier: GPL-3.0-or-later
"""Clients that load an echo server and check every byte: each sends random
chunks of 1 to 16,384 bytes for a while, reads the echo back before the next
one, and compares SHA-256 digests of what went and what came. Used by
tests/test-faults.py and by the load benchmark, which runs it as

    python3 tests/loadclients.py PORT CLIENTS SECONDS

and reads one line of JSON: {"clients": N, "bytes": B, "intact": true}.

And the loads of the memory tests and the soak benchmark, which must leave
nothing behind: 1-byte datagrams as fast as one client goes, and connect
and close cycles."""

import asyncio
import hashlib
import json
import random
import resource
import socket
import sys
import time


async def checksummed_client(port, seconds, rng_seed):
    rng = random.Random(rng_seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent, received = hashlib.sha256(), hashlib.sha256()
    n_sent = n_received = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = rng.randbytes(rng.randint(1, 16384))
        writer.write(data)
        sent.update(data)
        n_sent += len(data)
        await writer.drain()
        while n_received < n_sent:
            chunk = await reader.read(65536)
            assert chunk, "the server closed the connection"
            received.update(chunk)
            n_received += len(chunk)
    writer.close()
    await writer.wait_closed()
    return n_sent, sent.digest() == received.digest()


async def many_clients(port, n, seconds):
    """(bytes sent, intact) for each of @n clients at once."""
    return await asyncio.gather(*(checksummed_client(port, seconds, i) for i in range(n)))


def raise_descriptor_limit(wanted=4096):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, wanted), hard))
    return min(hard, wanted)



def udp_ping_pong(port, keep_going):
    """1-byte datagrams to 127.0.0.1:@port, reading the echoes, while
    keep_going() says so. Returns how many were sent."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    s.connect(("127.0.0.1", port))
    sent = 0
    while keep_going():
        for _ in range(64):
            try:
                s.send(b"x")
                sent += 1
            except BlockingIOError:
                pass
        try:
            while True:
                s.recv(16)
        except (BlockingIOError, ConnectionRefusedError):
            pass
    s.close()
    return sent


def connect_close(port, keep_going):
    """Connects to 127.0.0.1:@port, sends a byte, shuts down writing, reads
    the answer to the end, closes; again while keep_going() says so.
    Returns how many cycles were made."""
    cycles = 0
    while keep_going():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(b"x")
                s.shutdown(socket.SHUT_WR)
                while s.recv(16):
                    pass
            cycles += 1
        except OSError:
            time.sleep(0.01)
    return cycles


def for_seconds(seconds):
    end = time.monotonic() + seconds
    return lambda: time.monotonic() < end


def for_count(count):
    left = [count]

    def more():
        left[0] -= 1
        return left[0] >= 0
    return more

if __name__ == "__main__":
    port, clients, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    raise_descriptor_limit()
    results = asyncio.run(many_clients(port, clients, seconds))
    print(json.dumps({"clients": len(results), "bytes": sum(n for n, _ in results),
                      "intact": all(ok for _, ok in results)}), flush=True)
