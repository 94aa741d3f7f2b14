"""outputs/places.py: a file name per village, valid on Windows, bounded, unique without case, one per
village in every folder; and townships and villages in the order the input has them, in every output
that lists them (issue 12 "file names", issue 13 item 9)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from field_builders import workbook_of_villages
from field_checks import assert_windows_file_name, first_cell, ledger, screen
from survey_builders import household, write_workbook
from edgescreen.catalogue import label
from edgescreen.cli import app
from edgescreen.outputs.places import township_order, village_file_names, village_keys
from edgescreen.outputs.quality import quality_report
from edgescreen.outputs.summary import summary_table, township_table
from edgescreen.pipeline import screen as screen_files

FAST = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
# What village names are made of when they go wrong: Windows' forbidden characters, dots and spaces
# at the ends, device names, invisible characters, letters in both cases, very long names.
PIECES = st.sampled_from(["前岗村", "长", "宽" * 40, "a", "A", ".", " ", "?", ":", "*", "/", "\\", "|", '"', "<",
                          ">", "-2", "_", "~", "\x01", "\u200b", "CON", "con", "NUL", "com1", "LPT9", "\U0002070e"])
NAMES = st.lists(PIECES, max_size=6).map("".join)


def frame(keys: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(keys, columns=["township", "village"])


@FAST
@given(st.lists(st.tuples(NAMES, NAMES), min_size=1, max_size=10, unique=True))
def test_every_village_gets_one_valid_bounded_name_of_its_own(keys):
    names = village_file_names(frame(keys))
    assert set(names) == set(keys)  # none dropped
    for name in names.values():
        assert_windows_file_name(name)  # ≤ 80 characters, no \\/:*?"<>|, no trailing dot or space, no device
        assert len(name.encode("utf-8")) <= 245  # within the 255 bytes of a Linux file name
        assert not any(c < " " or c == "\u200b" for c in name), name
    assert len({n.casefold() for n in names.values()}) == len(names)  # unique, as Windows compares
    assert village_file_names(frame(keys)) == names  # the same names in every folder and every run


@FAST
@given(st.lists(st.tuples(NAMES, NAMES), min_size=2, max_size=10, unique=True), st.integers(1, 9))
def test_villages_added_after_a_village_never_rename_it(keys, cut):
    first = village_file_names(frame(keys[:cut]))
    assert {k: v for k, v in village_file_names(frame(keys)).items() if k in first} == first


def test_a_name_windows_takes_as_it_is_is_kept_and_a_changed_one_says_so_with_a_hash():
    names = village_file_names(frame([("合隆镇", "前岗村"), ("合隆镇", "前岗村."), ("CON", ""), ("合隆镇", "长" * 90)]))
    assert names[("合隆镇", "前岗村")] == "合隆镇-前岗村.xlsx"
    assert names[("合隆镇", "前岗村.")].startswith("合隆镇-前岗村~")
    assert names[("CON", "")] == "CON-(行政村未填).xlsx"  # CON-… is no device name
    assert len(names[("合隆镇", "长" * 90)]) == 80 + len(".xlsx")


TRICKY = [("合隆镇", "前岗村"), ("合隆镇", "前岗村.2"), ("合隆镇", "前岗村-2"), ("合隆镇", "前岗村?"), ("合隆镇", "CON"),
          ("合隆镇", "Con"), ("合隆镇", "长" * 90), ("合隆镇", "长" * 90 + "村"), ("NUL", "东兴村"), ("合隆镇", "")]


def test_every_village_in_the_ledger_has_exactly_one_workbook_in_each_folder(tmp_path):
    """villages/, publicity/ and quality-villages/ (every household has an issue, so every village a fix
    list): one workbook per village of the ledger, each titled with its own village, and named alike in
    the three folders but for the file's kind after the place in publicity/ and quality-villages/."""
    records = []
    for township, village in TRICKY:
        records.append(household(**{"乡(镇)": township, "行政村": village, "联系电话": "123"}))  # phone_malformed
    path = write_workbook(tmp_path / "合隆镇.xlsx", records)
    out = tmp_path / "out"
    result = screen(path, "-o", out, "--publicity-start", "2020-01-06")
    assert result.exit_code == 0, result.output
    led = ledger(out)
    places = set(zip(led["township"], led["village"]))
    assert len(places) == len(TRICKY)
    check_out = tmp_path / "report"
    checked = CliRunner().invoke(app, ["check", str(path), "-o", str(check_out)])
    assert checked.exit_code in (0, 1), checked.output

    def name(text: str, key: str) -> str:
        return text or label(key, "zh")

    # The village lists and the notices: the blank village's household is invalid, listed (and said
    # pending) with the village above it.
    for folder, title, listed in ((out / "villages", "list_title", places - {("合隆镇", "")}),
                                  (out / "publicity", "pub_title", places - {("合隆镇", "")})):
        files = sorted(folder.iterdir())
        for f in files:
            assert_windows_file_name(f.name)
        expected = sorted(label(title, "zh", township=name(t, "unknown_township"), village=name(v, "unknown_village"))
                          for t, v in listed)
        assert sorted(first_cell(f) for f in files) == expected, folder.name
    # A village has one name in every folder, its file's kind after it in the others' (where a name is
    # cut, the same hash): its fix list is named as its review list.
    def place(name: str, kind: str = "") -> str:
        stem = name.removesuffix(".xlsx")
        assert stem.endswith(kind), name
        stem = stem.removesuffix(kind)
        return stem.rsplit("~", 1)[-1] if "~" in stem else stem

    names = {place(p.name) for p in (out / "villages").iterdir()}
    assert len(names) == len(TRICKY) - 1
    assert {place(p.name, "-公示") for p in (out / "publicity").iterdir()} == names
    # The fix lists: the row whose village is blank is sent with the village above it (likely_villages).
    assert {place(p.name, "-问题清单") for p in (check_out / "quality-villages").iterdir()} == names


# ---------------------------------------------------------------------------------------------
# Order: as the input has them


# Input order differs from character-code order: 万 (U+4E07) < 合 (U+5408) < 烧 (U+70E7), and the
# township 烧锅镇 comes back after another one.
INPUT = [("烧锅镇", "五一村"), ("烧锅镇", "东风村"), ("合隆镇", "前岗村"), ("万宝镇", "红旗村"), ("烧锅镇", "八一村"),
         ("合隆镇", "大房身村")]
TOWNSHIPS = ["烧锅镇", "合隆镇", "万宝镇"]
VILLAGES = [("烧锅镇", "五一村"), ("烧锅镇", "东风村"), ("烧锅镇", "八一村"), ("合隆镇", "前岗村"), ("合隆镇", "大房身村"),
            ("万宝镇", "红旗村")]


def test_the_order_of_places_is_the_inputs():
    df = frame(INPUT)
    assert township_order(df) == TOWNSHIPS
    assert village_keys(df) == VILLAGES


def test_summary_and_quality_tables_list_places_in_input_order(tmp_path):
    path = workbook_of_villages(tmp_path / "县.xlsx", INPUT)
    result = screen_files([path], as_of=dt.date(2020, 1, 1))
    assert list(summary_table(result).index) == VILLAGES
    assert list(township_table(result).index) == TOWNSHIPS
    report = quality_report(result, "zh")
    assert list(report.townships.index) == TOWNSHIPS
    assert [t for t in report.by_code.columns if t != "total"] == TOWNSHIPS
    # No village has an issue: the villages table keeps the input's order.
    assert list(zip(report.villages["township"], report.villages["village"])) == VILLAGES


def test_the_summary_workbook_and_the_terminal_list_places_in_input_order(tmp_path):
    path = workbook_of_villages(tmp_path / "县.xlsx", INPUT)
    out = tmp_path / "out"
    result = screen(path, "-o", out, "--publicity-start", "2020-01-06")
    assert result.exit_code == 0, result.output
    first_seen = sorted(TOWNSHIPS, key=result.output.index)
    assert first_seen == TOWNSHIPS, result.output
    book = openpyxl.load_workbook(out / "summary.xlsx", read_only=True)
    cells = [v for ws in book.worksheets[:2] for row in ws.iter_rows(values_only=True) for v in row[:2]
             if isinstance(v, str)]
    book.close()
    villages_seen = [v for _, v in VILLAGES]
    assert sorted(villages_seen, key=cells.index) == villages_seen
    assert sorted(TOWNSHIPS, key=cells.index) == TOWNSHIPS


def test_the_check_summary_lists_townships_in_input_order(tmp_path):
    rows = [household(**{"乡(镇)": t, "行政村": v, "家庭常住人口数": 0}) for t, v in INPUT]  # an error each
    path = write_workbook(tmp_path / "县.xlsx", rows)
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "report")])
    assert result.exit_code == 1, result.output
    table = result.output[result.output.index(label("township", "zh")):]
    assert sorted(TOWNSHIPS, key=table.index) == TOWNSHIPS, result.output


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["合隆镇", "烧锅镇", "", None]),
                          st.sampled_from(["前岗村", "后岗村", "一村", "", None])), min_size=1, max_size=40))
def test_villages_are_ordered_by_township_then_village_as_they_first_appear(places):
    """village_keys: each (township, village) once, townships in the order they first appear and
    each one's villages in the order they first appear; a blank or absent name is ''."""
    from edgescreen.outputs.places import village_keys

    frame = pd.DataFrame({"township": pd.array([t for t, _ in places], dtype="string"),
                          "village": pd.array([v for _, v in places], dtype="string")})
    expected: dict[str, dict[str, None]] = {}
    for township, village in places:
        expected.setdefault(township or "", {}).setdefault(village or "", None)
    assert village_keys(frame) == [(t, v) for t, villages in expected.items() for v in villages]
