#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`sockscope-cli serve … --record FILE` and `send … --record FILE` against
real peers on loopback (Python's socket module, and each other), read back
by tshark, Python's csv module and json: Wireshark's Follow TCP Stream must
give the exact bytes that went each way, with no malformed packet and no bad
checksum; the server's and the client's recordings of one connection must
agree. Skipped, with the reason, only when tshark is not installed."""

import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from taplib import SkipCase, Tap  # noqa: E402

CLI = sys.argv[1]
tap = Tap()
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
TIMEOUT = 20
TSHARK = shutil.which("tshark")
CHECKSUMS = ["-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
             "-o", "ip.check_checksum:TRUE"]
PROBLEMS = ('_ws.malformed || _ws.expert.severity >= warning || tcp.checksum.status == "Bad" '
            '|| udp.checksum.status == "Bad" || ip.checksum.status == "Bad" '
            '|| tcp.analysis.retransmission || tcp.analysis.lost_segment')
S14 = [b"Hi!", b"Hope you're well"]


def need_tshark():
    if TSHARK is None:
        raise SkipCase("tshark is not installed")


# tshark gets a profile of its own that dissects nothing above TCP and UDP:
# the payloads are whatever a test sent, on whatever port the system chose,
# and a dissector that guesses them to be some protocol and finds them
# malformed would fail the test for the bytes, not for our packets.
PROFILE = tempfile.TemporaryDirectory(prefix="sockscope-tshark-")
TSHARK_ENV = dict(ENV, WIRESHARK_CONFIG_DIR=PROFILE.name)
KEEP = {"frame", "raw", "ip", "ipv6", "tcp", "udp", "data", "pkt_comment", "icmp", "icmpv6"}
if TSHARK is not None:
    listed = subprocess.run([TSHARK, "-G", "protocols"], capture_output=True, text=True,
                            timeout=120, env=ENV).stdout
    with open(os.path.join(PROFILE.name, "disabled_protos"), "w", encoding="utf-8") as f:
        for line in listed.splitlines():
            name = line.split("\t")[2] if line.count("\t") >= 2 else ""
            if name and name not in KEEP and not name.startswith("_ws."):
                print(name, file=f)


class Server:
    """A `sockscope-cli serve … --record PATH` process."""

    def __init__(self, kind, path, *args):
        argv = [CLI, "serve", kind, "--port", "0", "--record", path, *args]
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=ENV)
        line = self.process.stdout.readline().decode()
        if not line:
            self.process.wait(timeout=TIMEOUT)
            raise AssertionError(f"serve {kind} did not start: "
                                 f"{self.process.stderr.read().decode()}")
        match = re.match(r"Listening on (\S+) \(", line)
        assert match, line
        self.port = int(match.group(1).rsplit(":", 1)[1])
        self.stderr = ""

    def stop(self):
        """SIGTERM, as a user's Ctrl+C: the recording is written at exit."""
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=TIMEOUT)
        self.stderr = err.decode()
        return self.process.returncode


def send(*args):
    return subprocess.run([CLI, "send", *args], capture_output=True, timeout=TIMEOUT, env=ENV)


def tcp_exchange(port, pieces, family=socket.AF_INET, host="127.0.0.1"):
    """Sends each piece with its own send() (S14), shuts down writing, and
    reads until the server closes. It reads while it writes: an echo server
    stops reading a peer that does not read its answers."""
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(TIMEOUT)
        s.connect((host, port))
        chunks = []

        def read_all():
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return
                chunks.append(chunk)

        reader = threading.Thread(target=read_all)
        reader.start()
        for piece in pieces:
            s.sendall(piece)
            time.sleep(0.05)
        s.shutdown(socket.SHUT_WR)
        reader.join(TIMEOUT)
        assert not reader.is_alive(), "the server did not close"
        return b"".join(chunks)


def tshark(path, *args):
    result = subprocess.run([TSHARK, "-r", path, *CHECKSUMS, *args], capture_output=True,
                            text=True, timeout=120, env=TSHARK_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


def follow(path, protocol, stream):
    """Wireshark's Follow Stream, raw: (client → server bytes, server →
    client bytes, client address, server address); node 0 sent the first
    packet."""
    text = tshark(path, "-qz", f"follow,{protocol},raw,{stream}")
    nodes = re.findall(r"^Node [01]: (.*)$", text, re.M)
    forth, back = bytearray(), bytearray()
    body = text.split("Node 1:", 1)[1].split("\n", 1)[1]
    for line in body.splitlines():
        if not line or line.startswith("===="):
            continue
        if line.startswith("\t"):
            back += bytes.fromhex(line[1:])
        else:
            forth += bytes.fromhex(line)
    return bytes(forth), bytes(back), nodes[0], nodes[1]


def assert_nothing_wrong(path):
    problems = tshark(path, "-Y", PROBLEMS)
    assert problems == "", f"tshark finds problems in {path}:\n{problems}"
    good = tshark(path, "-Y", 'tcp.checksum.status == "Good" || udp.checksum.status == "Good"')
    assert good.strip(), f"no checksum was checked in {path}"


def n_streams(path, protocol):
    fields = tshark(path, "-T", "fields", "-e", f"{protocol}.stream").split()
    return len(set(fields))


def comments(path):
    return tshark(path, "-T", "fields", "-e", "frame.comment").splitlines()


class Workdir:
    def __enter__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="sockscope-export-")
        return self.dir.name

    def __exit__(self, *exc):
        self.dir.cleanup()


# ---- usage ---------------------------------------------------------------

@tap.case
def test_unknown_extension_is_a_usage_error_before_serving():
    for argv in (["serve", "tcp-echo", "--record", "session.txt"],
                 ["send", "127.0.0.1", "9", "x", "--record", "session.pcap"]):
        started = time.monotonic()
        result = subprocess.run([CLI, *argv], capture_output=True, text=True, timeout=TIMEOUT,
                                env=ENV)
        assert result.returncode == 2, result
        name = argv[-1]
        assert (f"sockscope-cli {argv[0]}: --record: “{name}” does not end in .pcapng, .csv "
                "or .json") in result.stderr, result.stderr
        assert "Listening" not in result.stdout, result.stdout
        assert time.monotonic() - started < 5


@tap.case
def test_missing_folder_is_a_usage_error():
    result = subprocess.run([CLI, "serve", "tcp-echo", "--record", "/nonexistent/x.json"],
                            capture_output=True, text=True, timeout=TIMEOUT, env=ENV)
    assert result.returncode == 2, result
    assert ("--record: Could not write “x.json”: the folder “/nonexistent” does not exist "
            "(ENOENT)") in result.stderr, result.stderr


@tap.case
def test_help_names_record():
    for command in ("serve", "send"):
        result = subprocess.run([CLI, command, "--help"], capture_output=True, text=True,
                                timeout=TIMEOUT, env=ENV)
        assert result.returncode == 0, result
        assert "--record=FILE" in result.stdout, result.stdout
        assert ".pcapng" in result.stdout, result.stdout


@tap.case
def test_write_failure_at_exit_fails_the_run():
    with Workdir() as work:
        folder = os.path.join(work, "gone")
        os.mkdir(folder)
        server = Server("tcp-echo", os.path.join(folder, "session.pcapng"))
        assert tcp_exchange(server.port, [b"x"]) == b"x"
        # The session's file is made at start, beside the target; the
        # folder goes with it.
        shutil.rmtree(folder)
        code = server.stop()
        assert code == 1, (code, server.stderr)
        assert "sockscope-cli serve: Could not write “session.pcapng”: " in server.stderr, \
            server.stderr
        assert not os.path.exists(folder)


@tap.case
def test_read_only_folder_is_refused_before_serving():
    """--record into a read-only folder was accepted at start, and the
    whole session lost at exit: now the file is made at start."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        raise SkipCase("needs root and unshare to mount a read-only folder of the test's own")
    with Workdir() as work:
        folder = os.path.join(work, "ro")
        os.mkdir(folder)
        script = ('mount -t tmpfs -o ro none "$1" && shift && exec "$@"')
        result = subprocess.run(
            ["unshare", "--mount", "sh", "-c", script, "sh", folder,
             CLI, "serve", "tcp-echo", "--record", os.path.join(folder, "session.pcapng")],
            capture_output=True, text=True, timeout=TIMEOUT, env=ENV)
        if "unshare failed" in result.stderr or "mount:" in result.stderr:
            raise SkipCase("no mount namespace here: " + result.stderr.strip())
        assert result.returncode == 2, result
        assert (f"sockscope-cli serve: --record: Could not write “session.pcapng”: the folder "
                f"“{folder}” is on a read-only file system (EROFS)") in result.stderr, result
        assert "Listening" not in result.stdout, result.stdout


@tap.case
def test_a_folder_as_the_record_path_is_refused_before_serving():
    with Workdir() as work:
        folder = os.path.join(work, "trace.pcapng")
        os.mkdir(folder)
        for argv in (["serve", "tcp-echo", "--record", folder],
                     ["send", "127.0.0.1", "9", "x", "--record", folder]):
            result = subprocess.run([CLI, *argv], capture_output=True, text=True,
                                    timeout=TIMEOUT, env=ENV)
            assert result.returncode == 2, result
            assert (f"--record: Could not write “trace.pcapng”: “{folder}” is a folder: name a "
                    "file in it, ending in .pcapng, .csv or .json (EISDIR)") in result.stderr, \
                result.stderr
            assert os.listdir(folder) == [], os.listdir(folder)
            assert os.listdir(work) == ["trace.pcapng"], os.listdir(work)


@tap.case
def test_second_ctrl_c_waits_for_the_session_to_be_written():
    """A second Ctrl+C while the session was written at exit left half a
    file; now the write finishes, and the file is whole."""
    with Workdir() as work:
        path = os.path.join(work, "session.json")
        server = Server("tcp-echo", path)
        # A session whose write takes a while (a second or so): echoes one
        # at a time on one connection, each a few events and 2 kB of bytes
        # that JSON writes twice, as hex and as text.
        with socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for _ in range(6000):
                s.sendall(b"ping" * 250)
                got = 0
                while got < 1000:
                    got += len(s.recv(65536))
        server.process.send_signal(signal.SIGINT)
        for _ in range(10):
            time.sleep(0.02)
            server.process.send_signal(signal.SIGINT)
        _, err = server.process.communicate(timeout=TIMEOUT)
        err = err.decode()
        assert server.process.returncode == 0, (server.process.returncode, err)
        assert re.search(r"Wrote \d+ events to “[^”]*/session.json”", err), err
        with open(path, encoding="utf-8") as f:
            session = json.load(f)
        assert len(session["events"]) == session["header"]["n_events"] > 10000, \
            (len(session["events"]), session["header"]["n_events"])
        assert os.listdir(work) == ["session.json"], os.listdir(work)


# ---- pcapng --------------------------------------------------------------

def check_tcp_pcapng(family, host):
    need_tshark()
    with Workdir() as work:
        served = os.path.join(work, "serve.pcapng")
        sent = os.path.join(work, "send.pcapng")
        server = Server("tcp-echo", served, "--bind", host)
        try:
            # S14 from Python: two sends, one stream.
            assert tcp_exchange(server.port, S14, family, host) == b"".join(S14)
            # The same bytes from our own client in one write, read back 16
            # bytes at a time.
            result = send(host, str(server.port), "Hi!Hope you're well", "--read-buffer", "16",
                          "--shutdown", "--record", sent)
            assert result.returncode == 0, result.stderr
            assert result.stdout == b"Hi!Hope you're well", result.stdout
            assert b"Wrote " in result.stderr and b"send.pcapng" in result.stderr, result.stderr
        finally:
            code = server.stop()
        assert code == 0, server.stderr
        assert re.search(r"Wrote \d+ events to “.*serve\.pcapng”", server.stderr), server.stderr

        assert n_streams(served, "tcp") == 2
        forth, back, client, srv = follow(served, "tcp", 0)
        assert forth == b"Hi!Hope you're well", forth
        assert back == b"Hi!Hope you're well", back
        assert srv.endswith(f":{server.port}"), srv
        assert_nothing_wrong(served)

        # The server's recording and the client's tell of one connection
        # with the same addresses and the same bytes both ways.
        assert n_streams(sent, "tcp") == 1
        from_server = follow(served, "tcp", 1)
        from_client = follow(sent, "tcp", 0)
        assert from_server == from_client, (from_server, from_client)
        assert from_client[0] == b"Hi!Hope you're well"
        assert from_client[1] == b"Hi!Hope you're well"
        assert_nothing_wrong(sent)

        said = comments(sent)
        assert "client send 19 bytes" in said, said
        assert "client recv 16 bytes" in said, said
        assert "client recv 3 bytes" in said, said
        assert "client shutdown (SHUT_WR): FIN" in said, said
        said = comments(served)
        assert "tcp-echo accept: SYN" in said, said
        assert "tcp-echo recv 0 bytes (the peer has finished sending): FIN" in said, said


@tap.case
def test_tcp_ipv4_follow_gives_the_bytes_both_ways():
    check_tcp_pcapng(socket.AF_INET, "127.0.0.1")


@tap.case
def test_tcp_ipv6_follow_gives_the_bytes_both_ways():
    check_tcp_pcapng(socket.AF_INET6, "::1")


@tap.case
def test_sixteen_byte_reads_and_a_big_send():
    """S11's accumulator on the server, and a send larger than one TCP
    segment can carry from the client."""
    need_tshark()
    message = b"A longer message than sixteen bytes, read sixteen at a time.\n"
    bulk = bytes(range(256)) * 800
    with Workdir() as work:
        served = os.path.join(work, "serve.pcapng")
        server = Server("tcp-echo", served, "--read-buffer", "16")
        try:
            assert tcp_exchange(server.port, [message, bulk]) == message + bulk
        finally:
            assert server.stop() == 0, server.stderr
        forth, back, _, _ = follow(served, "tcp", 0)
        assert forth == message + bulk
        assert back == message + bulk
        said = comments(served)
        assert said.count("tcp-echo recv 16 bytes") >= len(message) // 16, said[:20]
        assert_nothing_wrong(served)


def check_udp_pcapng(family, host):
    need_tshark()
    with Workdir() as work:
        served = os.path.join(work, "serve.pcapng")
        sent = os.path.join(work, "send.pcapng")
        server = Server("udp-upper", served, "--bind", host)
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.settimeout(TIMEOUT)
                for piece in S14:
                    s.sendto(piece, (host, server.port))
                    assert s.recvfrom(65536)[0] == piece.upper()
            result = send("--udp", host, str(server.port), "hello udp", "--record", sent)
            assert result.returncode == 0, result.stderr
            assert result.stdout == b"HELLO UDP", result.stdout
        finally:
            assert server.stop() == 0, server.stderr

        # Two datagrams each way from Python, each datagram once.
        forth, back, _, srv = follow(served, "udp", 0)
        assert forth == b"".join(S14), forth
        assert back == b"".join(S14).upper(), back
        assert srv.endswith(f":{server.port}"), srv
        assert len(tshark(served, "-Y", "udp").splitlines()) == 6
        assert follow(served, "udp", 1) == follow(sent, "udp", 0)
        forth, back, _, _ = follow(sent, "udp", 0)
        assert (forth, back) == (b"hello udp", b"HELLO UDP")
        assert_nothing_wrong(served)
        assert_nothing_wrong(sent)


@tap.case
def test_udp_ipv4_each_datagram_once():
    check_udp_pcapng(socket.AF_INET, "127.0.0.1")


@tap.case
def test_udp_ipv6_each_datagram_once():
    check_udp_pcapng(socket.AF_INET6, "::1")


@tap.case
def test_past_the_payload_cap_is_said_and_the_file_is_sound():
    """The default cap is 64 MiB; an echo keeps what it receives and what it
    sends, so 40 MiB each way outgrow it."""
    need_tshark()
    data = bytes(range(256)) * (40 * 4096)
    with Workdir() as work:
        served = os.path.join(work, "serve.pcapng")
        server = Server("tcp-echo", served)
        try:
            assert tcp_exchange(server.port, [data]) == data
        finally:
            assert server.stop() == 0, server.stderr
        assert re.search(r"\d+ events \(\d+ bytes\) were past the payload cap of 64\.0\xa0MiB: "
                         r"counted, not kept\.", server.stderr), server.stderr
        said = comments(served)
        assert any("bytes not kept: past the payload cap" in c for c in said)
        assert_nothing_wrong(served)


# ---- CSV and JSON --------------------------------------------------------

@tap.case
def test_csv_reads_back_with_the_csv_module():
    message = b'comma, "quotes"\r\nand a line break'
    with Workdir() as work:
        served = os.path.join(work, "serve.csv")
        sent = os.path.join(work, "send.csv")
        server = Server("tcp-echo", served)
        try:
            result = send("127.0.0.1", str(server.port), "--hex", message.hex(), "--shutdown",
                          "--record", sent)
            assert result.returncode == 0, result.stderr
        finally:
            assert server.stop() == 0, server.stderr

        for path, recv_socket in ((served, 2), (sent, 1)):
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            assert rows, path
            assert [int(r["index"]) for r in rows] == list(range(len(rows)))
            recvs = [r for r in rows if r["kind"] == "recv" and int(r["socket"]) == recv_socket]
            got = b"".join(bytes.fromhex(r["bytes_hex"]) for r in recvs)
            assert got == message, (path, got)
            texts = "".join(r["text"] for r in recvs)
            assert texts == message.decode(), (path, texts)
            offsets = [int(r["stream_offset"]) for r in recvs]
            sizes = [int(r["size"]) for r in recvs]
            assert offsets == [sum(sizes[:i]) for i in range(len(sizes))]
            assert all(r["truncated"] == "false" for r in rows)
        with open(served, "rb") as f:
            assert f.readline().endswith(b"\r\n")


@tap.case
def test_json_reads_back_with_json():
    with Workdir() as work:
        served = os.path.join(work, "serve.json")
        sent = os.path.join(work, "send.json")
        server = Server("tcp-echo", served)
        try:
            result = send("127.0.0.1", str(server.port), "Hi!\\x00\\xff", "--shutdown",
                          "--record", sent)
            assert result.returncode == 0, result.stderr
        finally:
            assert server.stop() == 0, server.stderr

        for path in (served, sent):
            with open(path, encoding="utf-8") as f:
                session = json.load(f)
            header = session["header"]
            assert header["format"] == "sockscope-session"
            assert header["version"] == 1
            assert header["n_events"] == len(session["events"])
            assert header["truncation"] == "Nothing was truncated."
            assert header["truncated_events"] == 0
            assert len(session["sockets"]) == header["n_sockets"]
            for i, event in enumerate(session["events"]):
                assert event["index"] == i
            sends = [e for e in session["events"] if e["kind"] == "send"]
            recvs = [e for e in session["events"] if e["kind"] == "recv" and e["size"] > 0]
            assert b"".join(bytes.fromhex(e["hex"]) for e in sends) == b"Hi!\x00\xff"
            assert b"".join(bytes.fromhex(e["hex"]) for e in recvs) == b"Hi!\x00\xff"
            # Not UTF-8: hex only.
            assert all("text" not in e for e in sends + recvs)

        with open(served, encoding="utf-8") as f:
            session = json.load(f)
        roles = [s["role"] for s in session["sockets"]]
        assert roles == ["listener", "connection"], roles
        assert session["sockets"][1]["parent"] == 1


tap.run()
