#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each language in po/LINGUAS is complete for the strings the sources have
now: the template is extracted afresh with the arguments of meson's 'glib'
preset, each translation merged into it, and nothing may be left
untranslated or fuzzy; msgfmt --check must accept it (format strings,
accelerators, header)."""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from taplib import Tap  # noqa: E402

ROOT = os.environ["MESON_SOURCE_ROOT"]
PO = os.path.join(ROOT, "po")
tap = Tap()

# The keywords and flags of meson's i18n.gettext(preset: 'glib').
GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]

with open(os.path.join(PO, "LINGUAS"), encoding="utf-8") as f:
    LANGUAGES = [w for ln in f if not ln.lstrip().startswith("#") for w in ln.split()]

workdir = tempfile.TemporaryDirectory()
POT = os.path.join(workdir.name, "sockscope.pot")


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


@tap.case
def test_extract_template():
    result = run("xgettext", *GLIB_PRESET, "--package-name=sockscope",
                 "--files-from=po/POTFILES.in", "--directory", ROOT, "--output", POT)
    assert result.returncode == 0, result.stderr
    with open(POT, encoding="utf-8") as f:
        count = f.read().count("\nmsgid ") - 1  # less the header
    assert count > 20, f"only {count} strings extracted: the extraction is broken"


@tap.case
def test_translator_notes_reach_the_template():
    # xgettext keeps a comment only when it stands right before the line that
    # holds the keyword; a note above a g_set_error (…) whose _() is on the
    # next line never reaches a translator.
    with open(POT, encoding="utf-8") as f:
        notes = [ln[3:].strip() for ln in f if ln.startswith("#. ")]
    extracted = " ".join(re.sub(r"^\*\s?", "", n) for n in notes)
    extracted = re.sub(r"\s+", " ", extracted)
    with open(os.path.join(PO, "POTFILES.in"), encoding="utf-8") as f:
        sources = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    lost = []
    for source in sources:
        if not source.endswith(".c"):
            continue
        with open(os.path.join(ROOT, source), encoding="utf-8") as f:
            text = f.read()
        for match in re.finditer(r"/\*\s*(Translators:.*?)\*/", text, re.S):
            note = re.sub(r"\s*\n\s*\*?\s*", " ", match.group(1))
            note = re.sub(r"\s+", " ", note).strip()
            if note[:70] not in extracted:
                line = text.count("\n", 0, match.start()) + 1
                lost.append(f"{source}:{line}: {note[:60]}")
    assert not lost, "notes xgettext does not see:\n" + "\n".join(lost)


def language_case(lang):
    def check():
        po = os.path.join(PO, lang + ".po")
        merged = os.path.join(workdir.name, lang + ".po")
        result = run("msgfmt", "--check", "--output-file=/dev/null", po)
        assert result.returncode == 0, result.stderr
        result = run("msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file", merged, po, POT)
        assert result.returncode == 0, result.stderr
        result = run("msgfmt", "--check", "--statistics", "--output-file=/dev/null", merged)
        assert result.returncode == 0, result.stderr
        stats = result.stderr.strip()
        assert re.fullmatch(r"\d+ translated messages?\.", stats), f"{lang}: {stats}"
        with open(po, encoding="utf-8") as f:
            header = f.read()
        assert f'"Language: {lang}\\n"' in header, f"{lang}.po has no Language: {lang} header"
    check.__name__ = f"test_{lang}_is_complete"
    return check


for language in LANGUAGES:
    tap.case(language_case(language))

tap.run()
