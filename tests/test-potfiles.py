#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every file with strings marked for translation is in po/POTFILES.in, and
every file listed there exists: a string in a file that is not listed never
reaches the translators."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from taplib import Tap  # noqa: E402

ROOT = os.environ["MESON_SOURCE_ROOT"]
tap = Tap()

C_MARK = re.compile(r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(")
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
SCHEMA_MARK = re.compile(r"<(?:summary|description)>")


def project_files():
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        return [f for f in out.splitlines() if os.path.exists(os.path.join(ROOT, f))]
    except (OSError, subprocess.CalledProcessError):
        found = []
        for top in ("src", "data"):
            for dirpath, _, names in os.walk(os.path.join(ROOT, top)):
                found += [os.path.relpath(os.path.join(dirpath, n), ROOT) for n in names]
        return found


def has_marked_strings(path):
    with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as f:
        text = f.read()
    if path.endswith((".c", ".h")):
        return bool(C_MARK.search(text))
    if path.endswith(".ui"):
        return bool(UI_MARK.search(text))
    if path.endswith(".gschema.xml"):
        return bool(SCHEMA_MARK.search(text))
    return path.endswith((".desktop.in", ".metainfo.xml.in"))


def listed():
    with open(os.path.join(ROOT, "po", "POTFILES.in"), encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]


@tap.case
def test_every_marked_file_is_listed():
    candidates = [f for f in project_files()
                  if f.startswith(("src/", "data/")) and has_marked_strings(f)]
    assert candidates, "found no file with marked strings at all: the scan is broken"
    missing = sorted(set(candidates) - set(listed()))
    assert not missing, "missing from po/POTFILES.in: " + ", ".join(missing)


@tap.case
def test_every_listed_file_exists():
    gone = [f for f in listed() if not os.path.isfile(os.path.join(ROOT, f))]
    assert not gone, "listed in po/POTFILES.in but not in the tree: " + ", ".join(gone)


@tap.case
def test_list_is_sorted_and_unique():
    files = listed()
    assert files == sorted(set(files)), "po/POTFILES.in should be sorted, each file once"


tap.run()
