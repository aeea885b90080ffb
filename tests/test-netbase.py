#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""netbase's services file (GPL-2.0-only) is a separate work that Sockscope
reads at run time from its data folder, never part of the GPL-3.0-or-later
binaries: no line of it is compiled into them, and without the file, or with
a folder in its place, `sockscope-cli services --builtin` still answers,
with no entries and a source that names the file and the errno.

test-netbase.py DATA_FILE BINARY..., the first binary being sockscope-cli."""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from taplib import Tap  # noqa: E402

DATA_FILE = sys.argv[1]
BINARIES = [os.path.abspath(path) for path in sys.argv[2:]]
CLI = BINARIES[0]
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
tap = Tap()


def services_builtin(data_dir):
    result = subprocess.run([CLI, "services", "--builtin", "--json"], capture_output=True,
                            text=True, timeout=60, env=dict(ENV, SOCKSCOPE_DATA_DIR=data_dir))
    # A signal is a negative status: a crash, which the missing file must not be.
    assert result.returncode == 0, (result.returncode, result.stderr)
    return json.loads(result.stdout)


def entry_lines():
    """The file's entries as they stand in it, tabs and all: text no source
    file of ours has, so any one of them in a binary means it was compiled in."""
    with open(DATA_FILE, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    entries = [line for line in lines if line and not line.startswith("#") and "\t" in line]
    assert len(entries) > 100, len(entries)
    return entries


@tap.case
def test_no_netbase_text_in_the_binaries():
    entries = [line.encode() for line in entry_lines()]
    for path in BINARIES:
        with open(path, "rb") as f:
            binary = f.read()
        found = [line for line in entries if line in binary]
        assert not found, (path, found[:3])


@tap.case
def test_the_data_file_is_read():
    # The build tree's copy, where meson test points SOCKSCOPE_DATA_DIR.
    with open(DATA_FILE, encoding="utf-8") as f:
        n = sum(1 for line in f if line.split("#", 1)[0].strip())
    data = services_builtin(os.environ["SOCKSCOPE_DATA_DIR"])
    assert data["total"] == n and data["skipped"] == 0, (data["total"], n)
    assert "netbase" in data["source"], data["source"]


@tap.case
def test_missing_data_file():
    with tempfile.TemporaryDirectory() as data_dir:
        data = services_builtin(data_dir)
    path = os.path.join(data_dir, "netbase", "services")
    assert data["total"] == 0 and data["services"] == [], data
    assert "netbase" in data["source"] and path in data["source"], data["source"]
    assert data["source"].endswith("(ENOENT)"), data["source"]


@tap.case
def test_unreadable_data_file():
    with tempfile.TemporaryDirectory() as data_dir:
        os.makedirs(os.path.join(data_dir, "netbase", "services"))
        data = services_builtin(data_dir)
    assert data["total"] == 0, data
    assert data["source"].endswith("(EISDIR)"), data["source"]


@tap.case
def test_missing_data_file_in_the_table():
    with tempfile.TemporaryDirectory() as data_dir:
        result = subprocess.run([CLI, "services", "--builtin", "ssh"], capture_output=True,
                                text=True, timeout=60,
                                env=dict(ENV, SOCKSCOPE_DATA_DIR=data_dir))
    assert result.returncode == 0, (result.returncode, result.stderr)
    first = result.stdout.splitlines()[0]
    assert "could not be read" in first and "(ENOENT)" in first, first


tap.run()
