# SPDX-License-Identifier: GPL-3.0-or-later
"""Clients that load an echo server and check every byte: each sends random
chunks of 1 to 16,384 bytes for a while, reads the echo back before the next
one, and compares SHA-256 digests of what went and what came. Used by
tests/test-faults.py and by the load benchmark, which runs it as

    python3 tests/loadclients.py PORT CLIENTS SECONDS

and reads one line of JSON: {"clients": N, "bytes": B, "intact": true}."""

import asyncio
import hashlib
import json
import random
import resource
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


if __name__ == "__main__":
    port, clients, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    raise_descriptor_limit()
    results = asyncio.run(many_clients(port, clients, seconds))
    print(json.dumps({"clients": len(results), "bytes": sum(n for n, _ in results),
                      "intact": all(ok for _, ok in results)}), flush=True)
