#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`sockscope-cli send` against peers that do not play fair, and files that
do not end: it stops by itself at its limits (bytes received, bytes of a
file sent, time in all) and says so, with its memory bounded; it streams a
file rather than reading it whole; it keeps what a peer sends from acting
on a terminal, while a pipe still gets the exact bytes; and over UDP it
binds the address it sends from, reports the ICMP error of a closed port,
and takes no third party's datagram for the answer. Peers are Python
sockets on loopback (tests/sendpeers.py), or in a network namespace of the
test's own."""

import atexit
import hashlib
import json
import os
import pty
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tty

sys.path.insert(0, os.path.dirname(__file__))
from sendpeers import (ENV, SANITIZED, Flood, Script, Sink, Trickle, UdpTarget,  # noqa: E402
                       closed_udp_port, run)
from taplib import SkipCase, Tap  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
tap = Tap()
WORK = tempfile.mkdtemp(prefix="sockscope-send-")
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
MIB = 1024 * 1024
# Resident memory a bounded `send` stays under: the recorder's 64 MiB of
# payload at most, and the program. Under AddressSanitizer freed blocks
# wait in its quarantine (256 MiB) before they are reused.
RSS_BOUND_KIB = (640 if SANITIZED else 160) * 1024
# Past this, the test kills the client rather than let it take the machine.
RSS_KILL_KIB = RSS_BOUND_KIB + 64 * 1024


def send(*args, **kwargs):
    return run([CLI, "send", *args], **kwargs)


# ---- limits --------------------------------------------------------------

@tap.case
def test_a_peer_that_never_stops_sending_is_stopped_at_64_mib():
    with Flood() as peer:
        result = send("127.0.0.1", str(peer.port), "hi", timeout=60, kill_rss_kib=RSS_KILL_KIB)
    print(f"# never-ending sender, defaults: {result}")
    assert result.code == 3, result
    assert result.out_count == 64 * MIB, result
    assert result.out == b"F" * min(64 * MIB, 16 << 20)
    assert ("Stopped: 64.0 MiB (67108864 bytes) received, the limit of --max-receive. Give a "
            "larger one, or 0 for no limit") in result.err, result
    assert result.peak_kib < RSS_BOUND_KIB, result


@tap.case
def test_max_receive_cuts_at_exactly_that_many_bytes():
    with Flood() as peer:
        result = send("127.0.0.1", str(peer.port), "hi", "--max-receive", "1M", "--read-buffer",
                      "65536", timeout=30, kill_rss_kib=RSS_KILL_KIB)
    assert result.code == 3, result
    assert result.out == b"F" * MIB, result
    assert "Stopped: 1.0 MiB (1048576 bytes) received" in result.err, result


@tap.case
def test_max_time_stops_a_peer_that_sends_a_byte_now_and_then():
    # A byte every 0.2 s: never silent for --timeout, so only the total
    # time can end it.
    with Trickle() as peer:
        result = send("127.0.0.1", str(peer.port), "hi", "--max-time", "2", "--timeout", "10000",
                      timeout=30)
    assert result.code == 3, result
    assert "Stopped after 2 seconds, the limit of --max-time. Give a longer one" in result.err
    assert result.out and set(result.out) == {ord(".")}, result
    # Bounded generously: it must end by itself, not at the test's timeout.
    assert result.seconds < 15, result


@tap.case
def test_help_documents_the_limits_and_the_exit_status():
    result = subprocess.run([CLI, "send", "--help"], capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result
    for words in ("--max-receive=N", "default 64M", "--max-send=N", "--max-time=S",
                  "default 60", "3 when --max-receive, --max-send or --max-time stopped it",
                  "1 when the lookup, the connection, a send or a receive failed",
                  "2 for bad input", "130 on Ctrl+C"):
        assert words in result.stdout, (words, result.stdout)


# ---- files -----------------------------------------------------------------

@tap.case
def test_dev_zero_is_streamed_and_stopped_at_max_send():
    # main read all of /dev/zero into memory before connecting.
    with Sink() as peer:
        result = send("127.0.0.1", str(peer.port), "--file", "/dev/zero", "--shutdown",
                      timeout=60, kill_rss_kib=RSS_KILL_KIB)
        peer.done.wait(20)
    print(f"# /dev/zero with the default --max-send: {result}")
    assert result.code == 3, result
    assert peer.count == 64 * MIB, (peer.count, result)
    assert ("Stopped sending “/dev/zero” after 64.0 MiB (67108864 bytes), the limit of "
            "--max-send") in result.err, result
    assert result.peak_kib < RSS_BOUND_KIB, result


@tap.case
def test_a_file_is_read_as_the_socket_takes_it():
    """A 256 MiB file (sparse, so it costs no disk) with no limit: every byte
    arrives while the client's memory stays far below the file's size; and
    3 MiB of random bytes arrive exact."""
    big = os.path.join(WORK, "sparse-256m")
    with open(big, "wb") as f:
        f.truncate(256 * MIB)
    with Sink() as peer:
        result = send("127.0.0.1", str(peer.port), "--file", big, "--max-send", "0",
                      "--shutdown", "--timeout", "5000", timeout=120, kill_rss_kib=RSS_KILL_KIB)
        peer.done.wait(20)
    print(f"# a 256 MiB file: {result}")
    assert result.code == 0, result
    assert peer.count == 256 * MIB, (peer.count, result)
    assert result.peak_kib < RSS_BOUND_KIB, result

    data = random.Random(7).randbytes(3 * MIB + 17)
    path = os.path.join(WORK, "random.bin")
    with open(path, "wb") as f:
        f.write(data)
    with Sink() as peer:
        result = send("127.0.0.1", str(peer.port), "--file", path, "--chunk", "100000",
                      "--shutdown", timeout=60)
        peer.done.wait(20)
    assert result.code == 0, result
    assert peer.sha.hexdigest() == hashlib.sha256(data).hexdigest(), (peer.count, result)


@tap.case
def test_a_fifo_is_waited_for_not_blocked_on():
    fifo = os.path.join(WORK, "fifo-no-writer")
    os.mkfifo(fifo)
    # No writer ever comes: it connects, waits, and --max-time ends it.
    with Sink() as peer:
        result = send("127.0.0.1", str(peer.port), "--file", fifo, "--max-time", "2",
                      timeout=30)
        connected = peer.connected.is_set()
    assert result.code == 3, result
    assert "Stopped after 2 seconds, the limit of --max-time" in result.err, result
    assert connected and peer.count == 0, (connected, peer.count)
    assert result.seconds < 15, result

    # A writer that comes late and writes in two goes: both arrive.
    fifo = os.path.join(WORK, "fifo-slow-writer")
    os.mkfifo(fifo)

    def writer():
        time.sleep(0.5)
        with open(fifo, "wb", buffering=0) as f:
            f.write(b"abc")
            time.sleep(0.5)
            f.write(b"def\n")

    thread = threading.Thread(target=writer, daemon=True)
    with Sink() as peer:
        thread.start()
        result = send("127.0.0.1", str(peer.port), "--file", fifo, "--shutdown", timeout=30)
        peer.done.wait(20)
    thread.join(10)
    assert result.code == 0, result
    assert bytes(peer.head) == b"abcdef\n", (bytes(peer.head), result)


@tap.case
def test_files_that_cannot_be_sent_are_refused_before_connecting():
    sparse = os.path.join(WORK, "sparse-1t")
    with open(sparse, "wb") as f:
        f.truncate(1 << 40)
    unreadable = os.path.join(WORK, "secret")
    with open(unreadable, "w") as f:
        f.write("secret")
    os.chmod(unreadable, 0)
    as_nobody = []
    if os.getuid() == 0:
        if not shutil.which("setpriv"):
            raise SkipCase("needs setpriv to read as an ordinary user")
        os.chmod(WORK, 0o755)
        as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    cases = [
        ([], ["--file", WORK], 1, f"Could not read “{WORK}”: It is a folder, not a file (EISDIR)"),
        (as_nobody, ["--file", unreadable], 1,
         f"Could not read “{unreadable}”: Permission denied: you may not read it (EACCES)"),
        ([], ["--file", os.path.join(WORK, "missing")], 1, "No such file or directory (ENOENT)"),
        ([], ["--file", sparse], 2,
         f"“{sparse}” holds 1.0 TiB (1099511627776 bytes), more than the 64.0 MiB (67108864 "
         "bytes) that --max-send allows. Give a larger limit, or 0 for none"),
        ([], ["--file", sparse, "--max-send", "1G"], 2, "more than the 1.0 GiB"),
        ([], ["hello", "--max-send", "4"], 2,
         "The payload is 5 bytes, more than the 4 bytes that --max-send allows"),
    ]
    failures = []
    for prefix, args, status, words in cases:
        with Sink() as peer:
            result = run([*prefix, CLI, "send", "127.0.0.1", str(peer.port), *args], timeout=20)
            nobody = peer.accepted_nobody()
        if result.code != status or words not in result.err or not nobody:
            failures.append(f"{args}: connected {not nobody}, {result}")
    assert not failures, "\n".join(failures)


@tap.case
def test_the_huge_sparse_file_with_no_size_limit_still_ends():
    sparse = os.path.join(WORK, "sparse-1t-2")
    with open(sparse, "wb") as f:
        f.truncate(1 << 40)
    with Sink() as peer:
        result = send("127.0.0.1", str(peer.port), "--file", sparse, "--max-send", "0",
                      "--max-time", "2", timeout=30, kill_rss_kib=RSS_KILL_KIB)
        peer.stopping.set()
    assert result.code == 3, result
    assert "Stopped after 2 seconds, the limit of --max-time" in result.err, result
    assert peer.count > 0 and result.peak_kib < RSS_BOUND_KIB, (peer.count, result)


@tap.case
def test_a_file_that_shrinks_while_it_is_sent_is_said():
    path = os.path.join(WORK, "shrinking")
    with open(path, "wb") as f:
        f.write(b"s" * (4 * MIB))
    shrunk = threading.Event()

    def shrink_once(count):
        # The first chunk is there: the rest is cut off under the client.
        if count >= 65536 and not shrunk.is_set():
            os.truncate(path, 65536)
            shrunk.set()

    with Sink(on_bytes=shrink_once) as peer:
        result = send("127.0.0.1", str(peer.port), "--file", path, "--chunk", "65536",
                      "--delay", "100", "--shutdown", timeout=60)
        peer.done.wait(20)
    assert shrunk.is_set(), result
    assert result.code == 1, result
    assert peer.count < 4 * MIB, peer.count
    match = re.search(r"“.*shrinking” shrank while it was sent: only .* \((\d+) bytes\) of its "
                      r"4\.0 MiB \(4194304 bytes\) were there to send", result.err)
    assert match and int(match.group(1)) == peer.count, (peer.count, result)


@tap.case
def test_a_file_over_udp_datagram_by_datagram_and_an_endless_one_refused():
    data = random.Random(3).randbytes(3000)
    path = os.path.join(WORK, "three-datagrams")
    with open(path, "wb") as f:
        f.write(data)
    got = []

    def collect(target):
        got.append(target.got)
        target.sock.settimeout(5)
        while len(got) < 3:
            got.append(target.sock.recvfrom(65536)[0])

    with UdpTarget(collect) as target:
        result = send("--udp", "127.0.0.1", str(target.port), "--file", path, "--chunk", "1000",
                      "--timeout", "300", timeout=30)
    assert result.code == 0, result
    assert got == [data[:1000], data[1000:2000], data[2000:]], [len(d) for d in got]

    # /dev/zero in one datagram can never fit: said, with nothing sent.
    with UdpTarget(lambda target: None) as target:
        result = send("--udp", "127.0.0.1", str(target.port), "--file", "/dev/zero",
                      timeout=30, kill_rss_kib=RSS_KILL_KIB)
        target.sock.sendto(b"", ("127.0.0.1", target.port))  # ends its wait
    assert result.code == 1, result
    assert ("What was to be sent gives more than 65507 bytes: one UDP datagram holds at most "
            "65507 bytes. Send it in chunks of at most 65507 (EMSGSIZE)") in result.err, result
    assert target.got == b"", target.got


# ---- what reaches a terminal ------------------------------------------------

HOSTILE = [
    (0.0, b"\x1b]0;pwned\x07\x1b[2J\x00hello\nw\xc3"),
    (0.3, b"\xb6rld\n\x1b[31mred\xc2\x9b6n\x9b\r\n\\end"),
]


def run_on_a_terminal(port):
    """The client with its standard output on a pseudo-terminal in raw mode,
    so that what it writes is read back byte for byte."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    process = subprocess.Popen([CLI, "send", "127.0.0.1", str(port), "hi"],
                               stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
                               env=ENV)
    os.close(slave)
    seen = bytearray()
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the client closed the terminal's last end
            break
        if not data:
            break
        seen += data
    os.close(master)
    err = process.stderr.read().decode()
    return process.wait(timeout=20), bytes(seen), err


@tap.case
def test_escape_sequences_do_not_reach_a_terminal_raw():
    with Script(HOSTILE) as peer:
        code, seen, err = run_on_a_terminal(peer.port)
    assert code == 0, (code, seen, err)
    for raw in (b"\x1b", b"\x07", b"\x00", b"\x9b", b"\xc2\x9b", b"\r"):
        assert raw not in seen, (raw, seen)
    text = seen.decode("utf-8")
    # Escapes are shown, line breaks kept, and a character split between
    # two reads (ö) arrives whole.
    assert text == ("\\x1b]0;pwned\\x07\\x1b[2J\\0hello\n"
                    "wörld\n"
                    "\\x1b[31mred\\xc2\\x9b6n\\x9b\\r\n"
                    "\\\\end\n"), repr(text)

    # A pipe, for scripts, still gets the bytes exactly as they came.
    with Script(HOSTILE) as peer:
        result = send("127.0.0.1", str(peer.port), "hi", timeout=20)
    assert result.code == 0, result
    assert result.out == b"".join(data for _, data in HOSTILE), result.out


@tap.case
def test_what_goes_to_standard_error_is_escaped_too():
    path = os.path.join(WORK, "no\x1b]0;pwned\x07such.sock")
    result = send("--unix", path, "hi", timeout=20)
    assert result.code == 1, result
    assert "\x1b" not in result.err and "\x07" not in result.err, repr(result.err)
    assert "no\\x1b]0;pwned\\x07such.sock" in result.err, repr(result.err)


# ---- UDP -------------------------------------------------------------------

@tap.case
def test_udp_to_a_closed_port_is_refused_in_words():
    for family, host, shown in ((socket.AF_INET, "127.0.0.1", "127.0.0.1"),
                                (socket.AF_INET6, "::1", "[::1]")):
        port = closed_udp_port(family)
        result = send("--udp", host, str(port), "hi", timeout=20)
        assert result.code == 1, result
        assert re.search(rf"^Sending to {re.escape(shown)}:{port} from {re.escape(shown)}:\d+$",
                         result.err, re.M), result
        assert "Connected to" not in result.err, result
        assert (f"{host} answered the datagram to {shown}:{port} with an ICMP error: The "
                "connection was refused: nothing is listening on that port (ECONNREFUSED)"
                in result.err), result

    # The lecture's calls are still what is recorded: sendto, then the error.
    port = closed_udp_port()
    result = send("--udp", "127.0.0.1", str(port), "hi", "--events", timeout=20)
    events = [json.loads(line) for line in result.out.decode().splitlines()]
    kinds = [e["kind"] for e in events]
    assert result.code == 1 and kinds[0] == "sendto", (kinds, result)
    assert events[0]["peer"] == f"127.0.0.1:{port}", events[0]
    assert "error" in kinds and "connect" not in kinds, kinds


@tap.case
def test_a_third_party_s_datagram_is_not_the_answer():
    seen = {}

    def answer(target):
        # While the client waits: what ss sees it bound to, a datagram from
        # a stranger, then the target's own answer.
        port = target.client[1]
        ss = subprocess.run(["ss", "-Hnua", f"sport = :{port}"], capture_output=True, text=True)
        seen["ss"] = ss.stdout
        seen["stranger"] = target.third_party(b"I am not the server")
        target.sock.sendto(b"the answer", target.client)

    with UdpTarget(answer) as target:
        result = send("--udp", "127.0.0.1", str(target.port), "question", "--timeout", "3000",
                      timeout=30)
    assert target.error is None, target.error
    assert target.got == b"question"
    assert result.code == 0, result
    assert result.out == b"the answer", result
    client_port = target.client[1]
    assert target.client[0] == "127.0.0.1", target.client
    assert re.search(rf"^Sending to 127\.0\.0\.1:{target.port} from 127\.0\.0\.1:{client_port}$",
                     result.err, re.M), result
    assert (f"Ignored a datagram of 19 bytes from 127.0.0.1:{seen['stranger']}: it is not from "
            f"127.0.0.1:{target.port}, where the payload went") in result.err, result
    assert f"A datagram of 10 bytes from 127.0.0.1:{target.port}:" in result.err, result
    # ss: bound to loopback, not to every address.
    if shutil.which("ss"):
        assert f"127.0.0.1:{client_port}" in seen["ss"], seen["ss"]
        assert f"0.0.0.0:{client_port}" not in seen["ss"], seen["ss"]


@tap.case
def test_every_datagram_s_source_is_in_the_events_and_a_flood_of_strangers_is_counted():
    def answer(target):
        target.third_party(b"noise", count=15)
        target.sock.sendto(b"ANSWER", target.client)

    with UdpTarget(answer) as target:
        result = send("--udp", "127.0.0.1", str(target.port), "q", "--events", "--timeout", "1000",
                      timeout=30)
    assert result.code == 0, result
    events = [json.loads(line) for line in result.out.decode().splitlines()]
    received = [e for e in events if e["kind"] == "recvfrom"]
    assert len(received) == 16, received
    strangers = {e["peer"] for e in received[:15]}
    assert len(strangers) == 1 and f":{target.port}" not in strangers.pop(), received
    assert received[15]["peer"] == f"127.0.0.1:{target.port}", received[15]
    assert result.err.count("Ignored a datagram of 5 bytes") == 10, result
    assert ("Ignored 15 datagrams in all (75 bytes) from other addresses than "
            f"127.0.0.1:{target.port}") in result.err, result


@tap.case
def test_udp_binds_the_address_it_routes_from():
    if os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("unshare"):
        raise SkipCase("needs root, ip and unshare for a network namespace of the test's own")
    script = """
set -e
ip link set lo up
ip link add sc0 type veth peer name sc1
ip addr add 198.51.100.7/24 dev sc0
ip link set sc0 up
ip link set sc1 up
"$1" send --udp 198.51.100.9 9 hi --timeout 300 || true
"$1" send --udp 127.0.0.1 9 hi --timeout 300 || true
"""
    probe = subprocess.run(["unshare", "--net", "sh", "-c",
                            "ip link add t0 type veth peer name t1"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise SkipCase("no veth pair in a new network namespace: " + probe.stderr.strip())
    result = subprocess.run(["unshare", "--net", "sh", "-c", script, "sh", CLI],
                            capture_output=True, text=True, timeout=60, env=ENV)
    assert re.search(r"^Sending to 198\.51\.100\.9:9 from 198\.51\.100\.7:\d+$", result.stderr,
                     re.M), result.stderr
    assert re.search(r"^Sending to 127\.0\.0\.1:9 from 127\.0\.0\.1:\d+$", result.stderr,
                     re.M), result.stderr


tap.run()
