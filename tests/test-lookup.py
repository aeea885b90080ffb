#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`sockscope-cli lookup` against a real name server: dnsmasq in a private
network (tests/dnsns.py) serving the test zone under sockscope.test. Every
kind of lookup is checked against the zone and against what Python's socket
module answers to the same question in the same namespace; what a hostile
name server, hosts file or services file sends (escape sequences, BEL, a
NUL, bytes that are not UTF-8) shown escaped and whole, in the tables and
the JSON; then a name server that never answers (the timeout), and bad
input (exit status 2 and a message that says what is wrong). Root only:
elsewhere the whole test is skipped with the reason."""

import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

sys.path.insert(0, os.path.dirname(__file__))
from dnsns import (HOSTNAME, HOSTS_ONLY, ODD_HOSTS_ADDRESS, ODD_HOSTS_NAMES,  # noqa: E402
                   ODD_HOSTS_SHOWN, ODD_NAME, ODD_NAME_SHOWN, ODD_PTR_ADDRESS, ODD_SERVICE_PORT,
                   ODD_SERVICE_SHOWN, ODD_SERVICES, ODD_TXT, ODD_TXT_SHOWN, ZONE, DnsNamespace,
                   Unavailable)
from taplib import SkipCase, Tap  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
tap = Tap()
NS = None       # the zone's namespace, for every case but the silent ones
SILENT = None   # a name server that never answers

INT_COLUMNS = {"family_value", "socktype_value", "protocol_value", "port", "flowinfo",
               "scope_id", "preference", "priority", "weight", "serial", "refresh", "retry",
               "expire", "minimum"}
FAMILIES = {"AF_INET": 2, "AF_INET6": 10}
SOCKTYPES = {"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3}
PROTOCOLS = {"IPPROTO_TCP": 6, "IPPROTO_UDP": 17}

# Run in the namespace before each piece of Python that answers a question.
PRELUDE = r"""
import json, socket, sys

def out(value):
    print(json.dumps(value))

def eai_name(code):
    names = [n for n in dir(socket) if n.startswith("EAI_") and getattr(socket, n) == code]
    return names[0] if names else str(code)

def attempt(fn):
    try:
        return {"ok": fn()}
    except socket.gaierror as e:
        return {"error": eai_name(e.errno), "text": e.strerror}
    except socket.herror as e:
        return {"error": "herror", "text": e.strerror}
    except OSError as e:
        return {"error": "OSError", "text": str(e)}

def tuples(infos):
    return [[int(f), int(t), p, c, repr(sa)] for f, t, p, c, sa in infos]
"""


def py(code):
    """Runs code (which calls out()) in the zone's namespace; its value."""
    return NS.python(PRELUDE + textwrap.dedent(code))


class Answer:
    """One run of `sockscope-cli lookup … --json`."""

    def __init__(self, args, ns=None, json_output=True, timeout=60):
        argv = [CLI, "lookup", *args] + (["--json"] if json_output else [])
        start = time.monotonic()
        result = (ns or NS).run(argv, timeout=timeout, env=ENV)
        self.seconds = time.monotonic() - start
        self.args = args
        self.status = result.returncode
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.doc = None
        if json_output and self.status == 0:
            self.doc = json.loads(result.stdout)
            check_contract(self.doc)

    def __repr__(self):
        return (f"lookup {' '.join(self.args)}: exit {self.status}\n"
                f"stderr: {self.stderr}\nstdout: {self.stdout[:3000]}")

    def ok(self):
        assert self.status == 0, self
        return self

    def section(self, section_id):
        found = [s for s in self.doc["sections"] if s["id"] == section_id]
        assert len(found) == 1, f"no section {section_id!r} in {self!r}"
        return found[0]

    def rows(self, section_id):
        section = self.section(section_id)
        assert section["error"] is None, f"section {section_id}: {section['error']}\n{self!r}"
        return section["rows"]

    def ids(self):
        return [s["id"] for s in self.doc["sections"]]


def lookup(*args, **kwargs):
    return Answer(args, **kwargs)


def check_contract(doc):
    """The shape every answer has, whatever the kind."""
    assert set(doc) == {"kind", "query", "service", "elapsed_us", "notes", "sections", "code"}, \
        sorted(doc)
    assert isinstance(doc["elapsed_us"], int) and doc["elapsed_us"] >= 0, doc["elapsed_us"]
    assert isinstance(doc["notes"], list) and all(isinstance(n, str) for n in doc["notes"])
    assert set(doc["code"]) == {"python", "c"}, doc["code"]
    assert doc["code"]["python"] and doc["code"]["c"]
    assert doc["sections"], "an answer with no sections"
    for section in doc["sections"]:
        assert set(section) == {"id", "title", "explanation", "error", "rows"}, sorted(section)
        assert section["title"] and section["explanation"], section
        # A section says why it is empty; one with rows has no error.
        assert (section["error"] is None) == bool(section["rows"]), section
        for row in section["rows"]:
            for column, value in row.items():
                if value is None:
                    continue
                if column in INT_COLUMNS:
                    assert isinstance(value, int) and not isinstance(value, bool), (column, row)
                else:
                    assert isinstance(value, str), (column, row)
                    assert value != "", f"an empty cell is null, not \"\": {column} in {row}"


def need_namespace():
    if NS is None:
        raise SkipCase("the DNS namespace did not start")


# ---- address info ---------------------------------------------------------

def addrinfo_rows(answer):
    """Our rows in the shape of Python's getaddrinfo tuples."""
    rows = answer.rows("addrinfo")
    for row in rows:
        assert set(row) == {"family", "family_value", "socktype", "socktype_value", "protocol",
                            "protocol_value", "canonname", "address", "port", "flowinfo",
                            "scope_id", "sockaddr"}, sorted(row)
        assert FAMILIES.get(row["family"]) == row["family_value"], row
        assert SOCKTYPES.get(row["socktype"]) == row["socktype_value"], row
        if row["protocol"] in PROTOCOLS:
            assert PROTOCOLS[row["protocol"]] == row["protocol_value"], row
        if row["family"] == "AF_INET":
            assert row["flowinfo"] is None and row["scope_id"] is None, row
            assert row["sockaddr"] == repr((row["address"], row["port"])), row
        else:
            assert isinstance(row["flowinfo"], int) and isinstance(row["scope_id"], int), row
    return [[r["family_value"], r["socktype_value"], r["protocol_value"], r["canonname"] or "",
             r["sockaddr"]] for r in rows]


def python_addrinfo(host, service=None, family=0, type=0, proto=0, flags=0):
    return py(f"""
        out(attempt(lambda: tuples(socket.getaddrinfo({host!r}, {service!r}, {family}, {type},
                                                      {proto}, {flags}))))
    """)


def same_as_python(args, host, service=None, **hints):
    answer = lookup("addrinfo", *args)
    expected = python_addrinfo(host, service, **hints)
    if "error" in expected:
        assert answer.status == 1, f"Python says {expected}, we say {answer!r}"
        assert f"({expected['error']})" in answer.stderr, (expected, answer.stderr)
        return answer, None
    ours = addrinfo_rows(answer.ok())
    assert ours == expected["ok"], f"\nours:   {ours}\npython: {expected['ok']}"
    return answer, ours


@tap.case
def test_addrinfo_of_a_name_in_the_zone():
    need_namespace()
    answer, rows = same_as_python(["www.sockscope.test", "http"], "www.sockscope.test", "http")
    v4, v6 = ZONE["hosts"]["www.sockscope.test"]
    assert {r["address"] for r in answer.rows("addrinfo")} == set(v4 + v6), answer
    assert {r["port"] for r in answer.rows("addrinfo")} == {80}
    assert answer.doc["kind"] == "addrinfo" and answer.doc["service"] == "http"
    assert answer.doc["query"] == "www.sockscope.test"


@tap.case
def test_addrinfo_follows_the_alias_chain_to_the_canonical_name():
    need_namespace()
    answer, rows = same_as_python(["alias2.sockscope.test", "443", "--flags", "canonname"],
                                  "alias2.sockscope.test", "443", flags=2)
    # alias2 -> alias1 -> www: the first row carries the end of the chain.
    assert rows[0][3] == "www.sockscope.test", rows
    assert all(r["port"] == 443 for r in answer.rows("addrinfo"))


@tap.case
def test_addrinfo_hints():
    need_namespace()
    for args, hints in (
            (["--family", "ipv4"], dict(family=2)),
            (["--family", "ipv6"], dict(family=10)),
            (["--type", "dgram"], dict(type=2)),
            (["--proto", "tcp"], dict(proto=6)),
            (["--family", "ipv6", "--type", "stream", "--proto", "tcp"],
             dict(family=10, type=1, proto=6))):
        answer, rows = same_as_python(["www.sockscope.test", "8080", *args],
                                      "www.sockscope.test", "8080", **hints)
        assert rows, args
        if "family" in hints:
            assert {r[0] for r in rows} == {hints["family"]}, (args, rows)
        if "type" in hints:
            assert {r[1] for r in rows} == {hints["type"]}, (args, rows)


@tap.case
def test_addrinfo_flags():
    need_namespace()
    import socket as s

    cases = [
        (["192.0.2.10", "80", "--flags", "numerichost"], ("192.0.2.10", "80"),
         s.AI_NUMERICHOST),
        (["www.sockscope.test", "80", "--flags", "numerichost"], ("www.sockscope.test", "80"),
         s.AI_NUMERICHOST),
        (["www.sockscope.test", "http", "--flags", "numericserv"], ("www.sockscope.test",
                                                                    "http"), s.AI_NUMERICSERV),
        (["", "8080", "--flags", "passive"], (None, "8080"), s.AI_PASSIVE),
        (["", "8080"], (None, "8080"), 0),
        (["v4only.sockscope.test", "80", "--family", "ipv6", "--flags", "v4mapped"],
         ("v4only.sockscope.test", "80"), s.AI_V4MAPPED),
        (["www.sockscope.test", "80", "--family", "ipv6", "--flags", "v4mapped,all"],
         ("www.sockscope.test", "80"), s.AI_V4MAPPED | s.AI_ALL),
        (["www.sockscope.test", "80", "--flags", "AI_ADDRCONFIG"],
         ("www.sockscope.test", "80"), s.AI_ADDRCONFIG),
    ]
    for args, (host, service), flags in cases:
        family = 10 if "ipv6" in args else 0
        same_as_python(args, host, service, family=family, flags=flags)
    # The mapped address is the zone's IPv4 one.
    answer = lookup("addrinfo", "v4only.sockscope.test", "80", "--family", "ipv6",
                    "--flags", "v4mapped").ok()
    addresses = {r["address"] for r in answer.rows("addrinfo")}
    assert addresses == {"::ffff:192.0.2.20"}, addresses


@tap.case
def test_addrinfo_ipv6_scope_id_kept():
    need_namespace()
    answer, rows = same_as_python(["fe80::1%lo", "80", "--type", "stream"], "fe80::1%lo", "80",
                                  type=1)
    row = answer.rows("addrinfo")[0]
    assert row["scope_id"] == py("out(socket.if_nametoindex('lo'))"), row


@tap.case
def test_addrinfo_errors_match_python():
    need_namespace()
    for args, host, service, hints in (
            (["nosuch.sockscope.test"], "nosuch.sockscope.test", None, {}),
            (["v6only.sockscope.test", "--family", "ipv4"], "v6only.sockscope.test", None,
             dict(family=2)),
            (["www.sockscope.test", "nosuchservice"], "www.sockscope.test", "nosuchservice", {}),
            (["www.sockscope.test", "http", "--type", "dgram"], "www.sockscope.test", "http",
             dict(type=2)),
            # Outside the zone dnsmasq has nowhere to ask: it refuses.
            (["nowhere.example"], "nowhere.example", None, {})):
        expected = python_addrinfo(host, service, **hints)
        assert "error" in expected, f"{host} {service} should fail: {expected}"
        answer = lookup("addrinfo", *args)
        assert answer.status == 1, answer
        assert answer.stdout == "", answer
        message = answer.stderr.strip().removeprefix("sockscope-cli lookup: ")
        # Words first, then the code's name in parentheses.
        assert message.endswith(f"({expected['error']})"), (expected, message)
        assert len(message) > len(expected["error"]) + 10, message


@tap.case
def test_localhost_http_gives_stream_and_datagram_rows():
    need_namespace()
    answer, rows = same_as_python(["localhost", "http"], "localhost", "http")
    socktypes = {r["socktype"] for r in answer.rows("addrinfo")}
    http_udp = py("out(attempt(lambda: socket.getservbyname('http', 'udp')))")
    if "ok" in http_udp:
        assert socktypes >= {"SOCK_STREAM", "SOCK_DGRAM"}, socktypes
    else:
        # This machine's services database lists http for TCP only (Debian's
        # netbase since 6.0): the answer must say why the datagram rows are
        # missing, and the port number must give them.
        assert socktypes == {"SOCK_STREAM"}, socktypes
        assert any("UDP" in note for note in answer.doc["notes"]), answer.doc["notes"]
    answer, rows = same_as_python(["localhost", "80"], "localhost", "80")
    by_type = {}
    for row in answer.rows("addrinfo"):
        by_type.setdefault(row["socktype"], set()).add(row["address"])
    assert by_type["SOCK_STREAM"] == by_type["SOCK_DGRAM"] == {"127.0.0.1", "::1"}, by_type
    udp = [r for r in answer.rows("addrinfo") if r["socktype"] == "SOCK_DGRAM"]
    assert {r["protocol"] for r in udp} == {"IPPROTO_UDP"}, udp


@tap.case
def test_addrinfo_of_an_internationalized_name():
    need_namespace()
    answer, rows = same_as_python(["bücher.sockscope.test", "80"], "bücher.sockscope.test", "80")
    assert {r["address"] for r in answer.rows("addrinfo")} == {"192.0.2.40"}
    assert any("xn--bcher-kva.sockscope.test" in note for note in answer.doc["notes"]), \
        answer.doc["notes"]


@tap.case
def test_addrinfo_python_code_gives_the_same_rows():
    """S24: the Python line the answer offers, run as it is, says the same."""
    need_namespace()
    for args in (["alias2.sockscope.test", "http", "--flags", "canonname", "--family", "ipv4"],
                 ["www.sockscope.test", "53", "--type", "dgram"],
                 ["", "8080", "--flags", "passive,numericserv"]):
        answer = lookup("addrinfo", *args).ok()
        values = run_python_code(answer.doc["code"]["python"])
        assert len(values) == 1, values
        assert values[0] == addrinfo_rows(answer), (args, values, answer.doc["code"]["python"])


def run_python_code(code):
    """Each top-level expression's value, as JSON, of code run in the namespace."""
    return py(f"""
        import ast
        code = {code!r}
        scope, values = {{}}, []
        for node in ast.parse(code).body:
            if isinstance(node, ast.Expr):
                value = eval(compile(ast.Expression(node.value), "<code>", "eval"), scope)
                if isinstance(value, list) and value and isinstance(value[0], tuple) \\
                        and len(value[0]) == 5:
                    value = tuples(value)
                values.append(value)
            else:
                exec(compile(ast.Module([node], []), "<code>", "exec"), scope)
        out(values)
    """)


# ---- host -----------------------------------------------------------------

def host_answer(name, *args):
    answer = lookup("host", name, *args).ok()
    assert answer.ids() == ["canonical", "aliases", "addresses"], answer.ids()
    canonical = answer.rows("canonical")
    assert len(canonical) == 1, canonical
    aliases = answer.section("aliases")["rows"]
    addresses = answer.rows("addresses")
    for row in addresses:
        family = "AF_INET6" if ":" in row["address"] else "AF_INET"
        assert row["family"] == family, row
    return answer, (canonical[0]["name"], [r["name"] for r in aliases],
                    [r["address"] for r in addresses])


@tap.case
def test_host_against_gethostbyname_ex():
    need_namespace()
    for name in ("alias2.sockscope.test", "alias1.sockscope.test", "www.sockscope.test",
                 "multi.sockscope.test", "hostsonly.sockscope.test", "localhost"):
        answer, ours = host_answer(name)
        expected = py(f"out(attempt(lambda: socket.gethostbyname_ex({name!r})))")
        assert "ok" in expected, expected
        assert list(ours) == expected["ok"], f"{name}:\nours:   {ours}\npython: {expected}"
    # And against the zone.
    answer, (canonical, aliases, addresses) = host_answer("alias2.sockscope.test")
    assert canonical == "www.sockscope.test"
    assert aliases == ["alias2.sockscope.test", "alias1.sockscope.test"], aliases
    assert addresses == ZONE["hosts"]["www.sockscope.test"][0]
    answer, (canonical, aliases, addresses) = host_answer("multi.sockscope.test")
    assert sorted(addresses) == ZONE["hosts"]["multi.sockscope.test"][0], addresses
    assert answer.section("aliases")["error"], "an empty section says why"


@tap.case
def test_host_ipv6():
    need_namespace()
    answer, (canonical, aliases, addresses) = host_answer("alias1.sockscope.test", "--family",
                                                          "ipv6")
    assert canonical == "www.sockscope.test", canonical
    assert addresses == ZONE["hosts"]["www.sockscope.test"][1], addresses


@tap.case
def test_host_that_does_not_exist():
    need_namespace()
    expected = py("out(attempt(lambda: socket.gethostbyname_ex('nosuch.sockscope.test')))")
    assert "error" in expected, expected
    answer = lookup("host", "nosuch.sockscope.test")
    assert answer.status == 1, answer
    assert "nosuch.sockscope.test" in answer.stderr or "not" in answer.stderr, answer
    assert answer.stderr.rstrip().endswith(")"), "the code's name comes last: " + answer.stderr


# ---- reverse --------------------------------------------------------------

def python_reverse(target):
    return py(f"""
        target = {target!r}
        out({{
            "getnameinfo": attempt(lambda: socket.getnameinfo((target, 0), 0)[0]),
            "namereqd": attempt(lambda: socket.getnameinfo((target, 0), socket.NI_NAMEREQD)[0]),
            "gethostbyaddr": attempt(lambda: socket.gethostbyaddr(target)),
            "fqdn": socket.getfqdn(target),
        }})
    """)


@tap.case
def test_reverse_against_python():
    need_namespace()
    for address, name in (("192.0.2.10", "www.sockscope.test"),
                          ("2001:db8::10", "www.sockscope.test"),
                          ("192.0.2.77", "printer.sockscope.test"),
                          ("192.0.2.99", "hostsonly.sockscope.test"),
                          ("127.0.0.1", "localhost")):
        answer = lookup("reverse", address).ok()
        assert answer.ids() == ["getnameinfo", "gethostbyaddr", "gresolver", "fqdn"], answer.ids()
        expected = python_reverse(address)
        assert answer.rows("getnameinfo") == [{"host": expected["getnameinfo"]["ok"]}], \
            (answer.rows("getnameinfo"), expected)
        assert expected["getnameinfo"]["ok"] == name, expected
        hostname, aliases, addresses = expected["gethostbyaddr"]["ok"]
        assert answer.rows("gethostbyaddr") == (
            [{"role": "name", "value": hostname}]
            + [{"role": "alias", "value": a} for a in aliases]
            + [{"role": "address", "value": a} for a in addresses]), \
            (answer.rows("gethostbyaddr"), expected["gethostbyaddr"])
        assert answer.rows("fqdn") == [{"name": expected["fqdn"]}], (answer.rows("fqdn"),
                                                                      expected)
        if address != "127.0.0.1" and address != "192.0.2.99":
            # GLib asks DNS (and the hosts file) with NI_NAMEREQD.
            assert answer.rows("gresolver") == [{"name": expected["namereqd"]["ok"]}], \
                (answer.rows("gresolver"), expected)


@tap.case
def test_reverse_of_an_address_with_no_name():
    need_namespace()
    address = "192.0.2.200"
    expected = python_reverse(address)
    assert expected["getnameinfo"] == {"ok": address}, expected
    assert expected["namereqd"]["error"] == "EAI_NONAME", expected
    assert "error" in expected["gethostbyaddr"], expected
    answer = lookup("reverse", address).ok()
    assert answer.rows("getnameinfo") == [{"host": address}]
    for section in ("gethostbyaddr", "gresolver"):
        assert answer.section(section)["rows"] == [], answer.section(section)
        assert answer.section(section)["error"], answer.section(section)
    assert answer.rows("fqdn") == [{"name": expected["fqdn"]}] == [{"name": address}]

    answer = lookup("reverse", address, "--namereqd").ok()
    error = answer.section("getnameinfo")["error"]
    assert error and error.endswith("(EAI_NONAME)"), answer.section("getnameinfo")


@tap.case
def test_reverse_numerichost():
    need_namespace()
    answer = lookup("reverse", "192.0.2.10", "--numerichost").ok()
    expected = py("out(socket.getnameinfo(('192.0.2.10', 0), socket.NI_NUMERICHOST)[0])")
    assert answer.rows("getnameinfo") == [{"host": expected}] == [{"host": "192.0.2.10"}]


@tap.case
def test_reverse_of_a_name():
    need_namespace()
    name = "alias2.sockscope.test"
    expected = python_reverse(name)
    answer = lookup("reverse", name).ok()
    hostname, aliases, addresses = expected["gethostbyaddr"]["ok"]
    assert answer.rows("gethostbyaddr")[0] == {"role": "name", "value": hostname}, \
        (answer.rows("gethostbyaddr"), expected)
    assert answer.rows("fqdn") == [{"name": expected["fqdn"]}] == \
        [{"name": "www.sockscope.test"}], answer.rows("fqdn")


# ---- services -------------------------------------------------------------

def services_file():
    """This machine's services database as (name, port, proto, aliases)."""
    entries = []
    with open("/etc/services", encoding="utf-8", errors="replace") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) >= 2 and "/" in words[1]:
                port, proto = words[1].split("/", 1)
                entries.append((words[0], int(port), proto, words[2:]))
    return entries


def python_services(name=None, port=None):
    call = (f"socket.getservbyname({name!r}, proto)" if name is not None
            else f"socket.getservbyport({port}, proto)")
    return py(f"out({{proto: attempt(lambda: {call}) for proto in ('tcp', 'udp')}})")


@tap.case
def test_service_by_name_and_port():
    need_namespace()
    database = services_file()
    checked = 0
    for query in ("http", "domain", "ssh", "discard", "sink", "www", "80", "53", "9", "22"):
        numeric = query.isdigit()
        expected = python_services(port=int(query)) if numeric else python_services(query)
        answer = lookup("service", query)
        if not any("ok" in v for v in expected.values()):
            assert answer.status == 1, answer
            continue
        rows = answer.ok().rows("services")
        found = [p for p in ("tcp", "udp") if "ok" in expected[p]]
        assert [r["protocol"] for r in rows] == found, (query, rows, expected)
        for row in rows:
            assert set(row) == {"name", "port", "protocol", "aliases"}, row
            want = expected[row["protocol"]]["ok"]
            if numeric:
                assert row["name"] == want and row["port"] == int(query), (row, want)
            else:
                assert row["port"] == want, (row, want)
            # Against the file itself: the official name and its aliases.
            entry = next(e for e in database if e[2] == row["protocol"] and e[1] == row["port"]
                         and (numeric or query == e[0] or query in e[3]))
            assert row["name"] == entry[0], (row, entry)
            assert row["aliases"] == (" ".join(entry[3]) or None), (row, entry)
            checked += 1
        missing = [p for p in ("tcp", "udp") if "ok" not in expected[p]]
        if missing:
            assert any(p.upper() in " ".join(answer.doc["notes"]) for p in missing), \
                (query, answer.doc["notes"])
    assert checked >= 10, checked


@tap.case
def test_service_one_protocol():
    need_namespace()
    rows = lookup("service", "domain", "--proto", "udp").ok().rows("services")
    assert rows == [{"name": "domain", "port": 53, "protocol": "udp", "aliases": None}], rows
    answer = lookup("service", "http", "--proto", "udp")
    expected = py("out(attempt(lambda: socket.getservbyname('http', 'udp')))")
    if "ok" in expected:
        assert answer.ok().rows("services")[0]["port"] == 80
    else:
        assert answer.status == 1, answer
        assert "not in this machine’s services database" in answer.stderr, answer


@tap.case
def test_unknown_service():
    need_namespace()
    for query in ("nosuchservice", "4"):
        answer = lookup("service", query)
        assert answer.status == 1, answer
        assert "not in this machine’s services database" in answer.stderr, answer
        assert answer.stdout == "", answer


# ---- DNS records ----------------------------------------------------------

@tap.case
def test_records_all():
    need_namespace()
    answer = lookup("records", "sockscope.test").ok()
    assert answer.ids() == ["mx", "txt", "srv", "ns", "soa", "system"], answer.ids()
    mx = sorted((r["preference"], r["exchange"]) for r in answer.rows("mx"))
    assert mx == sorted((p, e) for _, p, e in ZONE["mx"]), mx
    assert sorted(r["text"] for r in answer.rows("txt")) == sorted(t for _, t in ZONE["txt"])
    assert answer.section("srv")["rows"] == [] and answer.section("srv")["error"]
    assert [r["nameserver"] for r in answer.rows("ns")] == [s for _, s in ZONE["ns"]]
    (soa,) = answer.rows("soa")
    keys = ("mname", "rname", "serial", "refresh", "retry", "expire", "minimum")
    assert tuple(soa[k] for k in keys) == ZONE["soa"][0][1:], soa
    assert answer.rows("system") == [{"address": "192.0.2.1", "source": "DNS or another source"}]


@tap.case
def test_records_srv_and_one_type():
    need_namespace()
    answer = lookup("records", "_http._tcp.sockscope.test", "--type", "srv").ok()
    assert answer.ids()[0] == "srv" and "mx" not in answer.ids(), answer.ids()
    srv = sorted((r["priority"], r["weight"], r["port"], r["target"])
                 for r in answer.rows("srv"))
    assert srv == sorted(tuple(s[1:]) for s in ZONE["srv"]), srv
    for record_type in ("mx", "txt", "ns", "soa"):
        answer = lookup("records", "sockscope.test", "--type", record_type).ok()
        assert [i for i in answer.ids() if i != "system"] == [record_type], answer.ids()
        assert answer.rows(record_type)


@tap.case
def test_records_hosts_file_against_dns():
    need_namespace()
    (name, address), = HOSTS_ONLY.items()
    answer = lookup("records", name).ok()
    assert answer.rows("system") == [{"address": address, "source": "hosts file"}], \
        answer.rows("system")
    for record_type in ("mx", "txt", "srv", "ns", "soa"):
        assert answer.section(record_type)["error"], answer.section(record_type)
    # Python sees the same address: the hosts file comes first.
    assert py(f"out(socket.gethostbyname({name!r}))") == address
    answer = lookup("records", "www.sockscope.test", "--type", "mx").ok()
    system = {r["address"]: r["source"] for r in answer.rows("system")}
    expected = py("out(sorted({i[4][0] for i in socket.getaddrinfo('www.sockscope.test', None)}))")
    assert sorted(system) == expected, (system, expected)
    assert set(system.values()) == {"DNS or another source"}, system
    localhost = lookup("records", "localhost", "--type", "txt").ok().rows("system")
    assert {r["source"] for r in localhost} == {"hosts file"}, localhost


# ---- this machine ---------------------------------------------------------

@tap.case
def test_me():
    need_namespace()
    answer = lookup("me").ok()
    assert answer.ids() == ["names", "hostname_addresses", "interfaces"], answer.ids()
    expected = py("""
        name = socket.gethostname()
        out({"hostname": name, "fqdn": socket.getfqdn(),
             "addresses": sorted({i[4][0] for i in socket.getaddrinfo(name, None)})})
    """)
    names = {r["what"]: r["value"] for r in answer.rows("names")}
    assert names == {"hostname": expected["hostname"], "fqdn": expected["fqdn"]}, names
    assert names["hostname"] == HOSTNAME and names["fqdn"] == f"{HOSTNAME}.sockscope.test"
    addresses = sorted(r["address"] for r in answer.rows("hostname_addresses"))
    assert addresses == expected["addresses"] == ["127.0.1.1"], addresses

    # The interfaces, against iproute2's view of the same namespace.
    shown = json.loads(NS.run(["ip", "-j", "address", "show"]).stdout)
    want = set()
    for link in shown:
        for info in link.get("addr_info", []):
            family = {"inet": "AF_INET", "inet6": "AF_INET6"}[info["family"]]
            prefix = ipaddress.ip_interface(f"{info['local']}/{info['prefixlen']}")
            want.add((link["ifname"], family, info["local"], str(prefix.netmask)))
    ours = {(r["interface"], r["family"], r["address"], r["netmask"])
            for r in answer.rows("interfaces")}
    assert ours == want, f"\nours: {ours}\nip:   {want}"
    assert ("lo", "AF_INET", "127.0.0.1", "255.0.0.0") in ours
    for row in answer.rows("interfaces"):
        assert "loopback" in row["flags"] and "up" in row["flags"], row


# ---- what name servers and files send -------------------------------------
# A name server (or the hosts file, or the services file) may send any byte:
# terminal escape sequences that set the window title, colour or clear the
# screen, BEL, NUL with text after it, bytes that are not UTF-8. Every one
# must come out escaped and whole: in the table, which goes to a terminal,
# and in the JSON, which must stay JSON.

def assert_harmless(data, what):
    """Output a terminal may show as it is: UTF-8 with no control character
    but newlines (no ESC, BEL, NUL, DEL, C1 control) and no right-to-left
    override, which would turn the rest of the line around."""
    text = data.decode("utf-8")  # raises on a byte that is not UTF-8
    for c in text:
        code = ord(c)
        assert c == "\n" or not (code < 0x20 or 0x7f <= code < 0xa0), \
            f"{what}: U+{code:04X} in the output:\n{text!r}"
        assert c not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", \
            f"{what}: a direction override U+{code:04X} in the output:\n{text!r}"
    return text


def unescape(shown):
    """Sockscope's text escapes (those of the Send box) back to bytes."""
    out, i = bytearray(), 0
    while i < len(shown):
        if shown[i] != "\\":
            out += shown[i].encode("utf-8")
            i += 1
            continue
        letter = shown[i + 1]
        if letter == "x":
            out.append(int(shown[i + 2:i + 4], 16))
            i += 4
            continue
        out += {"0": b"\0", "n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\"}[letter]
        i += 2
    return bytes(out)


def raw_lookup(*args, ns=None):
    """`sockscope-cli ARGS` inside the namespace, its output as bytes."""
    result = subprocess.run((ns or NS).command([CLI, *args]), capture_output=True, timeout=60,
                            env=ENV)
    return result


def harmless_both_ways(*args):
    """The table and the JSON of one lookup, each checked harmless; the
    JSON decoded."""
    table = raw_lookup("lookup", *args)
    assert table.returncode == 0, (args, table)
    text = assert_harmless(table.stdout, " ".join(args))
    json_run = raw_lookup("lookup", *args, "--json")
    assert json_run.returncode == 0, (args, json_run)
    # Still JSON: json.loads() takes no raw control character in a string,
    # nor a byte that is not UTF-8.
    doc = json.loads(assert_harmless(json_run.stdout, " ".join(args) + " --json"))
    check_contract(doc)
    return text, doc


def rows_of(doc, section_id):
    (section,) = [s for s in doc["sections"] if s["id"] == section_id]
    assert section["error"] is None, section
    return section["rows"]


@tap.case
def test_txt_records_with_escapes_and_a_nul_are_shown_whole_and_escaped():
    need_namespace()
    text, doc = harmless_both_ways("records", ODD_NAME, "--type", "txt")
    shown = sorted(r["text"] for r in rows_of(doc, "txt"))
    assert shown == sorted(ODD_TXT_SHOWN), shown
    # Nothing lost: the escapes give back every byte the name server sent,
    # the text after the NUL too.
    assert sorted(unescape(s) for s in shown) == sorted(b"".join(t) for t in ODD_TXT)
    for line in ODD_TXT_SHOWN:
        assert line in text, (line, text)
    assert "after the NUL" in text, text
    # The C code says why GResolver's call would not show the same.
    assert "NUL" in doc["code"]["c"] and "res_nquery" in doc["code"]["c"], doc["code"]["c"]


@tap.case
def test_names_from_a_name_server_and_the_hosts_file_are_shown_escaped():
    need_namespace()
    odd_canonical, odd_alias_owner, odd_alias, odd_rtl = ODD_HOSTS_SHOWN
    # MX, SRV, NS and SOA names with ESC and BEL: DNS's own notation.
    text, doc = harmless_both_ways("records", ODD_NAME)
    assert [r["exchange"] for r in rows_of(doc, "mx")] == [ODD_NAME_SHOWN]
    assert [r["target"] for r in rows_of(doc, "srv")] == [ODD_NAME_SHOWN]
    assert [r["nameserver"] for r in rows_of(doc, "ns")] == [ODD_NAME_SHOWN]
    (soa,) = rows_of(doc, "soa")
    assert soa["mname"] == soa["rname"] == ODD_NAME_SHOWN, soa
    assert sorted(r["text"] for r in rows_of(doc, "txt")) == sorted(ODD_TXT_SHOWN)

    # A canonical name and aliases from the hosts file: gethostbyname_r()
    # and getaddrinfo() pass them on as they are.
    text, doc = harmless_both_ways("host", "hostsodd.sockscope.test")
    assert rows_of(doc, "canonical") == [{"name": odd_canonical}]
    assert [r["name"] for r in rows_of(doc, "aliases")] == [odd_alias_owner, odd_alias, odd_rtl]
    assert unescape(odd_canonical) == ODD_HOSTS_NAMES[0].encode()
    text, doc = harmless_both_ways("addrinfo", "hostsodd.sockscope.test", "--flags", "canonname")
    assert rows_of(doc, "addrinfo")[0]["canonname"] == odd_canonical
    assert odd_canonical in text, text

    # The names of an address, four ways.
    text, doc = harmless_both_ways("reverse", ODD_HOSTS_ADDRESS)
    assert rows_of(doc, "getnameinfo") == [{"host": odd_canonical}]
    assert rows_of(doc, "gethostbyaddr") == (
        [{"role": "name", "value": odd_canonical}]
        + [{"role": "alias", "value": a} for a in (odd_alias_owner, odd_alias, odd_rtl)]
        + [{"role": "address", "value": ODD_HOSTS_ADDRESS}])
    assert rows_of(doc, "gresolver") == [{"name": odd_canonical}]
    assert rows_of(doc, "fqdn") == [{"name": odd_canonical}]

    # A PTR with ESC in it from DNS: the C library refuses the name, so
    # getnameinfo() gives the address; whatever it does, nothing gets out raw.
    text, doc = harmless_both_ways("reverse", ODD_PTR_ADDRESS)
    assert rows_of(doc, "getnameinfo") == [{"host": ODD_PTR_ADDRESS}], doc


@tap.case
def test_words_of_the_services_file_are_shown_escaped():
    need_namespace()
    name, aliases = ODD_SERVICE_SHOWN
    text, doc = harmless_both_ways("service", str(ODD_SERVICE_PORT))
    assert rows_of(doc, "services") == [{"name": name, "port": ODD_SERVICE_PORT,
                                         "protocol": "tcp", "aliases": aliases}], doc
    assert name in text and aliases in text, text
    # The Ports commands read the same database through getservent().
    result = raw_lookup("services", str(ODD_SERVICE_PORT))
    assert result.returncode == 0, result
    text = assert_harmless(result.stdout, "services")
    assert name in text and aliases in text, text
    result = raw_lookup("services", str(ODD_SERVICE_PORT), "--json")
    (entry,) = json.loads(assert_harmless(result.stdout, "services --json"))["services"]
    assert (entry["name"], " ".join(entry["aliases"])) == (name, aliases), entry
    result = raw_lookup("port", str(ODD_SERVICE_PORT))
    assert f"Services database: {name} ({ODD_SERVICE_PORT}/tcp)" in \
        assert_harmless(result.stdout, "port"), result.stdout
    result = raw_lookup("port", str(ODD_SERVICE_PORT), "--json")
    doc = json.loads(assert_harmless(result.stdout, "port --json"))
    assert doc["services"]["tcp"] == name, doc["services"]
    assert_harmless(raw_lookup("services").stdout, "services")


# ---- the code an answer offers --------------------------------------------

@tap.case
def test_c_code_compiles():
    """S24: each answer's C, put in a main(), compiles without a warning."""
    need_namespace()
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise SkipCase("no C compiler")
    questions = [["addrinfo", "www.sockscope.test", "http", "--flags", "canonname"],
                 ["host", "alias2.sockscope.test"], ["reverse", "192.0.2.10"],
                 ["service", "http"], ["service", "80"], ["records", "sockscope.test"],
                 ["me"]]
    with tempfile.TemporaryDirectory() as tmp:
        for question in questions:
            code = lookup(*question).ok().doc["code"]["c"]
            lines = code.splitlines()
            includes = [ln for ln in lines if ln.startswith("#include")]
            body = [ln for ln in lines if not ln.startswith("#include")]
            source = "\n".join(["#define _GNU_SOURCE", "#include <stdio.h>",
                                "#include <stdlib.h>", "#include <string.h>", *includes,
                                "int main (void) {", *body, "return 0; }", ""])
            path = os.path.join(tmp, "snippet.c")
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
            flags = ["-Wall", "-Werror=implicit-function-declaration", "-Wno-unused"]
            result = subprocess.run([compiler, *flags, "-fsyntax-only", path],
                                    capture_output=True, text=True)
            # GResolver's C needs GLib: compile it with GLib's flags.
            if result.returncode != 0 and "gio/gio.h" in code:
                cflags = subprocess.run(["pkg-config", "--cflags", "gio-2.0"],
                                        capture_output=True, text=True).stdout.split()
                result = subprocess.run([compiler, *flags, *cflags, "-fsyntax-only", path],
                                        capture_output=True, text=True)
            assert result.returncode == 0, f"{question}:\n{source}\n{result.stderr}"


# ---- a name server that never answers -------------------------------------

@tap.case
def test_timeout_with_a_silent_name_server():
    if SILENT is None:
        raise SkipCase("the silent namespace did not start")
    for question in (["addrinfo", "www.sockscope.test"], ["host", "www.sockscope.test"],
                     ["records", "sockscope.test"], ["reverse", "192.0.2.10"]):
        answer = lookup(*question, "--timeout", "1500", ns=SILENT)
        assert answer.status == 1, answer
        assert 1.4 <= answer.seconds <= 3.0, f"{question}: {answer.seconds:.2f} s"
        assert "1.5 s" in answer.stderr and "(timed out)" in answer.stderr, answer


@tap.case
def test_interrupt_ends_a_lookup_in_flight():
    if SILENT is None:
        raise SkipCase("the silent namespace did not start")
    process = SILENT.popen([CLI, "lookup", "addrinfo", "www.sockscope.test", "--timeout",
                            "20000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    time.sleep(0.5)
    assert process.poll() is None, "the lookup ended before anyone answered"
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=10)
    assert process.returncode == 130, process.returncode
    assert time.monotonic() - start < 1.0, "SIGINT should end the lookup at once"


# ---- bad input ------------------------------------------------------------

def refused(args, *words):
    """The question is refused before anything is asked: exit 2, a message
    on stderr with each of words, nothing on stdout."""
    answer = lookup(*args, json_output=False)
    assert answer.status == 2, answer
    assert answer.stdout == "", answer
    assert answer.stderr.startswith("sockscope-cli lookup: "), answer
    for word in words:
        assert word in answer.stderr, (word, answer)
    return answer


@tap.case
def test_bad_names():
    need_namespace()
    refused(["host", ""], "empty")
    refused(["addrinfo", ""], "empty")
    refused(["records", ""], "empty")
    long_name = ".".join(["a" * 63] * 4)  # 255 characters
    assert len(long_name) > 253
    refused(["addrinfo", long_name], "255", "253")
    refused(["host", "a" * 60 + "." + "b" * 64 + ".test"], "64", "63")
    refused(["addrinfo", "bad_name!.sockscope.test"], "“!”", "bad_name!.sockscope.test")
    refused(["host", "exa mple.test"], "space")
    refused(["reverse", "a..b.test"], "empty label")
    refused(["addrinfo", "--", "-lead.sockscope.test"], "hyphen")
    refused(["host", "1.2.3.4%"], "not a valid")
    refused(["records", "192.0.2.10"], "Reverse")
    # None of these reached the name server.
    asked = NS.log()
    assert "] www.sockscope.test from 127.0.0.1" in asked, "the log shows no queries at all"
    for name in (long_name, "bad_name!.sockscope.test", "exa mple.test", "a..b.test",
                 "-lead.sockscope.test", "1.2.3.4%"):
        assert f"] {name} from" not in asked, name


@tap.case
def test_bad_services():
    need_namespace()
    refused(["addrinfo", "localhost", "ht tp"], "space")
    refused(["service", "ht tp"], "space")
    refused(["service", "http!"], "“!”")
    refused(["service", "x" * 80], "too long")
    refused(["service", ""], "empty")
    refused(["addrinfo", "localhost", "70000"], "70000", "65535")
    refused(["service", "70000"], "70000", "65535")
    refused(["addrinfo", "localhost", "--", "-1"], "-1", "65535")
    refused(["service", "--", "-1"], "-1", "65535")


@tap.case
def test_bad_options():
    need_namespace()
    refused(["addrinfo", "localhost", "--family", "ipv5"], "--family", "ipv5", "ipv4, ipv6")
    refused(["addrinfo", "localhost", "--type", "raw"], "--type", "raw", "stream")
    refused(["addrinfo", "localhost", "--proto", "sctp"], "--proto", "sctp", "udp")
    refused(["addrinfo", "localhost", "--flags", "canonname,bogus"], "--flags", "bogus",
            "canonname")
    refused(["host", "localhost", "--family", "inet"], "--family", "inet")
    refused(["service", "http", "--proto", "any"], "--proto", "any", "both")
    refused(["records", "sockscope.test", "--type", "aaaa"], "--type", "aaaa", "mx")
    refused(["addrinfo", "localhost", "--timeout", "0"], "--timeout", "0")
    refused(["addrinfo", "localhost", "--timeout", "soon"], "--timeout", "soon")
    refused(["reverse", "192.0.2.10", "--flags", "canonname"], "--flags")
    refused(["me", "localhost"], "no arguments")
    refused(["addrinfo"], "HOST")
    refused(["addrinfo", "a", "b", "c"], "HOST")
    refused(["frobnicate"], "frobnicate", "addrinfo")
    refused([], "addrinfo", "records")


# ---- the text form --------------------------------------------------------

@tap.case
def test_text_output_and_help():
    need_namespace()
    answer = lookup("addrinfo", "localhost", "80", json_output=False)
    assert answer.status == 0, answer
    for word in ("SOCK_STREAM", "SOCK_DGRAM", "127.0.0.1", "::1", "('127.0.0.1', 80)"):
        assert word in answer.stdout, (word, answer)
    answer = lookup("records", "sockscope.test", json_output=False)
    assert answer.status == 0 and "mail1.sockscope.test" in answer.stdout, answer
    assert "No SRV records" in answer.stdout, answer
    result = subprocess.run([CLI, "lookup", "--help"], capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result
    for kind in ("addrinfo", "host", "reverse", "service", "records", "me"):
        assert f"\n  {kind} " in result.stdout, result.stdout
    result = subprocess.run([CLI, "lookup", "addrinfo", "--help"], capture_output=True,
                            text=True, env=ENV)
    assert result.returncode == 0, result
    for option in ("--family", "--type", "--proto", "--flags", "--json", "--timeout",
                   "canonname", "v4mapped"):
        assert option in result.stdout, (option, result.stdout)
    result = subprocess.run([CLI, "--help"], capture_output=True, text=True, env=ENV)
    assert "lookup" in result.stdout, result.stdout


def main():
    global NS, SILENT
    try:
        NS = DnsNamespace(services_extra=ODD_SERVICES).start()
    except Unavailable as reason:
        if os.environ.get("SOCKSCOPE_REQUIRE_E2E"):
            print(f"Bail out! {reason}", flush=True)
            sys.exit(1)
        print(f"1..0 # SKIP {reason}", flush=True)
        sys.exit(0)
    try:
        SILENT = DnsNamespace(silent=True).start()
        tap.run()
    finally:
        if SILENT is not None:
            SILENT.stop()
        NS.stop()


if __name__ == "__main__":
    main()
