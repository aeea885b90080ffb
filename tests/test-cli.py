#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sockscope-cli as a user at a terminal meets it: --version, --help, and
clear messages for what it does not understand."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from taplib import Tap  # noqa: E402

CLI = sys.argv[1]
VERSION = sys.argv[2]
tap = Tap()


def run(*args):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=30)


@tap.case
def test_version():
    for flag in ("--version", "-v"):
        result = run(flag)
        assert result.returncode == 0, result
        assert result.stdout.startswith(f"Sockscope {VERSION} (GLib "), result.stdout


@tap.case
def test_help():
    result = run("--help")
    assert result.returncode == 0, result
    assert "Usage:" in result.stdout and "sockscope-cli" in result.stdout, result.stdout
    assert "--version" in result.stdout, result.stdout
    assert "Commands:" in result.stdout, result.stdout


@tap.case
def test_no_command_shows_help_and_fails():
    result = run()
    assert result.returncode == 2, result
    assert "Usage:" in result.stderr, result.stderr


@tap.case
def test_unknown_command():
    result = run("frobnicate")
    assert result.returncode == 2, result
    assert "unknown command “frobnicate”" in result.stderr, result.stderr
    assert "--help" in result.stderr, result.stderr


@tap.case
def test_unknown_option():
    result = run("--frobnicate")
    assert result.returncode == 2, result
    assert "Unknown option --frobnicate" in result.stderr, result.stderr


tap.run()
