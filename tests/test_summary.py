"""The county summary workbook and run.json: totals that equal the ledger for every township and
status, the candidate share, a native Excel chart, the run's facts printed on it; run.json enough to
reproduce the run and prove which data it saw."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from print_size import page_header_held, printed_pages, printed_points, wrapped_lines
from survey_builders import household, write_workbook
from edgescreen import __version__
from edgescreen.catalogue import messages
from edgescreen.classify import STATUSES
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()
HEADER_ROW = 6  # the title, the day screened, the rule line, the inputs, the run time
COUNTY = ["县(市、区)"]


def label(key, lang="zh"):
    return messages().labels[key](lang)


def survey_rows():
    """Three townships, five villages, every status somewhere."""
    kinds = [{"工资性收入": 10000}, {"工资性收入": 6000}, {"工资性收入": 30000}, {"是否低保户": "是", "转移性收入": 3000},
             {"是否特困人员": "是", "转移性收入": 3000}, {"是否建档立卡贫困户": "是"}, {"工资性收入": "见备注"}]
    places = [("合隆镇", "前岗村"), ("合隆镇", "太平村"), ("烧锅镇", "三宝村"), ("华家镇", "东升村"), ("华家镇", "新农村")]
    rows = []
    for i in range(60):
        township, village = places[(i * 7) % len(places)]
        rows.append(household(**{"县(市、区)": "农安县", "乡(镇)": township, "行政村": village, "户主姓名": f"户主{i}",
                                 **kinds[(i * 3 + i // 5) % len(kinds)]}))
    return rows


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("summary")
    a = write_workbook(tmp / "a.xlsx", survey_rows()[:40], more=COUNTY)
    b = write_workbook(tmp / "b.xlsx", survey_rows()[40:], more=COUNTY)
    out = tmp / "out"
    result = runner.invoke(app, ["screen", str(a), str(b), "-o", str(out), "--as-of", "2020-01-01",
                                 "--publicity-start", "2020-01-06"])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    return out, ledger, (a, b)


def sheet_frame(ws, first_cols: int) -> pd.DataFrame:
    """The table under the header row, as a frame keyed by the status names."""
    records = []
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[0] is None:
            break
        records.append(row[:first_cols + len(STATUSES) + 2])
    names = [f"key{i}" for i in range(first_cols)] + STATUSES + ["total", "share"]
    return pd.DataFrame(records, columns=names)


def test_village_rows_subtotals_and_total_equal_the_ledger(run):
    out, ledger, _ = run
    ws = openpyxl.load_workbook(out / "summary.xlsx")[label("sheet_summary")]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:2] == ["乡(镇)", "行政村"]
    assert headers[2:2 + len(STATUSES)] == [label(s) for s in STATUSES]
    assert headers[-2:] == ["合计", "候选户占比"]
    frame = sheet_frame(ws, 2)
    expected = pd.crosstab([ledger["township"], ledger["village"]], ledger["status"]).reindex(
        columns=STATUSES, fill_value=0)

    villages = frame[frame["key1"].notna()].set_index(["key0", "key1"])
    assert len(villages) == len(expected) == 5
    for (township, village), counts in expected.iterrows():
        assert list(villages.loc[(township, village), STATUSES]) == list(counts), (township, village)
        assert villages.loc[(township, village), "total"] == counts.sum()

    by_township = pd.crosstab(ledger["township"], ledger["status"]).reindex(columns=STATUSES, fill_value=0)
    subtotals = frame[frame["key0"].str.endswith(" 小计")].copy()
    subtotals["key0"] = subtotals["key0"].str.removesuffix(" 小计")
    subtotals = subtotals.set_index("key0")
    assert sorted(subtotals.index) == sorted(by_township.index)
    for township, counts in by_township.iterrows():
        assert list(subtotals.loc[township, STATUSES]) == list(counts), township

    total = frame[frame["key0"] == "合计"].iloc[0]
    assert list(total[STATUSES]) == [int((ledger["status"] == s).sum()) for s in STATUSES]
    assert total["total"] == len(ledger) == 60


def test_township_sheet_equals_the_ledger_and_counts_are_numbers(run):
    out, ledger, _ = run
    ws = openpyxl.load_workbook(out / "summary.xlsx")[label("sum_by_township")]
    frame = sheet_frame(ws, 1).set_index("key0")
    by_township = pd.crosstab(ledger["township"], ledger["status"]).reindex(columns=STATUSES, fill_value=0)
    for township, counts in by_township.iterrows():
        assert list(frame.loc[township, STATUSES]) == list(counts), township
        assert frame.loc[township, "total"] == counts.sum()
    assert list(frame.loc["合计", STATUSES]) == list(by_township.sum())
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(frame)):
        assert all(c.data_type == "n" for c in row[1:len(STATUSES) + 3])


def test_candidate_share_per_village(run):
    out, ledger, _ = run
    ws = openpyxl.load_workbook(out / "summary.xlsx")[label("sheet_summary")]
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[0].value is None:
            break
        if row[1].value:
            village = ledger[ledger["village"] == row[1].value]
            share = row[2 + len(STATUSES) + 1]
            assert share.value == pytest.approx((village["status"] == "candidate").mean())
            assert share.number_format == "0.0%_ " and share.data_type == "n"  # "_ ": padding


def test_native_chart_of_candidates_per_township(run):
    out, _, _ = run
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 1
        chart = z.read(charts[0]).decode("utf-8")
        workbook = z.read("xl/workbook.xml").decode("utf-8")
    assert "<c:barChart>" in chart and '<c:barDir val="col"/>' in chart
    sheet = label("sum_by_township")
    col = openpyxl.utils.get_column_letter(2 + STATUSES.index("candidate"))
    assert f"{sheet}!${col}${HEADER_ROW + 1}:${col}${HEADER_ROW + 3}" in chart, "values: candidates of 3 townships"
    assert f"{sheet}!$A${HEADER_ROW + 1}:$A${HEADER_ROW + 3}" in chart, "categories: the townships"
    assert label("sum_chart_title") in chart
    assert sheet in workbook


def test_rule_set_bounds_inputs_and_run_time_printed(run):
    out, _, _ = run
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    top = [wb[label("sheet_summary")].cell(r, 1).value for r in range(1, HEADER_ROW)]
    assert "changchun-2019" in top[2] and "3218" in top[2] and "4000" in top[2]
    assert "a.xlsx(40 户)" in top[3] and "b.xlsx(20 户)" in top[3]
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", top[4]), "the run time as a clerk writes it"
    runs = [c.value for row in wb[label("sheet_run")].iter_rows() for c in row if c.value]
    assert any(isinstance(v, str) and hashlib.sha256((run[2][0]).read_bytes()).hexdigest() in v for v in runs)


@pytest.fixture
def shanghai(monkeypatch):
    """The computer's clock set to China Standard Time, as a county office's is."""
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def run_sheet(out) -> dict:
    ws = openpyxl.load_workbook(out / "summary.xlsx")[label("sheet_run")]
    return {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}


def test_run_sheet_in_local_time_and_the_rules_file_by_name(tmp_path, shanghai):
    import datetime as dt

    path = write_workbook(tmp_path / "a.xlsx", survey_rows()[:5])
    out = tmp_path / "out"
    assert runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01"]).exit_code == 0
    sheet = run_sheet(out)
    started = dt.datetime.fromisoformat(json.loads((out / "run.json").read_text(encoding="utf-8"))["started"])
    local = started.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert sheet[label("run_started")] == f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    assert sheet[label("as_of")] == "2020年1月1日"
    assert "2019年1月1日起" in sheet[label("run_lower")] and "3218 元" in sheet[label("run_lower")]
    for value in sheet.values():
        assert not re.search(r"\d{4}-\d\d-\d\dT|[+-]\d\d:\d\d$", str(value)), value
    assert sheet[label("run_rule_file")] == "edgescreen 自带规则文件 changchun-2019.toml"
    assert "/" not in sheet[label("run_rule_file")] and "\\" not in sheet[label("run_rule_file")]

    # A county's own rules file: its file name, not where it lies.
    county = tmp_path / "rules" / "农安县.toml"
    county.parent.mkdir()
    assert runner.invoke(app, ["rules", "new", str(county)]).exit_code == 0
    out = tmp_path / "own"
    assert runner.invoke(app, ["screen", str(path), "-o", str(out), "--rules", str(county),
                               "--as-of", "2020-01-01"]).exit_code == 0
    assert run_sheet(out)[label("run_rule_file")] == "农安县.toml"


def test_a_register_rounds_date_is_said_in_words_not_as_the_programs_key(tmp_path):
    """An outside try: every screen with --register showed 选项 round_date=2019-12-02 on 运行信息."""
    path = write_workbook(tmp_path / "a.xlsx", survey_rows()[:3])
    out = tmp_path / "out"
    done = runner.invoke(app, ["screen", str(path), "-o", str(out), "--register", str(tmp_path / "县.db"),
                               "--date", "2019-12-02"])
    assert done.exit_code == 0, done.output
    assert run_sheet(out)[label("run_options")] == "记入登记簿,轮次日期 2019年12月2日(--register)"


def test_title_names_the_county_and_the_line_under_it_the_rules_and_the_day(run):
    import datetime as dt

    out, _, _ = run
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    finished = dt.datetime.fromisoformat(json.loads((out / "run.json").read_text(encoding="utf-8"))["finished"])
    day = finished.astimezone().date()
    for name in (label("sheet_summary"), label("sum_by_township")):
        ws = wb[name]
        assert ws["A1"].value == "农安县贫困边缘户识别汇总表"
        assert ws["A2"].value == f"筛查日期:{day.year}年{day.month}月{day.day}日"
        assert ws["A3"].value.startswith("认定标准:长春市贫困边缘户识别标准(2019)(changchun-2019,")
        # Before: the rule set's title on the date line too, said twice above the table.
        top = "\n".join(ws.cell(r, 1).value for r in range(1, HEADER_ROW))
        assert top.count("长春市贫困边缘户识别标准(2019)") == 1, top
        assert ws.oddHeader.center.text == "农安县贫困边缘户识别汇总表", "the title on every printed page"


@pytest.mark.parametrize("counties", [[], ["农安县", "德惠市"]], ids=["no county column", "two counties"])
def test_title_leaves_the_county_blank_unless_the_survey_names_one(tmp_path, counties):
    rows = survey_rows()[:6]
    for i, row in enumerate(rows):
        row["县(市、区)"] = counties[i % len(counties)] if counties else ""
    path = write_workbook(tmp_path / "a.xlsx", rows, more=COUNTY if counties else [])
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out / "summary.xlsx")[label("sheet_summary")]
    assert ws["A1"].value == "______县(市、区)贫困边缘户识别汇总表"


def signature_row(ws) -> tuple[int, list[str]]:
    """The row (1-based) holding 制表人, and its texts left to right."""
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        texts = [v for v in row if isinstance(v, str)]
        if any(t.startswith("制表人") for t in texts):
            return r, texts
    raise AssertionError(f"{ws.title}: no signature row")


def test_signature_lines_below_each_table(run):
    out, _, _ = run
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    for name in (label("sheet_summary"), label("sum_by_township")):
        ws = wb[name]
        total = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
        row, texts = signature_row(ws)
        assert row == total + 2, "a blank row between the table and the signatures"
        assert texts == ["制表人:______", "审核人:______", "日期:______"]
        assert ws.max_row == row, "nothing printed below the signatures"
        cells = [ws.cell(row, c) for c in range(1, ws.max_column + 1) if ws.cell(row, c).value]
        assert cells[1].column > 2 and cells[2].column > cells[1].column, "spread over the table's width"


def test_print_setup(run):
    out, _, _ = run
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    for name in (label("sheet_summary"), label("sum_by_township")):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert printed_points(ws, HEADER_ROW + 1) >= 9.0, name
        pages = printed_pages(ws)  # a fixed scale: the breaks are edgescreen's, as laid out
        assert len(pages) == 1 and pages[0][-1] == signature_row(ws)[0], name


def test_signatures_printed_with_the_last_rows_of_a_long_table(tmp_path):
    rows = [household(**{"县(市、区)": "农安县", "乡(镇)": f"{t}镇", "行政村": f"{t}镇{v}村"})
            for t in range(8) for v in range(9)]
    path = write_workbook(tmp_path / "a.xlsx", rows, more=COUNTY)
    out = tmp_path / "out"
    assert runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01"]).exit_code == 0
    ws = openpyxl.load_workbook(out / "summary.xlsx")[label("sheet_summary")]
    pages = printed_pages(ws)
    assert len(pages) > 2
    signed, _ = signature_row(ws)
    counts = [r for r in range(HEADER_ROW + 1, signed) if isinstance(ws.cell(r, 3).value, int)]
    assert signed in pages[-1]
    assert sum(r in counts for r in pages[-1]) >= 2, "the signatures' page holds the last rows"
    assert printed_points(ws, HEADER_ROW + 1) >= 9.0


LINE_POINTS = 16  # LibreOffice prints a line of 11-point 宋体 text (Noto Sans CJK) 16 points apart


def test_a_name_wider_than_its_column_prints_whole(tmp_path):
    """Before: every count row was 18 points, one line, so a village named as its committee is
    (陈家店村民委员会, or a group's whole name) wrapped in its 14-wide column and printed cut at its
    first line; so did a long township's name and its 小计 line. Now each row holds its wrapped names,
    and the page breaks count the taller rows (no page overflows, the signatures with the last rows)."""
    long_township = "农安县合隆镇人民政府驻地街道"
    villages = ["陈家店村民委员会", "合隆镇陈家店村民委员会第三村民小组", "前岗村"]
    rows = [household(**{"县(市、区)": "农安县", "乡(镇)": township, "行政村": f"{village}{i}" if i else village})
            for township in (long_township, "合隆镇") for village in villages for i in range(12)]
    path = write_workbook(tmp_path / "a.xlsx", rows, more=COUNTY)
    out = tmp_path / "out"
    assert runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01"]).exit_code == 0
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    for name, texts in ((label("sheet_summary"), 2), (label("sum_by_township"), 1)):
        ws = wb[name]
        signed, _ = signature_row(ws)
        wrapped = 0
        for r in range(HEADER_ROW + 1, signed - 1):
            height = ws.row_dimensions[r].height
            for cell in ws[r][:texts]:
                if isinstance(cell.value, str):
                    lines = wrapped_lines(ws, cell, 11, indent=6)
                    assert height >= lines * LINE_POINTS, (name, cell.value, lines, height)
                    wrapped += lines > 1
        assert wrapped >= (2 * 36 + 2 if texts == 2 else 1), name  # the long names, the long 小计
        pages = printed_pages(ws)
        assert signed in pages[-1]
    assert len(printed_pages(wb[label("sheet_summary")])) > 1, "long enough to break over pages"


def test_a_page_header_full_of_ampersands_is_kept_within_excels_limit(tmp_path):
    """Before: a running title was cut to 250 characters, then each & doubled, so a county cell of
    200 & (a cell of junk typed as the 县(市、区)) made a header of 400 characters: xlsxwriter dropped
    it, and no page said whose summary it was. Now it is escaped first and cut after."""
    county = "&" * 200
    rows = [household(**{"县(市、区)": county, "户主姓名": f"户主{i}"}) for i in range(3)]
    path = write_workbook(tmp_path / "a.xlsx", rows, more=COUNTY)
    out = tmp_path / "out"
    assert runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01"]).exit_code == 0
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    for name in (label("sheet_summary"), label("sum_by_township")):
        ws = wb[name]
        assert ws["A1"].value == county + "贫困边缘户识别汇总表"
        assert len(page_header_held(ws, ws["A1"].value)) == 126, "as much of the title as 255 characters hold"


def test_run_json_is_enough_to_reproduce_the_run(run):
    out, ledger, inputs = run
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["version"] == __version__
    rules = record["rules"]
    assert rules["id"] == "changchun-2019"
    assert rules["sha256"] == hashlib.sha256(open(rules["path"], "rb").read()).hexdigest()
    assert rules["lower_bound"]["value"] == "3218" and rules["upper_bound"]["value"] == "4000"
    assert [(i["file"], i["households"]) for i in record["inputs"]] == [("a.xlsx", 40), ("b.xlsx", 20)]
    for item, path in zip(record["inputs"], inputs):
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["counts"] == {s: int((ledger["status"] == s).sum()) for s in STATUSES}
    assert record["options"]["publicity_start"] == "2020-01-06"
    assert record["options"]["as_of"] == "2020-01-01"
    assert record["options"]["mask"] is True and record["options"]["lang"] == "zh"
    assert record["started"] <= record["finished"]
    listed = {o["file"]: o["sha256"] for o in record["outputs"]}
    assert {"decisions.csv", "issues.csv", "summary.xlsx"} <= set(listed)
    assert any(f.startswith("villages/") for f in listed) and any(f.startswith("publicity/") for f in listed)
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


def test_english_summary(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", survey_rows()[:10])
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--lang", "en", "--as-of", "2020-01-01"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    sheets = ("sheet_summary", "sum_by_township", "sheet_chart", "sheet_run")
    assert wb.sheetnames == [label(key, "en") for key in sheets]
    ws = wb[label("sheet_summary", "en")]
    assert ws["A1"].value == "Screening for poverty-edge households: summary, ______ county"
    assert signature_row_en(ws) == ["Prepared by: ______", "Reviewed by: ______", "Date: ______"]
    assert [c.value for c in ws[HEADER_ROW]][-2:] == ["total", "candidate share"]
    assert ws.oddFooter.center.text == "Page &P of &N"


def signature_row_en(ws) -> list[str]:
    return next([v for v in row if isinstance(v, str)] for row in ws.iter_rows(values_only=True)
                if any(isinstance(v, str) and v.startswith("Prepared by") for v in row))


def test_under_rules_that_leave_no_one_out_the_summary_has_no_columns_of_their_statuses(tmp_path):
    """Under monitoring (no exclusion, no lower bound) the summary's columns are those the terminal
    and report.html show: 有误, 候选, 超限, then 合计 and the share. Before, it kept 低保, 特困, 建档
    and 低于 columns of 0, which read as a county without 低保 households; the share and the chart
    still count the candidates."""
    path = write_workbook(tmp_path / "s.xlsx", survey_rows(), more=COUNTY)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--rules", "monitoring", "--as-of", "2024-01-01"])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    shown = ["invalid", "candidate", "above_limit"]
    assert set(ledger["status"]) == set(shown)
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    ws = wb[label("sum_by_township")]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == [label("township"), *(label(s) for s in shown), label("total"), label("sum_candidate_share")]
    by_township = pd.crosstab(ledger["township"], ledger["status"]).reindex(columns=shown, fill_value=0)
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(by_township), values_only=True):
        counts = by_township.loc[row[0]]
        assert list(row[1:4]) == list(counts) and row[4] == counts.sum(), row
        assert row[5] == pytest.approx(counts["candidate"] / counts.sum())
    village_header = [c.value for c in wb[label("sheet_summary")][HEADER_ROW]]
    assert village_header[2:] == header[1:]
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        chart = z.read(next(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))).decode("utf-8")
    assert f"{label('sum_by_township')}!$C${HEADER_ROW + 1}:$C${HEADER_ROW + 3}" in chart, "the candidates' column"
