#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A private network with a real name server in it, for the Lookup tests.

DnsNamespace starts a process in fresh network, mount and UTS namespaces
(`unshare --net --mount --uts`, root only). In there, the only interface is
`lo`; a temporary resolv.conf (`nameserver 127.0.0.1`), hosts file and
nsswitch.conf are bind-mounted over the machine's, the host name is
sockscope-lab, and a real dnsmasq on 127.0.0.1:53 serves the test zone
under sockscope.test, made of documentation addresses (192.0.2.0/24,
2001:db8::/32) only. Part of the zone and of the hosts file is hostile on
purpose (odd.sockscope.test, ODD_*): text and names with terminal escape
sequences, BEL, NUL and bytes that are not UTF-8, as a name server or a
file may send them. With services_extra, lines are added to a copy of the
machine's services file, mounted the same way. Commands run inside through `nsenter`; nothing can
reach past loopback, and the machine's own files are never touched (the
bind mounts exist only in the private mount namespace).

In "silent" mode there is no dnsmasq: a socket on 127.0.0.1:53 takes every
query and never answers, for the timeout tests.

    with DnsNamespace() as ns:
        ns.run(["getent", "hosts", "www.sockscope.test"])
        ns.python("import json, socket; "
                  "print(json.dumps(socket.gethostbyname('www.sockscope.test')))")

As a script: `dnsns.py [--silent] [--hosts N] -- COMMAND…` runs one command
inside and exits with its status.
"""

import atexit
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

DNSMASQ = "/usr/sbin/dnsmasq"
HOSTNAME = "sockscope-lab"
DOMAIN = "sockscope.test"
READY_TIMEOUT = 20


def _wire_name(name):
    return b"".join(bytes([len(label)]) + label.encode("ascii")
                    for label in name.split(".")) + b"\0"


# ---- the test zone --------------------------------------------------------
# What the tests compare against: every record dnsmasq is told to serve.

ZONE = {
    # name -> (IPv4 addresses, IPv6 addresses); dnsmasq also answers the
    # PTR of each of these addresses with the name.
    "hosts": {
        "sockscope.test": (["192.0.2.1"], []),
        "www.sockscope.test": (["192.0.2.10"], ["2001:db8::10"]),
        "backup.sockscope.test": (["192.0.2.11"], []),
        "v4only.sockscope.test": (["192.0.2.20"], []),
        "v6only.sockscope.test": ([], ["2001:db8::20"]),
        "multi.sockscope.test": (["192.0.2.31", "192.0.2.32"], []),
        "mail1.sockscope.test": (["192.0.2.25"], []),
        "mail2.sockscope.test": (["192.0.2.26"], []),
        "ns1.sockscope.test": (["192.0.2.53"], []),
        # bücher.sockscope.test, as DNS spells it (IDNA)
        "xn--bcher-kva.sockscope.test": (["192.0.2.40"], []),
    },
    # alias -> target: alias2 -> alias1 -> www
    "cnames": {
        "alias1.sockscope.test": "www.sockscope.test",
        "alias2.sockscope.test": "alias1.sockscope.test",
    },
    "mx": [("sockscope.test", 10, "mail1.sockscope.test"),
           ("sockscope.test", 20, "mail2.sockscope.test")],
    "txt": [("sockscope.test", "v=spf1 -all"),
            ("sockscope.test", "sockscope test zone")],
    # (name, priority, weight, port, target)
    "srv": [("_http._tcp.sockscope.test", 10, 60, 80, "www.sockscope.test"),
            ("_http._tcp.sockscope.test", 20, 0, 8080, "backup.sockscope.test")],
    "ns": [("sockscope.test", "ns1.sockscope.test")],
    # (name, mname, rname, serial, refresh, retry, expire, minimum)
    "soa": [("sockscope.test", "ns1.sockscope.test", "hostmaster.sockscope.test",
             2024050101, 7200, 900, 1209600, 300)],
    # A PTR with no forward record behind it.
    "ptr": [("192.0.2.77", "printer.sockscope.test")],
    # Records as raw data (name, type, RDATA), for what dnsmasq's own
    # options refuse: text and names with bytes no one should print.
    "raw": [],
}

# ---- what a hostile name server sends ------------------------------------
# odd.sockscope.test holds records with terminal escape sequences (a window
# title, a colour, clearing the screen), BEL, a NUL with text after it, a
# unit separator, a byte that is not UTF-8 and a backslash. The tests check
# that they come out escaped, whole, and never raw.

ODD_NAME = "odd.sockscope.test"
# Each TXT record: its strings, as the name server sends them.
ODD_TXT = [
    [b"a\x1b]0;pwned\x07b\x00after the NUL\x1f\xff\\end"],
    [b"v=spf1 ", b"\x1b[2J\x1b[31mred"],
]
# The same, as Sockscope shows them: the escapes of its Send box.
ODD_TXT_SHOWN = [
    "a\\x1b]0;pwned\\x07b\\0after the NUL\\x1f\\xff\\\\end",
    "v=spf1 \\x1b[2J\\x1b[31mred",
]
# A name with ESC and BEL in a label, for MX, SRV, NS, SOA and a PTR (of
# 192.0.2.66). The resolver gives it in DNS's own notation, \027 and \007.
ODD_LABELS = [b"ev\x1b]0;pwned\x07il", b"sockscope", b"test"]
ODD_NAME_SHOWN = "ev\\027]0\\;pwned\\007il.sockscope.test"
ODD_PTR_ADDRESS = "192.0.2.66"


def _wire_labels(labels):
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\0"


def _odd_records():
    odd = _wire_labels(ODD_LABELS)
    records = [(ODD_NAME, 16, b"".join(bytes([len(t)]) + t for t in strings))
               for strings in ODD_TXT]
    records += [(ODD_NAME, 15, struct.pack(">H", 5) + odd),
                (ODD_NAME, 33, struct.pack(">HHH", 1, 2, 3) + odd),
                (ODD_NAME, 2, odd),
                (ODD_NAME, 6, odd + odd + struct.pack(">5I", 1, 2, 3, 4, 5))]
    reverse = ".".join(reversed(ODD_PTR_ADDRESS.split("."))) + ".in-addr.arpa"
    records.append((reverse, 12, odd))
    return records


ZONE["raw"] = _odd_records()

# Names in the hosts file with ESC, BEL and a right-to-left override in
# them, which the C library passes on as they are (dnsmasq refuses such a
# CNAME, and the C library such a PTR from DNS; the hosts file is where a
# canonical name, an alias and a reverse name can hold them).
ODD_HOSTS_ADDRESS = "192.0.2.98"
ODD_HOSTS_NAMES = ["odd\x1b]0;pwned\x07name.sockscope.test", "hostsodd.sockscope.test",
                   "al\x1b[2Jias", "txt\u202egnp.exe"]
ODD_HOSTS_SHOWN = ["odd\\x1b]0;pwned\\x07name.sockscope.test", "hostsodd.sockscope.test",
                   "al\\x1b[2Jias", "txt\\xe2\\x80\\xaegnp.exe"]

# Lines added to the machine's services file where a test asks for them:
# names with ESC, BEL and a right-to-left override, on a port no one uses.
ODD_SERVICE_PORT = 61111
ODD_SERVICES = f"""\
ev\x1b]0;pwned\x07il\t{ODD_SERVICE_PORT}/tcp\tal\x1b[2Jias txt\u202egnp
"""
ODD_SERVICE_SHOWN = ("ev\\x1b]0;pwned\\x07il", "al\\x1b[2Jias txt\\xe2\\x80\\xaegnp")

# The hosts file inside: localhost, the namespace's own name, and one name
# that DNS does not know, so a lookup can show where an answer came from.
HOSTS_FILE = f"""\
127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
127.0.1.1\t{HOSTNAME}.{DOMAIN} {HOSTNAME}
192.0.2.99\thostsonly.{DOMAIN}
{ODD_HOSTS_ADDRESS}\t{" ".join(ODD_HOSTS_NAMES)}
"""
HOSTS_ONLY = {"hostsonly.sockscope.test": "192.0.2.99"}

NSSWITCH = """\
passwd:         files
group:          files
shadow:         files
hosts:          files dns
networks:       files
protocols:      files
services:       files
ethers:         files
rpc:            files
"""


def dnsmasq_zone_args(zone=ZONE, extra_hosts=()):
    """dnsmasq's options for the zone; extra_hosts: (name, ipv4) pairs."""
    args = []
    for name, (v4, v6) in zone["hosts"].items():
        # One --host-record per address: dnsmasq takes one of each family.
        for address in v4 + v6:
            args.append(f"--host-record={name},{address}")
    for name, address in extra_hosts:
        args.append(f"--host-record={name},{address}")
    for alias, target in zone["cnames"].items():
        args.append(f"--cname={alias},{target}")
    for name, preference, exchange in zone["mx"]:
        args.append(f"--mx-host={name},{exchange},{preference}")
    for name, text in zone["txt"]:
        args.append(f"--txt-record={name},{text}")
    for name, priority, weight, port, target in zone["srv"]:
        args.append(f"--srv-host={name},{target},{port},{priority},{weight}")
    # dnsmasq serves NS and SOA itself only as an authoritative server,
    # which then stops following CNAME chains; raw records do both.
    for name, server in zone["ns"]:
        args.append(f"--dns-rr={name},2,{_wire_name(server).hex()}")
    for name, mname, rname, *numbers in zone["soa"]:
        data = _wire_name(mname) + _wire_name(rname) + struct.pack(">5I", *numbers)
        args.append(f"--dns-rr={name},6,{data.hex()}")
    for address, name in zone["ptr"]:
        reverse = ".".join(reversed(address.split("."))) + ".in-addr.arpa"
        args.append(f"--ptr-record={reverse},{name}")
    for name, rrtype, data in zone.get("raw", []):
        args.append(f"--dns-rr={name},{rrtype},{data.hex()}")
    return args


class Unavailable(Exception):
    """The namespace cannot be made here; the message says why."""


def _query(name, qtype=1, port=53, timeout=0.5):
    """One DNS query to 127.0.0.1; the response's rcode and answer count."""
    packet = struct.pack(">HHHHHH", 0x5353, 0x0100, 1, 0, 0, 0) + _wire_name(name)
    packet += struct.pack(">HH", qtype, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(packet, ("127.0.0.1", port))
        data = s.recv(4096)
    return data[3] & 0x0f, struct.unpack(">H", data[6:8])[0]


def _die_with_parent():
    """In a child: be killed when the namespace's process goes away."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _inside(config_path):
    """The namespace's first process: set up, report ready, wait for EOF."""
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)

    def sh(*argv):
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"dnsns: {' '.join(argv)} failed: {result.stderr.strip()}")

    sh("ip", "link", "set", "lo", "up")
    socket.sethostname(HOSTNAME)
    for source, target in config["mounts"]:
        sh("mount", "--bind", source, target)

    server = None
    queries = []
    if config["silent"]:
        silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        silent.bind(("127.0.0.1", 53))

        def swallow():
            while True:
                queries.append(silent.recv(4096))

        threading.Thread(target=swallow, daemon=True).start()
    else:
        # --no-daemon copies every log line to stderr: into a file, as a
        # pipe nobody reads would fill and stop dnsmasq after 300 lookups.
        errors = open(config["stderr"], "w+b")
        server = subprocess.Popen([DNSMASQ, *config["dnsmasq"]], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=errors,
                                  preexec_fn=_die_with_parent)
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if server.poll() is not None:
                errors.seek(0)
                raise SystemExit("dnsns: dnsmasq exited: " + errors.read().decode()[-2000:])
            try:
                if _query("www.sockscope.test") == (0, 1):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("dnsns: dnsmasq did not answer")
            time.sleep(0.02)

    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our standard input
    if server is not None:
        server.terminate()
        server.wait()


def _available():
    if sys.platform != "linux":
        return "the DNS tests need Linux namespaces"
    if os.geteuid() != 0:
        return "the DNS tests need root for unshare --net --mount (run as root to include them)"
    for tool in ("unshare", "nsenter", "ip", "mount"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (util-linux, iproute2)"
    return None


class DnsNamespace:
    """A private network with dnsmasq serving ZONE (or a silent server)."""

    def __init__(self, silent=False, extra_hosts=(), services_extra=None):
        """services_extra: lines added to the machine's services file
        inside (bind-mounted over /etc/services like the others)."""
        self.silent = silent
        self.extra_hosts = list(extra_hosts)
        self.services_extra = services_extra
        self.process = None
        self.errors = None
        self.tmp = None

    # -- life -----------------------------------------------------------

    def start(self):
        reason = _available()
        if reason is None and not self.silent and not os.access(DNSMASQ, os.X_OK):
            reason = f"{DNSMASQ} is not installed (Debian: dnsmasq-base)"
        if reason:
            raise Unavailable(reason)

        self.tmp = tempfile.mkdtemp(prefix="sockscope-dnsns-")
        atexit.register(self.stop)
        resolv = "nameserver 127.0.0.1\n"
        if self.silent:
            # glibc's own retries must not end the wait before ours does.
            resolv += "options timeout:30 attempts:1\n"
        mounts = []
        files = [("/etc/resolv.conf", resolv), ("/etc/hosts", HOSTS_FILE),
                 ("/etc/nsswitch.conf", NSSWITCH)]
        if self.services_extra is not None:
            try:
                with open("/etc/services", encoding="utf-8", errors="surrogateescape") as f:
                    services = f.read()
            except OSError:
                services = ""
            files.append(("/etc/services", services + self.services_extra))
        for target, text in files:
            source = os.path.join(self.tmp, os.path.basename(target))
            with open(source, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
            mounts.append((source, target))

        self.log_path = os.path.join(self.tmp, "dnsmasq.log")
        dnsmasq = ["--conf-file=/dev/null", "--no-daemon", "--no-resolv", "--no-hosts",
                   "--listen-address=127.0.0.1", "--bind-interfaces", "--port=53",
                   "--pid-file=", "--user=root", "--log-queries",
                   f"--log-facility={self.log_path}",
                   # Names in the zone that are not there: "does not exist",
                   # not the "refused" of a server with nowhere to ask; so
                   # for localhost (RFC 6761) and for addresses with no PTR.
                   f"--local=/{DOMAIN}/", "--local=/localhost/", "--local=/in-addr.arpa/",
                   "--local=/ip6.arpa/",
                   *dnsmasq_zone_args(ZONE, self.extra_hosts)]
        config_path = os.path.join(self.tmp, "config.json")
        with open(config_path, "w", encoding="utf-8") as f:
            json.dump({"silent": self.silent, "mounts": mounts, "dnsmasq": dnsmasq,
                       "stderr": os.path.join(self.tmp, "dnsmasq.stderr")}, f)

        self.errors = open(os.path.join(self.tmp, "inside.stderr"), "w+")
        self.process = subprocess.Popen(
            ["unshare", "--net", "--mount", "--uts", "--", sys.executable,
             os.path.abspath(__file__), "--inside", config_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], READY_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if line.strip() != "ready":
            self.process.kill()
            self.process.wait(timeout=10)
            self.errors.seek(0)
            err = self.errors.read().strip()[-2000:] or "no answer"
            self.process.stdout.close()
            self.process = None
            self.stop()
            if "unshare failed" in err or "Operation not permitted" in err:
                raise Unavailable(f"cannot make a private network here: {err}")
            raise RuntimeError(f"the DNS namespace did not start: {err}")
        return self

    def stop(self):
        if self.process is not None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
            self.process = None
        if getattr(self, "errors", None) is not None:
            self.errors.close()
            self.errors = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- inside ---------------------------------------------------------

    def command(self, argv):
        """argv wrapped so that it runs inside the namespace."""
        assert self.process is not None, "the namespace is not running"
        # Entering a mount namespace moves to its root: come back here.
        return ["nsenter", "-t", str(self.process.pid), "--net", "--mount", "--uts",
                f"--wd={os.getcwd()}", "--", *argv]

    def run(self, argv, timeout=60, env=None, **kwargs):
        """Runs argv inside; a CompletedProcess with text output."""
        return subprocess.run(self.command(argv), capture_output=True, text=True,
                              timeout=timeout, env=env, **kwargs)

    def popen(self, argv, **kwargs):
        return subprocess.Popen(self.command(argv), **kwargs)

    def python(self, code, timeout=60):
        """Runs Python code inside with the system's python3; what it
        printed as JSON, decoded."""
        result = self.run(["/usr/bin/python3", "-c", code], timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"python inside the namespace failed:\n{result.stderr}")
        return json.loads(result.stdout)

    def log(self):
        """What dnsmasq logged so far: one line per query and answer."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def main(argv):
    if argv[:1] == ["--inside"]:
        _inside(argv[1])
        return 0
    silent = False
    extra = 0
    while argv and argv[0] != "--":
        option = argv.pop(0)
        if option == "--silent":
            silent = True
        elif option == "--hosts":
            extra = int(argv.pop(0))
        else:
            print(f"dnsns.py: unknown option {option}", file=sys.stderr)
            return 2
    if not argv[1:]:
        print("usage: dnsns.py [--silent] [--hosts N] -- COMMAND…", file=sys.stderr)
        return 2
    # A SIGTERM (from timeout(1), say) still takes the namespace down.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with DnsNamespace(silent=silent, extra_hosts=numbered_hosts(extra)) as ns:
            return subprocess.run(ns.command(argv[1:])).returncode
    except Unavailable as error:
        print(f"dnsns.py: {error}", file=sys.stderr)
        return 77


def numbered_hosts(count):
    """n0.sockscope.test … as (name, 192.0.2.x / 198.51.100.x) pairs."""
    assert count <= 500, "two documentation nets of 250 names at most"
    hosts = []
    for i in range(count):
        # 198.51.100.0/24 and 203.0.113.0/24 are documentation nets too.
        net = ("198.51.100", "203.0.113")[(i // 250) % 2]
        hosts.append((f"n{i}.{DOMAIN}", f"{net}.{i % 250 + 1}"))
    return hosts


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
