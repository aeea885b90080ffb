#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs bench-lookup inside the DNS namespace of tests/dnsns.py, with the
test zone plus n0 … n(N-1).sockscope.test for its concurrent lookups.
SOCKSCOPE_BENCH_LOOKUPS (default 200) and SOCKSCOPE_BENCH_ROUNDS_LOOKUP
(default 3) change the load. Root only: elsewhere it says why and is
skipped (exit status 77)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from dnsns import DnsNamespace, Unavailable, numbered_hosts  # noqa: E402

BENCH = os.path.abspath(sys.argv[1])
COUNT = int(os.environ.get("SOCKSCOPE_BENCH_LOOKUPS", "200"))
ROUNDS = int(os.environ.get("SOCKSCOPE_BENCH_ROUNDS_LOOKUP", "3"))


def main():
    try:
        ns = DnsNamespace(extra_hosts=numbered_hosts(COUNT)).start()
    except Unavailable as reason:
        print(f"bench-lookup: {reason}")
        return 77
    try:
        result = ns.run([BENCH, str(COUNT), str(ROUNDS)], timeout=600)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        return result.returncode
    finally:
        ns.stop()


sys.exit(main())
