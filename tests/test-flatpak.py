#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest cannot be built here (no runtime can be fetched), so
check what can be checked: it is valid JSON, names our app id and command,
grants what a network tool needs, and builds this very directory with its
tests run."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from taplib import Tap  # noqa: E402

ROOT = os.environ["MESON_SOURCE_ROOT"]
APP_ID, COMMAND = sys.argv[1], sys.argv[2]
MANIFEST = os.path.join(ROOT, "flatpak", APP_ID + ".json")
tap = Tap()
manifest = {}


@tap.case
def test_valid_json():
    with open(MANIFEST, encoding="utf-8") as f:
        manifest.update(json.load(f))


@tap.case
def test_app_id_and_command():
    assert manifest.get("id", manifest.get("app-id")) == APP_ID, manifest.get("id")
    assert manifest["command"] == COMMAND, manifest["command"]


@tap.case
def test_gnome_runtime():
    assert manifest["runtime"] == "org.gnome.Platform"
    assert manifest["sdk"] == "org.gnome.Sdk"
    # A released runtime, never a moving development branch.
    assert re.fullmatch(r"\d+", manifest["runtime-version"]), manifest["runtime-version"]
    assert int(manifest["runtime-version"]) >= 43, "the floor is GNOME 43 (GTK 4.8)"


@tap.case
def test_permissions():
    wanted = {"--share=network", "--socket=wayland", "--socket=fallback-x11",
              "--device=dri", "--share=ipc"}
    missing = wanted - set(manifest["finish-args"])
    assert not missing, f"missing finish-args: {sorted(missing)}"
    # A network tool has no business in the user's files or the host.
    broad = [a for a in manifest["finish-args"]
             if a.startswith("--filesystem=") or a == "--device=all"]
    assert not broad, f"broad permissions: {broad}"


@tap.case
def test_module_builds_this_directory():
    module = manifest["modules"][-1]
    assert module["buildsystem"] == "meson", module["buildsystem"]
    assert module.get("run-tests") is True, "the app's tests must run in the build"
    dirs = [s for s in module["sources"] if s.get("type") == "dir"]
    assert dirs, "no source of type 'dir'"
    path = os.path.normpath(os.path.join(os.path.dirname(MANIFEST), dirs[0]["path"]))
    assert os.path.samefile(path, ROOT), f"{path} is not the project directory"
    with open(os.path.join(path, "meson.build"), encoding="utf-8") as f:
        assert re.search(r"project\(\s*'sockscope'", f.read()), "meson.build is not Sockscope's"



@tap.case
def test_netbase_data_file_ships():
    # netbase's services file is data the app reads at run time from
    # /app/share/sockscope/netbase (meson installs it there): no cleanup of
    # the manifest may take it out, nor move the data folder away.
    module = manifest["modules"][-1]
    for pattern in manifest.get("cleanup", []) + module.get("cleanup", []):
        for path in ("/share/sockscope/netbase/services", "/share/sockscope"):
            assert not path.startswith(pattern.rstrip("/") + "/") and pattern != path, pattern
    assert not any(o.startswith("--datadir") or o.startswith("-Ddatadir")
                   for o in module.get("config-opts", [])), module["config-opts"]


tap.run()
