#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's benchmark figures are those of the recorded run,
tests/bench/RESULTS.md (written by build-aux/bench-record): each row's
figures in bold are found in what that benchmark printed, the run was of
the optimised build and passed, and the table names the date of the oldest
section it draws on. A new recording with other figures, or a README
figure typed by hand, fails here until the two agree."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from taplib import Tap  # noqa: E402

ROOT = os.environ["MESON_SOURCE_ROOT"]
tap = Tap()
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers(text):
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def readme_rows():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = re.search(r"^## Benchmarks\n(.*?)(?=^## )", text, re.M | re.S)
    assert section, "the README has no Benchmarks section"
    lines = section.group(1).splitlines()
    header = next(line for line in lines if line.startswith("| benchmark |"))
    rows = [line for line in lines if line.startswith("| `")]
    assert rows, "the README's benchmark table is empty"
    return header, [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def recorded_sections():
    with open(os.path.join(ROOT, "tests", "bench", "RESULTS.md"), encoding="utf-8") as f:
        text = f.read()
    sections = {}
    for match in re.finditer(r"^## (\S+)\n\n(Recorded .*?)\n\n```\n(.*?)```", text, re.M | re.S):
        sections[match.group(1)] = (match.group(2), match.group(3))
    assert sections, "RESULTS.md has no recorded section"
    return sections


@tap.case
def test_every_row_has_a_passing_optimised_run():
    sections = recorded_sections()
    _, rows = readme_rows()
    for name in {row[0].strip("`") for row in rows}:
        assert name in sections, f"no recorded run of {name} in RESULTS.md"
        recorded, _ = sections[name]
        assert " debugoptimized build " in recorded, (name, recorded)
        result = re.search(r" (\w+) in \d+ s\.$", recorded)
        assert result and result.group(1) == "OK", (name, recorded)


@tap.case
def test_bold_figures_are_the_recorded_ones():
    sections = recorded_sections()
    _, rows = readme_rows()
    for row in rows:
        name = row[0].strip("`")
        _, output = sections[name]
        printed = numbers(output)
        figures = re.findall(r"\*\*(.+?)\*\*", row[-1])
        assert figures, f"a row of {name} has no figure in bold: {row[1]}"
        for figure in figures:
            missing = numbers(figure) - printed
            assert not missing, f"{name}: {figure} is not what the recorded run printed"


@tap.case
def test_table_names_the_recording():
    sections = recorded_sections()
    header, rows = readme_rows()
    names = {row[0].strip("`") for row in rows}
    dates = sorted(re.match(r"Recorded (\d{4}-\d\d-\d\d)", sections[n][0]).group(1)
                   for n in names)
    assert "tests/bench/RESULTS.md" in header, header
    assert dates[0] in header, f"the table's heading should name {dates[0]}: {header}"


tap.run()
