"""An outside try (a county of 20,000 households, 2026-12): the 入户核查表 pages of 214 forms dated with the
visit's year written as the year before. backcheck refused them in 369 lines, a block per date each naming
its files (1,376 lines where every page had its own day). Now one cause is said once, whatever the dates:
how many pages of how many forms, the likely cause (the year written as the year before), each page's
cell with its own date for the first 20 lines, the rest counted, and every page with --all-problems."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import openpyxl
from openpyxl.utils import get_column_letter

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, candidate, draw, fill, fill_all, pages_of, run, write_survey

VILLAGES = ["前岗", "东兴", "新立", "太平", "双岗", "红旗", "永安", "合心", "长胜", "兴隆", "福山", "平安",
            "宝山", "富民", "团结", "胜利", "和平", "光明", "向阳", "新华", "三合", "四合", "五星", "六合"]


def _county(tmp, monkeypatch, drawn_on: dt.date):
    """24 villages of 合隆镇, 3 candidates each, screened into tmp/筛查; every candidate drawn on
    `drawn_on` into tmp/抽查 and given back as recorded into tmp/填好 (24 forms of 3 pages)."""
    from edgescreen.spotcheck import sample as sample_module

    class DrawnOn(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(drawn_on.year, drawn_on.month, drawn_on.day, 9, 30, tzinfo=tz)

    rows = [candidate(f"{v}村", f"{v}填表") for v in VILLAGES for _ in range(3)]
    run("screen", write_survey(tmp / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp / "筛查")
    with monkeypatch.context() as m:
        m.setattr(sample_module, "dt", SimpleNamespace(datetime=DrawnOn))
        draw(tmp, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0")
    return fill_all(tmp / "抽查", tmp / "填好")


def _date_cells(form) -> dict[int, str]:
    """核查序号 → the cell of its 核查日期 (D16)."""
    pages = pages_of(openpyxl.load_workbook(form).worksheets[0])
    return {seq: f"{get_column_letter(cells[LABELS['verify_date']][1])}{cells[LABELS['verify_date']][0]}"
            for seq, cells in pages.items()}


def test_pages_dated_a_year_early_in_many_forms_are_one_cause_with_its_likely_reason(tmp_path, monkeypatch):
    today = dt.date.today()
    drawn_on = today - dt.timedelta(days=9)
    forms = _county(tmp_path, monkeypatch, drawn_on)
    assert len(forms) == len(VILLAGES)
    # Each page visited on one of the nine days since the draw, its year written as the year before.
    written: dict[tuple[str, str], str] = {}
    for n, form in enumerate(forms):
        cells = _date_cells(form)
        dates = {}
        for seq in cells:
            day = drawn_on + dt.timedelta(days=(n + seq) % 10)
            dates[seq] = day.replace(year=day.year - 1).isoformat()
            written[(form.name, cells[seq])] = dates[seq]
        fill(form, {seq: {"verify_date": d} for seq, d in dates.items()})
    out = tmp_path / "核查结果"
    said = run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", out, code=2).output
    lines = said.splitlines()
    assert len(lines) <= 30, said
    flat = "".join(line.strip() for line in lines)
    pages = len(written)
    assert f"核查表没有比对:{len(forms)} 个文件中有 {pages} 处问题" in flat, said
    # One cause for every date, its explanation said once, with the likely reason.
    assert f"{len(forms)} 份表共 {pages} 页的核查日期(" in flat and flat.count("早于抽样日期") == 1, said
    assert flat.count("很可能把年份写成了上一年") == 1, said
    # The first places, each page's cell with its own date, and the rest counted with the way to all.
    first = forms[0].name
    assert any(line.strip().startswith(first) for line in lines), said
    for (file, cell), date in written.items():
        if file == first:
            assert f"{cell}({date})" in flat, said
    assert "另有" in flat and "--all-problems" in flat, said
    assert not out.exists()  # a refusal writes nothing
    # Every page is findable: with --all-problems each form's line names each of its pages.
    every = run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", out, "--all-problems", code=2).output
    by_file = {}
    for line in " ".join(every.split("\n  ")).split("\n"):  # a place's wrapped cells back on its line
        for form in forms:
            if form.name in line:
                by_file[form.name] = by_file.get(form.name, "") + "".join(line.split())
    for (file, cell), date in written.items():
        assert f"{cell}({date})" in by_file.get(file, ""), (file, cell, every)
    assert "另有" not in every and not out.exists()


def test_a_single_early_page_still_reads_as_its_file_and_cell(tmp_path, monkeypatch):
    today = dt.date.today()
    drawn_on = today - dt.timedelta(days=3)
    forms = _county(tmp_path, monkeypatch, drawn_on)
    early = (drawn_on - dt.timedelta(days=2)).isoformat()
    fill(forms[0], {1: {"verify_date": early}})
    said = " ".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "r", code=2).output.split())
    cell = _date_cells(forms[0])[1]
    assert "核查表没有比对:1 个文件中有 1 处问题" in said, said
    assert f"{forms[0].name} 「入户核查表」{cell}:核查序号 1:核查日期 {early} 早于抽样日期 {drawn_on.isoformat()}" \
        in said, said
    assert "很可能" not in said and "--all-problems" not in said
