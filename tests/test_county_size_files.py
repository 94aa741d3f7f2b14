"""What a 300,000-household county showed in the files and on the terminal (an outside try: 22 survey
files, four rosters).

1. The screen's first line on the terminal was a raw Python warning of xlsxwriter's: the request list's
   custom property edgescreen_inputs held the 22 inputs' SHA-256s joined, 1,429 characters where Excel
   holds 255 (any run of four files or more), and Excel or WPS may repair or reject it. Now it holds
   their digest, and no writer's warning reaches the terminal.
2. quality.xlsx's 文件情况 cut a roster's 400,810 rows not found at Excel's 32,767 characters a cell,
   mid-number (…31654、31656-3), the rest lost without a word. Now a list ends whole at a separator
   with 等,共 N 行 and where every row is: a 全部行号 sheet of its own.
3. Counts on the terminal without thousands separators (信息比对:4 份名单,24159 户…, 花名册:36232 户,
   继续帮扶:14535 户) where the same sentence wrote 1,145 户: the catalogue's counts are formatted where
   they are passed (count=f"{n:,}"), so every label rendered in a run is watched for a count passed as a
   bare int into a placeholder that would print it without separators.
"""

from __future__ import annotations

import hashlib
import json
import numbers
import re
import warnings
import zipfile
import xml.etree.ElementTree as ET

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

import edgescreen.outputs.xlsx  # noqa: F401 (its filter of xlsxwriter's warnings in place before the tests' own)
from edgescreen.catalogue import messages
from edgescreen.cli import app
from survey_builders import household, make_id, write_workbook
from years_builders import register_everyone, run as run_ok

AS_OF = "2019-12-31"
# Placeholders of the catalogue that take a count of households, people, rows or files.
COUNT_NAMES = {"count", "households", "people", "members", "matched", "rosters", "candidates", "changed",
               "documents", "measures", "without", "total", "listed", "shown", "rows", "ids", "differ", "same"}


def screen(*args, columns: int = 200):
    return CliRunner().invoke(app, ["screen", *map(str, args), "--as-of", AS_OF, "--force"],
                              env={"COLUMNS": str(columns)})


def custom_properties(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("docProps/custom.xml"))
    return {prop.get("name"): (prop[0].text or "") for prop in root}


def test_many_input_files_keep_the_request_lists_properties_within_excels_limit(tmp_path):
    files = [write_workbook(tmp_path / f"{town}.xlsx",
                            [household(**{"乡(镇)": town}, 户主姓名=f"{town}户{i}",
                                       户主身份证号=make_id(serial=500 + 10 * n + i)) for i in range(2)])
             for n, town in enumerate(["合隆镇", "烧锅镇", "万顺乡", "三岗镇", "龙王乡"])]
    out = tmp_path / "out"
    with warnings.catch_warnings():
        # A writer's warning is the program's slip: here it fails the run (the clerk never sees one).
        warnings.filterwarnings("error", module=r"xlsxwriter\.")
        done = screen(*files, "-o", out, "--request-list")
    assert done.exit_code == 0, done.output
    assert "Warning" not in done.output and "xlsxwriter" not in done.output, done.output
    shas = [record["sha256"] for record in json.loads((out / "run.json").read_text(encoding="utf-8"))["inputs"]]
    assert len(shas) == 5
    props = custom_properties(out / "信息比对" / "信息比对申请名单.xlsx")
    assert all(len(value) <= 255 for value in props.values()), props
    assert props["edgescreen_inputs"] == hashlib.sha256(",".join(shas).encode()).hexdigest()


@pytest.fixture
def survey(tmp_path):
    heads = [make_id(f"196{i}0101", serial=300 + i) for i in range(6)]
    return write_workbook(tmp_path / "合隆镇.xlsx",
                          [household(户主姓名=f"户主{i}", 户主身份证号=h) for i, h in enumerate(heads)])


def test_a_rosters_rows_past_a_cells_limit_end_whole_and_are_all_on_a_sheet_of_their_own(tmp_path, survey):
    # 14,000 rows, every other one 停保 (rows 3, 5 … 14001): 7,000 runs of one row, some 41,000 characters.
    people = [make_id(f"19{50 + i % 40}0{1 + i % 9}1{i % 9}", region="220183", serial=i % 1000)
              for i in range(14_000)]
    dibao = tmp_path / "低保对象名单.xlsx"
    with xlsxwriter.Workbook(dibao) as wb:
        ws = wb.add_worksheet("低保对象")
        ws.write_row(0, 0, ["姓名", "身份证号", "保障状态"])
        for r, pid in enumerate(people, 1):
            ws.write_row(r, 0, [f"人{r}", pid, "停保" if r % 2 == 0 else "正常"])
    out = tmp_path / "out"
    done = screen(survey, "-o", out, "--roster", f"低保={dibao}")
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)
    facts = [[c for c in row if isinstance(c, str)] for row in book["文件情况"].iter_rows(values_only=True)]
    stopped = next(text for row in facts for text in row if "保障状态是停保" in text)
    assert len(stopped) < 32_767
    pointer = " 等,共 7,000 行(全部行号见 quality.xlsx 的「全部行号」表)"
    assert stopped.endswith(pointer), stopped[-200:]
    said = stopped[:-len(pointer)].split("第 ", 1)[1]
    numbers = said.split("、")
    assert numbers[:3] == ["3", "5", "7"] and all(n.isdigit() for n in numbers), numbers[-3:]  # each whole
    # Every row is on the sheet the pointer names, beside the fact's words, in cells a row prints.
    # So is the list of the 正常 rows' people found in no household (the try's 400,810).
    unfound = next(text for row in facts for text in row if "在调查的农户中找不到" in text)
    assert unfound.endswith(pointer) and unfound[:-len(pointer)][-1].isdigit(), unfound[-200:]
    listed = [row for row in book["全部行号"].iter_rows(values_only=True)]
    assert listed[0][:4] == ("来源文件", "工作表", "说明", "行号")
    assert all(len(row[3]) <= 1_000 for row in listed[1:])
    assert {row[2] for row in listed[1:]} == {"低保对象名单:7,000 行的保障状态是停保、退出等,没有参加比对:…",
                                             unfound.replace(unfound.split("没有影响认定:", 1)[1], "…")}
    every = "、".join(row[3] for row in listed[1:] if "停保" in row[2])
    assert every.startswith("工作表「低保对象」第 3、5、") and every.endswith("、14001 行")
    assert re.findall(r"\d+", every) == [str(r) for r in range(3, 14_002, 2)]


class _Watched(str):
    """A catalogue text that notes a count passed to it as a bare int where it prints without separators."""

    bare: list

    def format(self, *args, **params):
        for name, value in params.items():
            if (name in COUNT_NAMES and isinstance(value, numbers.Integral) and not isinstance(value, bool)
                    and "{" + name + "}" in self):
                self.bare.append((self.key, name))
        return str.format(self, *args, **params)


class _WatchedText:
    """A catalogue entry (catalogue.Text) whose words, called for, are _Watched."""

    def __init__(self, text, key: str, bare: list):
        self.text, self.key, self.bare = text, key, bare

    def __call__(self, lang):
        words = _Watched(self.text(lang))
        words.key, words.bare = self.key, self.bare
        return words

    def __getattr__(self, name):
        return getattr(self.text, name)


@pytest.fixture
def bare_counts(monkeypatch):
    """Every label rendered from here on watched (_Watched): the counts passed bare, by key and name."""
    bare: list = []
    labels = messages().labels
    for key, text in list(labels.items()):
        monkeypatch.setitem(labels, key, _WatchedText(text, key, bare))
    return bare


def test_the_rosters_sentence_formats_its_counts(tmp_path, survey, bare_counts):
    dibao = tmp_path / "低保对象名单.xlsx"
    heads = [make_id(f"196{i}0101", serial=300 + i) for i in range(2)]
    with xlsxwriter.Workbook(dibao) as wb:
        ws = wb.add_worksheet("低保对象")
        ws.write_row(0, 0, ["姓名", "身份证号", "保障状态"])
        for r, pid in enumerate(heads, 1):
            ws.write_row(r, 0, [f"户主{r - 1}", pid, "正常"])
    done = screen(survey, "-o", tmp_path / "out", "--roster", f"低保={dibao}")
    assert done.exit_code == 0, done.output
    assert "信息比对:1份名单,2户有成员在名单上;2户按低保名单改变了认定" in "".join(done.output.split()), done.output
    # The screen's own lines on the terminal (the reports' words, in summary.xlsx and report.html, are not watched here).
    assert not [b for b in bare_counts if b[0].startswith(("screen_", "rosters_"))], bare_counts


def test_the_registers_counts_on_the_terminal_are_formatted(tmp_path, bare_counts):
    people = [{"户主姓名": f"户{k}", "户主身份证号": make_id(birth=f"1972{m:02d}{m + 10:02d}", serial=810 + m),
               "户编号": f"HB{k}"} for m, k in enumerate("AB", start=1)]
    db = register_everyone(tmp_path, people)
    said = run_ok("register", "export", db, "-o", tmp_path / "花名册.xlsx").output
    assert "花名册:2户" in "".join(said.split()), said
    year_two = write_workbook(tmp_path / "2020.xlsx", [household(**p) for p in people])
    run_ok("screen", year_two, "-o", tmp_path / "2020", "--register", db, "--date", "2020-11-20", "--year", "2020")
    terminal = {"reg_export_done", "reg_changes_item", "reg_id_shared", "reg_village_copied"}
    assert not [b for b in bare_counts if b[0] in terminal], bare_counts
