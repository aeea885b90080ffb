# SPDX-License-Identifier: GPL-3.0-or-later
"""A few lines of TAP for the Python tests that meson runs with protocol 'tap', and
recv_all() and rss_kib(), which the socket tests and benchmarks share.

TAP_ONLY=words runs only the cases whose names contain them, e.g.
TAP_ONLY="udp flood" python3 tests/test-faults.py build/src/cli/sockscope-cli"""

import os
import sys
import traceback


class Tap:
    def __init__(self):
        self.cases = []

    def case(self, fn):
        """Register fn as one test case, named after the function."""
        self.cases.append(fn)
        return fn

    def run(self):
        print(f"1..{len(self.cases)}", flush=True)
        failed = 0
        for number, fn in enumerate(self.cases, 1):
            name = fn.__name__.removeprefix("test_").replace("_", " ")
            only = os.environ.get("TAP_ONLY")
            if only and only not in name:
                print(f"ok {number} {name} # SKIP not in TAP_ONLY", flush=True)
                continue
            try:
                fn()
            except SkipCase as skip:
                print(f"ok {number} {name} # SKIP {skip}", flush=True)
            except Exception:  # noqa: BLE001 - any failure is reported as "not ok"
                failed += 1
                print(f"not ok {number} {name}", flush=True)
                for line in traceback.format_exc().splitlines():
                    print(f"# {line}", flush=True)
                # meson's --print-errorlogs shows a TAP test's stderr only, and CI's log
                # is all there is of a failure on another machine.
                print(f"not ok {number} {name}\n{traceback.format_exc()}", file=sys.stderr,
                      flush=True)
            else:
                print(f"ok {number} {name}", flush=True)
        sys.exit(1 if failed else 0)


class SkipCase(Exception):
    """Raise to skip a case, with the reason as its message."""


def recv_all(sock):
    """Everything a stream socket receives until the peer closes it."""
    chunks = []
    while True:
        data = sock.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def rss_kib(pid):
    """A process's resident memory in KiB, from /proc; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
