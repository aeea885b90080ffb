#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The servers of `sockscope-cli serve` against peers no one here wrote:
socat, ncat, nc (OpenBSD), curl and Python's socket module; and the client
of `sockscope-cli send` against a socat server. Loopback only; every byte is
checked exactly."""

import json
import os
import random
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from taplib import SkipCase, Tap, recv_all  # noqa: E402

CLI = sys.argv[1]
tap = Tap()
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
TIMEOUT = 20


def need(tool):
    if shutil.which(tool) is None:
        if os.environ.get("SOCKSCOPE_REQUIRE_E2E"):
            raise AssertionError(f"{tool} is not installed")
        raise SkipCase(f"{tool} is not installed")


class Server:
    """A `sockscope-cli serve` process; its events, when asked for."""

    def __init__(self, kind, *args, events=True):
        argv = [CLI, "serve", kind, *args] + (["--events"] if events else [])
        self.events_path = tempfile.mktemp(prefix="sockscope-events-")
        self.out = open(self.events_path, "w+")
        self.process = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.PIPE,
                                        text=True, env=ENV)
        line = self.process.stderr.readline() if events else ""
        if not line:
            self.process.wait(timeout=TIMEOUT)
            raise AssertionError(f"serve {kind} did not start: {self.process.stderr.read()}")
        match = re.match(r"Listening on (\S+) \(", line)
        assert match, line
        self.address = match.group(1)
        self.port = int(self.address.rsplit(":", 1)[1]) if ":" in self.address else None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=TIMEOUT)
        self.out.close()
        return code

    def events(self):
        """The events written so far (the server flushes each batch)."""
        with open(self.events_path, encoding="utf-8") as f:
            text = f.read()
        # A line still being written is not an event yet.
        return [json.loads(line) for line in text.splitlines(keepends=True)
                if line.endswith("\n")]

    def wait_events(self, predicate, what):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            events = self.events()
            if predicate(events):
                return events
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}: {self.events()[-5:]}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        code = self.stop()
        os.unlink(self.events_path)
        assert code == 0, f"serve exited with {code}"


def run(argv, data=b"", timeout=TIMEOUT):
    result = subprocess.run(argv, input=data, capture_output=True, timeout=timeout, env=ENV)
    return result


def payload(n, seed):
    rng = random.Random(seed)
    return bytes(rng.getrandbits(8) for _ in range(n))


def tcp_exchange(port, data, family=socket.AF_INET, host="127.0.0.1", shut=True):
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(TIMEOUT)
        s.connect((host, port))
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        return recv_all(s)


# ---- echo -----------------------------------------------------------------

@tap.case
def test_tcp_echo_with_socat():
    need("socat")
    data = payload(200_000, 1)
    with Server("tcp-echo") as server:
        result = run(["socat", "-t", "5", "-", f"TCP:127.0.0.1:{server.port}"], data)
        assert result.returncode == 0, result.stderr
        assert result.stdout == data, f"{len(result.stdout)} bytes back of {len(data)}"


@tap.case
def test_tcp_echo_with_ncat():
    need("ncat")
    data = payload(50_000, 2)
    with Server("tcp-echo") as server:
        result = run(["ncat", "127.0.0.1", str(server.port)], data)
        assert result.returncode == 0, result.stderr
        assert result.stdout == data


@tap.case
def test_tcp_echo_with_openbsd_nc():
    need("nc.openbsd")
    data = b"over netcat\n" * 1000
    with Server("tcp-echo") as server:
        result = run(["nc.openbsd", "-N", "127.0.0.1", str(server.port)], data)
        assert result.returncode == 0, result.stderr
        assert result.stdout == data


@tap.case
def test_tcp_echo_ipv6_and_loopback_both():
    with Server("tcp-echo", "--bind", "loopback") as server:
        assert tcp_exchange(server.port, b"v4\n") == b"v4\n"
        assert tcp_exchange(server.port, b"v6\n", socket.AF_INET6, "::1") == b"v6\n"
        events = server.wait_events(lambda ev: sum(e["kind"] == "listen" for e in ev) == 2,
                                    "two listen events")
        listens = [e for e in events if e["kind"] == "listen"]
        assert {e["local"] for e in listens} == {f"127.0.0.1:{server.port}",
                                                 f"[::1]:{server.port}"}, listens


@tap.case
def test_sixteen_byte_reads_show_the_accumulator():
    message = b"A longer message than sixteen bytes, read sixteen at a time.\n"
    with Server("tcp-echo", "--read-buffer", "16") as server:
        assert tcp_exchange(server.port, message) == message
        events = server.wait_events(lambda ev: any(e["kind"] == "close" and e["socket"] == 2
                                                   for e in ev), "the connection to close")
        recvs = [e for e in events if e["kind"] == "recv" and e["socket"] == 2]
        sizes = [e["size"] for e in recvs]
        assert all(size <= 16 for size in sizes), sizes
        assert sizes[-1] == 0, "the last recv is the zero-byte end of stream"
        assert sum(sizes) == len(message)
        # Each recv's offset is where its bytes lie in the stream.
        offsets = [e["offset"] for e in recvs]
        assert offsets == [sum(sizes[:i]) for i in range(len(sizes))], offsets


@tap.case
def test_exact_multiple_of_buffer_then_shutdown():
    """S15: 8192 bytes with a 4096-byte buffer, then shutdown(SHUT_WR): the
    server knows the message ended from the zero-byte read alone."""
    data = payload(8192, 3)
    with Server("tcp-echo", "--read-buffer", "4096") as server:
        assert tcp_exchange(server.port, data) == data
        events = server.wait_events(lambda ev: any(e["kind"] == "recv" and e["size"] == 0
                                                   for e in ev), "the zero-byte read")
        sizes = [e["size"] for e in events if e["kind"] == "recv"]
        assert sum(sizes) == 8192 and sizes[-1] == 0, sizes
        assert all(size == 4096 for size in sizes[:-1]), sizes


@tap.case
def test_udp_echo_with_socat():
    need("socat")
    with Server("udp-echo") as server:
        result = run(["socat", "-t", "1", "-", f"UDP:127.0.0.1:{server.port}"], b"hello udp\n")
        assert result.returncode == 0, result.stderr
        assert result.stdout == b"hello udp\n", result.stdout


@tap.case
def test_udp_upper_with_python_and_nc():
    with Server("udp-upper") as server:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(TIMEOUT)
            s.sendto(b"hope you're well", ("127.0.0.1", server.port))
            data, peer = s.recvfrom(65536)
            assert data == b"HOPE YOU'RE WELL", data
            assert peer == ("127.0.0.1", server.port)
            # Two datagrams stay two: UDP keeps message boundaries (S14).
            s.sendto(b"hi!", ("127.0.0.1", server.port))
            s.sendto(b"again", ("127.0.0.1", server.port))
            assert s.recvfrom(65536)[0] == b"HI!"
            assert s.recvfrom(65536)[0] == b"AGAIN"
            local = s.getsockname()
        events = server.wait_events(lambda ev: sum(e["kind"] == "sendto" for e in ev) == 3,
                                    "three answers")
        received = [e for e in events if e["kind"] == "recvfrom"]
        assert [e["data"] for e in received] == ["hope you're well", "hi!", "again"]
        assert all(e["peer"] == f"127.0.0.1:{local[1]}" for e in received), received
    need("nc.openbsd")
    with Server("udp-upper") as server:
        result = run(["nc.openbsd", "-u", "-w", "1", "127.0.0.1", str(server.port)], b"quiet\n")
        assert result.stdout == b"QUIET\n", result.stdout


# ---- sum, message, http ---------------------------------------------------

@tap.case
def test_sum_server():
    """Two integers on a line, e.g. 17 25: their exact sum as Python's int
    makes it, whatever their length; any other line one "error: …" line,
    and the next line starts afresh."""
    import threading  # only this case reads while it sends

    error = b"error: expected two integers, e.g. 17 25, but "
    not_one = b" is not one: an integer is digits, with + or - before them or not\n"
    # Python 3.11 refuses to print an int of more than 4300 digits unless told.
    max_digits = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    getattr(sys, "set_int_max_str_digits", lambda n: None)(0)

    def exchange(port, pieces):
        """Sends the pieces one by one (TCP_NODELAY: each its own segment)
        while reading, then shuts down writing; every byte answered."""
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            received = []
            reader = threading.Thread(target=lambda: received.append(recv_all(s)))
            reader.start()
            for piece in pieces:
                s.sendall(piece)
            s.shutdown(socket.SHUT_WR)
            reader.join(TIMEOUT)
            assert not reader.is_alive(), "the server did not answer to the end"
            return received[0]

    try:
        with Server("tcp-sum") as server:
            assert tcp_exchange(server.port, b"17 25\n") == b"42\n"
            # The README's promise: exact, where a double would round.
            assert tcp_exchange(server.port, b"12345678901234567890 1\n") \
                == b"12345678901234567891\n"
            assert tcp_exchange(server.port, b"-5 3\r\n") == b"-2\n"
            assert tcp_exchange(server.port, b"  +5\t-0005 \r\n") == b"0\n"
            # The last line needs no newline when the peer ends.
            assert tcp_exchange(server.port, b"3 4") == b"7\n"

            # Random integers of up to 600 digits, written with signs, leading
            # zeros, tabs and CR LF, against Python's int: one connection, sent
            # in pieces cut anywhere.
            rng = random.Random(2024)
            lines, expected = [], []
            for _ in range(300):
                a, b = (rng.choice((-1, 1)) * rng.randrange(10 ** rng.randint(1, 600))
                        for _ in range(2))
                words = []
                for n in (a, b):
                    text = str(abs(n)).zfill(rng.choice((0, 0, 0, len(str(abs(n))) + 3)))
                    sign = "-" if n < 0 else rng.choice(("", "", "+"))
                    words.append(sign + text)
                space = rng.choice((" ", "  ", "\t", " \t "))
                end = rng.choice(("\n", "\r\n"))
                lines.append(f"{rng.choice(('', ' '))}{words[0]}{space}{words[1]}{end}")
                expected.append(f"{a + b}\n")
            data = "".join(lines).encode("ascii")
            pieces, i = [], 0
            while i < len(data):
                n = rng.choice((1, 2, 7, 100, 1500, 9000))
                pieces.append(data[i:i + n])
                i += n
            assert exchange(server.port, pieces).decode("ascii") == "".join(expected)

            # A 5,000-digit number plus 1, and two of 8,000 digits (the line's
            # bound, 16384 bytes, leaves room for them).
            big = 10 ** 5000 - 1
            assert tcp_exchange(server.port, f"{big} 1\n".encode()) \
                == f"{big + 1}\n".encode()
            x, y = (rng.randrange(10 ** 7999, 10 ** 8000) for _ in range(2))
            assert tcp_exchange(server.port, f"{x} -{y}\n".encode()) == f"{x - y}\n".encode()

            # A bad line gets one error line and is forgotten whole: the
            # leftover 1 of "abc 1" does not pair with the next line's 5.
            assert tcp_exchange(server.port, b"abc 1\n5 6\n") == error + b'"abc"' + not_one \
                + b"11\n"
            for bad, why in ((b"1.5 2", b'"1.5"' + not_one),
                             (b"1_000 1", b'"1_000"' + not_one),
                             (b"- 5", b'"-"' + not_one),
                             (b"1 2 3", b'the line has 3 words: "1 2 3"\n'),
                             (b"42", b'the line has 1 word: "42"\n'),
                             (b"", b"the line is empty\n")):
                assert tcp_exchange(server.port, bad + b"\n2 2\n") == error + why + b"4\n", bad
            # The bad text is shown escaped, never raw, and clipped.
            answer = tcp_exchange(server.port, b"\x1b]0;pwned\x07 1\n1\x002 3\n" + b"x" * 100
                                  + b" 1\n")
            assert answer == (error + b'"\\x1b]0;pwned\\x07"' + not_one
                              + error + b'"1\\02"' + not_one
                              + error + b'"' + b"x" * 40 + b'"...' + not_one), answer
            assert all(0x20 <= c < 0x7f or c == 0x0a for c in answer), answer

            # Too long a line: one error, the rest of it dropped up to its
            # newline (however it comes), and the next line counts again.
            for line in (b"1" * 20000 + b" 1\n", b"7" * 300_000 + b"\n"):
                assert exchange(server.port, [line[:5000], line[5000:], b"2 2\n"]) \
                    == error + b"the line is longer than 16384 bytes\n4\n"

            # Cut anywhere, even inside the CR LF.
            assert exchange(server.port, [b"12", b"3 7\r", b"\n4", b" 5"]) == b"130\n9\n"
    finally:
        getattr(sys, "set_int_max_str_digits", lambda n: None)(max_digits)


@tap.case
def test_message_server():
    with Server("tcp-message") as server:
        assert tcp_exchange(server.port, b"", shut=False) == b"Hello from Sockscope\n"
    with Server("tcp-message", "--message", r"Bye\x21\n") as server:
        assert tcp_exchange(server.port, b"", shut=False) == b"Bye!\n"


@tap.case
def test_http_server_with_curl():
    need("curl")
    with Server("http") as server:
        url = f"http://127.0.0.1:{server.port}/index.html"
        result = run(["curl", "-s", "-i", "--max-time", "10", url])
        assert result.returncode == 0, result.stderr
        head, body = result.stdout.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 200 OK"), head
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        assert length == len(body) and b"Hello from Sockscope" in body, (length, len(body))

        result = run(["curl", "-s", "-i", "-X", "POST", "--data", "x=1", "--max-time", "10", url])
        assert result.stdout.startswith(b"HTTP/1.1 405 Method Not Allowed"), result.stdout
        assert b"Allow: GET, HEAD" in result.stdout

        result = run(["curl", "-s", "-I", "--max-time", "10", url])
        assert result.stdout.startswith(b"HTTP/1.1 200 OK"), result.stdout
        assert result.stdout.endswith(b"\r\n\r\n"), "HEAD has no body"

    with Server("http") as server:
        answer = tcp_exchange(server.port, b"NONSENSE\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 400 Bad Request"), answer
        answer = tcp_exchange(server.port, b"GET / HTTP/1.0\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200 OK"), answer


@tap.case
def test_unix_echo():
    need("socat")
    directory = tempfile.mkdtemp(prefix="sockscope-unix-")
    path = os.path.join(directory, "echo.sock")
    try:
        # A socket file left behind by a server that died is replaced.
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(path)
        stale.close()
        with Server("unix-echo", "--path", path) as server:
            assert server.address == path
            result = run(["socat", "-t", "5", "-", f"UNIX-CONNECT:{path}"], b"over a path\n")
            assert result.stdout == b"over a path\n", result
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(path)
                s.sendall(b"python too")
                s.shutdown(socket.SHUT_WR)
                assert s.recv(100) == b"python too"
        assert not os.path.exists(path), "the socket file is removed on stop"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@tap.case
def test_unix_echo_removes_only_its_own_socket():
    directory = tempfile.mkdtemp(prefix="sockscope-unix-")
    path = os.path.join(directory, "echo.sock")
    try:
        with Server("unix-echo", "--path", path) as first:
            # Someone removes its socket file (a clean-up, a user), and a
            # second server binds the same path.
            os.unlink(path)
            with Server("unix-echo", "--path", path) as second:
                assert second.address == path
                first.stop()
                assert os.path.exists(path), "the first server removed the second's socket"
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(TIMEOUT)
                    s.connect(path)
                    s.sendall(b"the second answers")
                    s.shutdown(socket.SHUT_WR)
                    assert recv_all(s) == b"the second answers"
            assert not os.path.exists(path), "the second server removes its own socket"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@tap.case
def test_what_holds_a_unix_path_is_named():
    directory = tempfile.mkdtemp(prefix="sockscope-unix-")
    path = os.path.join(directory, "echo.sock")
    target = os.path.join(directory, "elsewhere")
    listener = None

    def regular():
        with open(path, "w") as f:
            f.write("keep me")
        return lambda: open(path).read() == "keep me"

    def folder():
        os.mkdir(path)
        return lambda: os.path.isdir(path) and not os.path.islink(path)

    def link():
        os.symlink(target, path)
        return lambda: os.readlink(path) == target

    def fifo():
        os.mkfifo(path)
        return lambda: stat.S_ISFIFO(os.lstat(path).st_mode)

    def live_socket():
        nonlocal listener
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(1)

        def answers():
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(path)
            return True
        return answers

    cases = [
        (regular, "A regular file is at this path"),
        (folder, "A folder is at this path"),
        (link, "A symbolic link is at this path"),
        (fifo, "A FIFO (named pipe) is at this path"),
        (live_socket, "Another program listens on this path"),
    ]
    try:
        for make, words in cases:
            intact = make()
            result = run([CLI, "serve", "unix-echo", "--path", path])
            message = result.stderr.decode()
            assert result.returncode == 1, (words, result)
            assert f"Could not listen on {path}: {words}" in message, (words, message)
            assert message.rstrip().endswith("(EADDRINUSE)"), message
            assert intact(), f"{words}: it was changed"
            if listener is not None:
                listener.close()
                listener = None
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)
            else:
                os.unlink(path)
    finally:
        if listener is not None:
            listener.close()
        shutil.rmtree(directory, ignore_errors=True)


# ---- limits and errors ----------------------------------------------------

@tap.case
def test_connection_cap():
    with Server("tcp-echo", "--max-connections", "1") as server:
        first = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
        server.wait_events(lambda ev: any(e["kind"] == "accept" for e in ev), "the first accept")
        second = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
        assert second.recv(10) == b"", "the connection past the cap is closed at once"
        first.sendall(b"still here")
        assert first.recv(100) == b"still here"
        first.close()
        second.close()
        server.wait_events(lambda ev: any(e["kind"] == "refused" for e in ev), "a refused event")


@tap.case
def test_port_in_use_is_explained():
    with Server("tcp-echo") as server:
        result = run([CLI, "serve", "tcp-echo", "--port", str(server.port)])
        assert result.returncode == 1, result
        message = result.stderr.decode()
        assert f"Could not listen on 127.0.0.1:{server.port}: The address is already in use" \
            in message and message.rstrip().endswith("(EADDRINUSE)"), message


@tap.case
def test_udp_port_in_use_is_explained():
    with Server("udp-echo") as server:
        result = run([CLI, "serve", "udp-upper", "--port", str(server.port)])
        assert result.returncode == 1 and b"(EADDRINUSE)" in result.stderr, result


@tap.case
def test_privileged_port():
    if os.geteuid() == 0:
        raise SkipCase("running as root, who may listen on port 80")
    result = run([CLI, "serve", "tcp-echo", "--port", "80"])
    assert result.returncode == 1 and b"(EACCES)" in result.stderr, result


@tap.case
def test_bad_options_are_explained():
    cases = [
        (["serve", "tcp-echo", "--port", "70000"],
         "--port: “70000” is not a number from 0 to 65535"),
        (["serve", "tcp-echo", "--port", "-1"], "--port: “-1” is not a number from 0 to 65535"),
        (["serve", "tcp-echo", "--port", "abc"], "--port: “abc” is not a number from 0 to 65535"),
        (["serve", "tcp-echho"], "“tcp-echho” is not a kind of server"),
        (["serve", "tcp-echo", "--bind", "localhost"],
         "“localhost” is not an address to listen on"),
        (["serve", "tcp-echo", "--bind", "300.1.1.1"],
         "“300.1.1.1” is not an address to listen on"),
        (["serve", "unix-echo"], "unix-echo listens on a path: give it with --path"),
        (["send", "127.0.0.1", "0"], "PORT: “0” is not a number from 1 to 65535"),
        (["send", "127.0.0.1", "7", r"a\q"], "Unknown escape"),
        (["send", "127.0.0.1", "7", "--hex", "4g"], "column 2"),
        (["send", "127.0.0.1"], "give a HOST, a PORT and at most one PAYLOAD"),
    ]
    for argv, expected in cases:
        result = run([CLI, *argv])
        message = result.stderr.decode()
        assert result.returncode in (1, 2), (argv, result)
        assert expected in message, (argv, message)


@tap.case
def test_refused_is_explained():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: nothing answers
        result = run([CLI, "send", "127.0.0.1", str(port), "hi"])
    assert result.returncode == 1, result
    message = result.stderr.decode()
    assert f"Could not connect to 127.0.0.1:{port}: The connection was refused" in message
    assert message.rstrip().endswith("(ECONNREFUSED)"), message


# ---- errors only a network of our own can show ----------------------------

NETNS_SETUP = """
set -u
ip link set lo up
# Packets for this documentation network go to lo, where nobody answers:
# connecting there times out, and nothing leaves the namespace.
ip route add 198.51.100.0/24 dev lo
dir=$(mktemp -d)
printf 'nameserver 127.0.0.1\\n' > "$dir/resolv.conf"
mount --bind "$dir/resolv.conf" /etc/resolv.conf
# A DNS server of our own that knows no name under .invalid.
dnsmasq --no-resolv --no-hosts --listen-address=127.0.0.1 --bind-interfaces \\
  --port=53 --address=/invalid/ --pid-file="$dir/pid"
"$@"
status=$?
kill "$(cat "$dir/pid")"
exit $status
"""


def in_namespace(*argv):
    """Runs argv in a network and mount namespace of its own, with only lo
    and a dnsmasq on it; skips, saying why, where that is not allowed."""
    if os.geteuid() != 0:
        raise SkipCase("network namespaces need root here")
    for tool in ("unshare", "ip", "dnsmasq"):
        need(tool)
    probe = run(["unshare", "--net", "--mount", "true"])
    if probe.returncode != 0:
        raise SkipCase("unshare --net --mount is not allowed: " + probe.stderr.decode().strip())
    return run(["unshare", "--net", "--mount", "sh", "-c", NETNS_SETUP, "sh", *argv])


EXPOSED_SETUP = r"""
set -e
ip link set lo up
# A machine of the test's own with one network: documentation addresses on
# one end of a veth pair, nothing on the other but its link-local one.
ip link add sc0 type veth peer name sc1
ip link set sc0 up
ip link set sc1 up
ip addr add 192.0.2.7/24 dev sc0
ip addr add 2001:db8::7/64 dev sc0 nodad
set +e
for bind in 0.0.0.0 :: ::6; do
  case $bind in
    ::6) addr=::; only=--ipv6-only ;;
    *) addr=$bind; only= ;;
  esac
  timeout --foreground --preserve-status -s INT 1 "$1" serve tcp-echo --bind "$addr" $only --port 0
  echo "exit $?"
done
timeout --foreground --preserve-status -s INT 1 "$1" serve tcp-echo --port 0
echo "exit $?"
"""


@tap.case
def test_all_interfaces_names_the_addresses_it_opens():
    if os.geteuid() != 0 or not shutil.which("ip"):
        raise SkipCase("needs root and ip for a network namespace of the test's own")
    probe = run(["unshare", "--net", "sh", "-c", "ip link add t0 type veth peer name t1"])
    if probe.returncode != 0:
        raise SkipCase("no veth pair in a new network namespace: "
                       + probe.stderr.decode().strip())
    result = run(["unshare", "--net", "sh", "-c", EXPOSED_SETUP, "sh", CLI])
    lines = result.stderr.decode().splitlines()
    warnings = [line for line in lines if line.startswith("Warning: ")]
    assert len(warnings) == 3, result
    v4, dual, v6 = warnings
    assert "other machines on your networks can connect, at 192.0.2.7." in v4, v4
    assert "2001:db8::7" in dual and "192.0.2.7" in dual and "%sc1" in dual, dual
    assert "2001:db8::7" in v6 and "192.0.2.7" not in v6, v6
    for warning in warnings:
        assert "127.0.0.1" not in warning and "::1," not in warning, warning
    assert result.stdout.decode().count("exit 0") == 4, result


# Every spelling GLib's parser takes, of an address others can reach; and
# of loopback, which they cannot.
EXPOSED_SPELLINGS = [
    # all of IPv4
    ("0.0.0.0", "v4"), ("::ffff:0.0.0.0", "v4"), ("::ffff:0:0", "v4"),
    ("::FFFF:0000:0000", "v4"),
    # all of IPv6, and of IPv4 through it
    ("::", "dual"), ("::0", "dual"), ("0::0", "dual"), ("0::", "dual"), ("00::", "dual"),
    ("0:0:0:0:0:0:0:0", "dual"), ("0000:0000:0000:0000:0000:0000:0000:0000", "dual"),
    ("::0.0.0.0", "dual"), ("0:0:0:0:0:0:0.0.0.0", "dual"), ("0:0::0:0", "dual"),
    # one address of this machine that is not loopback
    ("192.0.2.7", "one 192.0.2.7"), ("::ffff:192.0.2.7", "one 192.0.2.7"),
    ("2001:db8::7", "one 2001:db8::7"), ("2001:0DB8:0000::0007", "one 2001:db8::7"),
    # loopback, in any spelling: no warning
    ("127.0.0.1", None), ("127.0.0.2", None), ("::1", None), ("0:0:0:0:0:0:0:1", None),
    ("::ffff:127.0.0.1", None), ("loopback", None),
]

EXPOSED_SPELLINGS_SETUP = r"""
set -e
ip link set lo up
ip link add sc0 type veth peer name sc1
ip link set sc0 up
ip link set sc1 up
ip addr add 192.0.2.7/24 dev sc0
ip addr add 2001:db8::7/64 dev sc0 nodad
set +e
cli=$1
dir=$2
shift 2
# All at once; each is stopped once it has said where it listens (or has
# ended by itself), however long a loaded or sanitized start takes.
n=0
for bind in "$@"; do
  "$cli" serve tcp-echo --bind "$bind" --port 0 >"$dir/$n.out" 2>"$dir/$n.err" &
  echo $! >"$dir/$n.pid"
  n=$((n + 1))
done
end=$(($(date +%s) + 90))
i=0
while [ $i -lt $n ]; do
  pid=$(cat "$dir/$i.pid")
  while ! grep -q "^Listening on" "$dir/$i.out" && kill -0 "$pid" 2>/dev/null \
      && [ "$(date +%s)" -lt $end ]; do
    sleep 0.05
  done
  kill -INT "$pid" 2>/dev/null
  wait "$pid"
  echo $? >"$dir/$i.rc"
  i=$((i + 1))
done
"""


@tap.case
def test_every_spelling_of_an_exposed_address_warns():
    if os.geteuid() != 0 or not shutil.which("ip"):
        raise SkipCase("needs root and ip for a network namespace of the test's own")
    probe = run(["unshare", "--net", "sh", "-c", "ip link add t0 type veth peer name t1"])
    if probe.returncode != 0:
        raise SkipCase("no veth pair in a new network namespace: "
                       + probe.stderr.decode().strip())
    directory = tempfile.mkdtemp(prefix="sockscope-exposed-")
    try:
        result = run(["unshare", "--net", "sh", "-c", EXPOSED_SPELLINGS_SETUP, "sh", CLI,
                      directory, *(spelling for spelling, _ in EXPOSED_SPELLINGS)])
        assert result.returncode == 0, result
        for i, (spelling, reach) in enumerate(EXPOSED_SPELLINGS):
            with open(os.path.join(directory, f"{i}.err"), encoding="utf-8") as f:
                stderr = f.read()
            with open(os.path.join(directory, f"{i}.rc")) as f:
                code = int(f.read())
            assert code == 0, (spelling, code, stderr)
            warnings = [line for line in stderr.splitlines() if line.startswith("Warning: ")]
            if reach is None:
                assert not warnings, (spelling, warnings)
                continue
            assert len(warnings) == 1, (spelling, stderr)
            warning = warnings[0]
            if reach.startswith("one "):
                assert warning == (f"Warning: Listening on {reach[4:]}, which is not a loopback "
                                   "address: other machines on its network can connect."), \
                    (spelling, warning)
                continue
            assert "other machines on your networks can connect, at" in warning, (spelling,
                                                                                    warning)
            assert "192.0.2.7" in warning, (spelling, warning)
            assert ("2001:db8::7" in warning) == (reach == "dual"), (spelling, warning)
            assert "127.0.0.1" not in warning and "::1," not in warning, (spelling, warning)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@tap.case
def test_host_not_found_is_explained():
    result = in_namespace(CLI, "send", "nosuch.invalid", "7", "hi")
    assert result.returncode == 1, result
    message = result.stderr.decode()
    assert ("Could not look up “nosuch.invalid”: The name or service is not known "
            "(EAI_NONAME)") in message, message


@tap.case
def test_unreachable_is_explained():
    result = in_namespace(CLI, "send", "192.0.2.1", "7", "hi")
    assert result.returncode == 1, result
    message = result.stderr.decode()
    assert ("Could not connect to 192.0.2.1:7: The network is unreachable: there is no route "
            "to it (ENETUNREACH)") in message, message


@tap.case
def test_timed_out_is_explained():
    start = time.monotonic()
    result = in_namespace(CLI, "send", "198.51.100.2", "7", "hi", "--connect-timeout", "1500")
    elapsed = time.monotonic() - start
    assert result.returncode == 1, result
    message = result.stderr.decode()
    assert ("Could not connect to 198.51.100.2:7: The connection timed out: the peer did not "
            "answer (ETIMEDOUT)") in message, message
    assert 1.4 < elapsed < 10, elapsed


# ---- the client against socat ---------------------------------------------

def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("socat did not listen")


@tap.case
def test_client_against_socat_tcp():
    need("socat")
    port = free_port()
    peer = subprocess.Popen(["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", "PIPE"])
    try:
        wait_listening(port)
        result = run([CLI, "send", "127.0.0.1", str(port), r"Hi!\r\n\x00\xff", "--shutdown"])
        assert result.returncode == 0, result
        assert result.stdout == b"Hi!\r\n\x00\xff", result.stdout
        assert re.match(rf"Connected to 127\.0\.0\.1:{port} from 127\.0\.0\.1:\d+",
                        result.stderr.decode()), result.stderr

        # Chunks of 4 with a pause between them: four sends, recorded.
        result = run([CLI, "send", "127.0.0.1", str(port), "0123456789abcdef",
                      "--chunk", "4", "--delay", "30", "--shutdown", "--events"])
        assert result.returncode == 0, result
        events = [json.loads(line) for line in result.stdout.decode().splitlines()]
        sends = [e for e in events if e["kind"] == "send"]
        assert [e["data"] for e in sends] == ["0123", "4567", "89ab", "cdef"], sends
        assert [e["offset"] for e in sends] == [0, 4, 8, 12]
        gaps = [b["time_us"] - a["time_us"] for a, b in zip(sends, sends[1:])]
        assert all(gap >= 25_000 for gap in gaps), gaps
        kinds = [e["kind"] for e in events]
        assert kinds[0] == "connect" and "shutdown" in kinds and kinds[-1] == "close", kinds
        received = b"".join(e.get("data", "").encode() for e in events if e["kind"] == "recv")
        assert received == b"0123456789abcdef", received
    finally:
        peer.terminate()
        peer.wait()


@tap.case
def test_client_against_socat_udp():
    need("socat")
    port = free_port(socket.SOCK_DGRAM)
    peer = subprocess.Popen(["socat", f"UDP-RECVFROM:{port},bind=127.0.0.1,fork", "PIPE"])
    try:
        time.sleep(0.3)
        result = run([CLI, "send", "127.0.0.1", str(port), "--udp", "datagram", "--events",
                      "--timeout", "2000"])
        assert result.returncode == 0, result
        events = [json.loads(line) for line in result.stdout.decode().splitlines()]
        sent = [e for e in events if e["kind"] == "sendto"]
        got = [e for e in events if e["kind"] == "recvfrom"]
        assert len(sent) == 1 and sent[0]["peer"] == f"127.0.0.1:{port}", sent
        assert [e["data"] for e in got] == ["datagram"], events
        # The client bound port 0: the port the OS chose is its local address (S13).
        local_port = int(sent[0]["local"].rsplit(":", 1)[1])
        assert local_port != 0 and local_port != port, sent[0]
    finally:
        peer.terminate()
        peer.wait()


@tap.case
def test_sigint_stops_cleanly():
    server = Server("tcp-echo", events=True)
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=TIMEOUT) == 0
    kinds = [e["kind"] for e in server.events()]
    assert kinds == ["listen", "close"], kinds
    server.out.close()
    os.unlink(server.events_path)


tap.run()
