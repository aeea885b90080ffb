#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up time and memory of Sockscope, as ratios to a bare libadwaita
window (bench-bare-window) measured in the same run on the same display.

Start-up is the time from spawning the process to its window being mapped
on the X server; memory is the resident set once the window is up. Runs are
alternated so that a busy machine slows both alike; medians are reported.
The processor time each process has used when its window is mapped is
reported too: on a machine shared with other work it varies far less than
the time on the clock, which waits for whatever else runs."""

import os
import queue
import statistics
import subprocess
import sys
import threading
import time

RUNS = int(os.environ.get("SOCKSCOPE_BENCH_RUNS", "10"))


class MapWatcher:
    """Hears every window mapped on the root window through one lasting X
    connection (xev), and stamps each when it arrives. Polling the server
    instead would mean hundreds of short connections a second, which Xvfb
    does not keep up with."""

    def __init__(self):
        self.events = queue.Queue()
        self.process = subprocess.Popen(["stdbuf", "-oL", "xev", "-root", "-event", "substructure"],
                                        stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            if line.startswith("MapNotify"):
                self.events.put(time.monotonic())

    def drain(self):
        while not self.events.empty():
            self.events.get_nowait()

    def next_map(self, timeout):
        return self.events.get(timeout=timeout)

    def close(self):
        self.process.terminate()
        self.process.wait()


def rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_ms(pid):
    """User and system time the process has used so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def one_run(watcher, argv, env):
    watcher.drain()
    start = time.monotonic()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        try:
            mapped = watcher.next_map(timeout=30)
        except queue.Empty:
            raise RuntimeError(f"{argv[0]} showed no window (exit status {process.poll()})")
        cpu = cpu_ms(process.pid)
        time.sleep(0.5)  # the first frames, then a steady resident set
        return mapped - start, rss_kib(process.pid), cpu
    finally:
        process.terminate()
        process.wait(timeout=10)


def main():
    if not os.environ.get("DISPLAY"):
        print("bench-startup: no X display; run it through ./build-aux/test --benchmark")
        return 77
    sockscope, reference = sys.argv[1], sys.argv[2]
    env = dict(os.environ, GSETTINGS_BACKEND="memory", GTK_A11Y="none", NO_AT_BRIDGE="1")
    results = {"sockscope": [], "reference": []}
    watcher = MapWatcher()
    try:
        time.sleep(0.2)  # xev has its connection and listens
        for _ in range(RUNS):
            results["sockscope"].append(one_run(watcher, [sockscope], env))
            results["reference"].append(one_run(watcher, [reference], env))
    finally:
        watcher.close()

    t_app = statistics.median(t for t, _, _ in results["sockscope"])
    t_ref = statistics.median(t for t, _, _ in results["reference"])
    m_app = statistics.median(m for _, m, _ in results["sockscope"])
    m_ref = statistics.median(m for _, m, _ in results["reference"])
    c_app = statistics.median(c for _, _, c in results["sockscope"])
    c_ref = statistics.median(c for _, _, c in results["reference"])
    print(f"startup: sockscope {t_app * 1000:.0f} ms, bare libadwaita window "
          f"{t_ref * 1000:.0f} ms: ratio {t_app / t_ref:.2f} (median of {RUNS})")
    print(f"processor time to the window mapped: sockscope {c_app:.0f} ms, bare libadwaita "
          f"window {c_ref:.0f} ms: ratio {c_app / c_ref:.2f} (median of {RUNS})")
    print(f"memory: sockscope {m_app / 1024:.1f} MiB RSS, bare libadwaita window "
          f"{m_ref / 1024:.1f} MiB: ratio {m_app / m_ref:.2f} (median of {RUNS})")
    return 0


sys.exit(main())
