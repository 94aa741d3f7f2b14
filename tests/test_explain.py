"""`edgescreen explain`: the trace of one household, read from the screening Result, agrees with the
ledger for every household of the sample, and shows each rule's figure, effective date and source."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rich.cells import cell_len

from survey_builders import household, make_id, write_csv, write_workbook
from edgescreen.catalogue import label
from edgescreen.cli import app
from edgescreen.explain import Explainer, parse_row_spec, render_text
from edgescreen.pipeline import screen

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "changchun-sample.xlsx"


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "240"})


@pytest.fixture(scope="module")
def sample_result():
    return screen([SAMPLE], as_of=dt.date(2020, 6, 30))


def test_every_sample_trace_equals_the_ledger(sample_result):
    result = sample_result
    ledger = result.ledger
    issues = result.issues("zh")
    issue_counts = issues.groupby("hh").size().to_dict()
    explainer = Explainer(result)
    columns = {(r.sheet_key, r.field): r.column for r in result.columns.itertuples(index=False)}
    seen_statuses = set()
    for hh in range(len(result.households)):
        t = explainer.trace(hh)
        row = ledger.iloc[hh]
        blank = lambda v: "" if v is None else v  # noqa: E731 — the ledger writes NA as ''
        assert blank(t["income"]["used"]) == row["total_income"], hh
        assert blank(t["expenses"]["used"]) == row["production_expenses"], hh
        assert blank(t["net_income"]["yuan"]) == row["net_income"], hh
        assert blank(t["per_capita"]["yuan"]) == row["per_capita_income"], hh
        assert t["status"] == row["status"] and ";".join(t["reasons"]) == row["reasons"], hh
        h = t["household"]
        assert (h["source_file"], h["sheet"], h["row"], h["head_id"]) == (
            row["source_file"], row["sheet"], row["row"], row["head_id"])
        assert len(t["issues"]) == issue_counts.get(hh, 0)
        # Each cell reference is where the pipeline found that field on this sheet.
        key = result.households.at[hh, "sheet_key"]
        for cell in t["cells"]:
            if cell["present"]:
                assert cell["cell"] == f"{columns[(key, cell['field'])]}{h['row']}"
        # The sum shown is the sum of the components shown, to the fen.
        for side in ("income", "expenses"):
            s = t[side]
            if s["from"] == "components":
                parts = [c.get("fen") or 0 for c in s["components"] if c["present"]]
                assert sum(parts) == s["used_fen"], (hh, side)
        # Exactly one rule decides, the first that holds, and it is the status.
        deciding = [s for s in t["rules_applied"] if s["decides"]]
        assert len(deciding) == 1 and deciding[0]["status"] == t["status"]
        first_holding = next(s for s in t["rules_applied"] if s["holds"])
        assert first_holding is deciding[0]
        # The rules after it are not applied: no verdict of theirs is given.
        after = t["rules_applied"][t["rules_applied"].index(first_holding) + 1:]
        assert all(not s["reached"] and s["holds"] is None for s in after), after
        seen_statuses.add(t["status"])
    assert seen_statuses == set(result.counts) - {s for s, n in result.counts.items() if n == 0}
    assert len(seen_statuses) == 7, "the sample exercises every status"


def test_bound_steps_carry_the_figure_in_force_with_its_date_and_source(sample_result):
    t = Explainer(sample_result).trace(0)
    steps = {s["status"]: s for s in t["rules_applied"]}
    assert [s["status"] for s in t["rules_applied"]] == [
        "excluded_dibao", "excluded_tekun", "excluded_registered", "invalid", "below_line", "candidate", "above_limit"]
    lower, upper = steps["below_line"]["parameter"], steps["candidate"]["parameter"]
    assert (lower["value"], lower["effective"], lower["income_year"]) == ("3218", "2019-01-01", 2019)
    assert "新华社" in lower["source"]
    assert (upper["value"], upper["effective"]) == ("4000", "2019-01-01") and "未达到4000元" in upper["source"]
    assert steps["excluded_dibao"]["parameter"] == {"key": "exclude.dibao", "value": True}


def _trap_survey(tmp_path) -> Path:
    rows = [household(**{"户主姓名": "陷阱户", "户主身份证号": make_id(serial=101), "工资性收入": "11999.99",
                         "家庭总收入": "11999.99"}),
            household(**{"户主姓名": "坏数据", "户主身份证号": make_id(serial=102), "家庭常住人口数": "两人"})]
    return write_workbook(tmp_path / "合隆镇.xlsx", {"前岗村": rows}, layout="two_row")


def test_explain_by_id_shows_cells_sums_per_capita_and_rules(tmp_path):
    path = _trap_survey(tmp_path)
    result = run("explain", path, "--id", make_id(serial=101), "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.output
    out = result.output
    for needle in ("陷阱户", "合隆镇.xlsx「前岗村」 第5行", "工资性收入", "11999.99",
                   "11999.99 ÷ 3 = 3999.996666…", "按分取到界线以内(四舍五入会落在界线上,而精确值在界线以内) 3999.99",
                   "纯收入 < 4000 × 3 人:11999.99 < 12000.00 → 成立  ← 决定结果",
                   "纯收入 ≤ 3218 × 3 人:11999.99 ≤ 9654.00 → 不成立",
                   "下限 3218 元(规则文件中的 lower_bound;自 2019-01-01 起", "新华社", "未达到4000元",
                   "认定结果: 贫困边缘户候选"):
        assert needle in out, needle
    # Cells as typed, with their references: the ID sits in column F of the two-row layout.
    assert f"F5  户主身份证号: {make_id(serial=101)}" in out


def test_explain_json_for_audit(tmp_path):
    path = _trap_survey(tmp_path)
    result = run("explain", path, "--row", f"{path.name}:前岗村:6", "--json", "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.output
    t = json.loads(result.output)
    assert t["household"]["head_name"] == "坏数据" and t["status"] == "invalid"
    assert t["per_capita"] == {"yuan": None, "fen": None, "exact": None, "kept_inside": False}
    residents = next(c for c in t["cells"] if c["field"] == "residents")
    assert residents["typed"] == "两人" and residents["value"] is None and residents["cell"].endswith("6")
    invalid = next(s for s in t["rules_applied"] if s["status"] == "invalid")
    assert invalid["decides"] and "not_a_number" in invalid["input"]
    assert any(i["code"] == "not_a_number" and i["cell"] == residents["cell"] for i in t["issues"])
    assert t["rules"]["id"] == "changchun-2019" and len(t["rules"]["sha256"]) == 64
    trap = json.loads(run("explain", path, "--row", f"{path.name}:前岗村:5", "--json", "--as-of",
                          "2020-06-30").output)
    assert trap["per_capita"] == {"yuan": "3999.99", "fen": 399999, "exact": "3999.996666…", "kept_inside": True}


def test_a_duplicated_id_explains_both_households(tmp_path):
    same = make_id(serial=103)
    a = write_workbook(tmp_path / "a.xlsx", [household(**{"户主身份证号": same, "户主姓名": "甲"})])
    b = write_csv(tmp_path / "b.csv", [household(**{"户主身份证号": same, "户主姓名": "乙"})])
    result = run("explain", a, b, "--id", same, "--json", "--lang", "en")
    assert result.exit_code == 0, result.output
    traces = json.loads(result.output)
    assert [t["household"]["head_name"] for t in traces] == ["甲", "乙"]
    assert all(t["status"] == "invalid" and "duplicate_household" in t["reasons"] for t in traces)
    assert "the same head ID appears 2 times" in traces[0]["issues"][0]["message"]
    # A CSV household by FILE:ROW.
    result = run("explain", a, b, "--row", "b.csv:2", "--json")
    assert json.loads(result.output)["household"]["head_name"] == "乙"


def test_explain_errors_name_what_is_wrong(tmp_path):
    path = _trap_survey(tmp_path)
    cases = [
        (["--id", "110101199003070000"], "no household with head ID 110101199003070000"),
        ([], "name one household"),
        (["--id", make_id(serial=101), "--row", "x.xlsx:S:5"], "name one household"),
        (["--row", f"{path.name}:前岗村:7"], "row 7 is a total row, not a household"),
        (["--row", f"{path.name}:前岗村:9"], "row 9 is a footer row, not a household"),
        (["--row", f"{path.name}:前岗村:8"], "row 8 of “前岗村” holds no household"),
        (["--row", f"{path.name}:前岗村:3"], "row 3 is the header"),
        (["--row", f"{path.name}:后岗村:5"], "has no household sheet “后岗村”"),
        (["--row", "other.xlsx:前岗村:5"], "other.xlsx is not one of the inputs"),
        (["--row", f"{path.name}:前岗村"], "write it as FILE:SHEET:ROW"),
        # A workbook's row without its sheet said '「」' (an outside try): the sheet is asked for.
        (["--row", f"{path.name}:5"], "is a workbook: name the sheet"),
    ]
    for extra, phrase in cases:
        result = run("explain", path, *extra, "--lang", "en")
        assert result.exit_code == 2, (extra, result.output)
        assert phrase in " ".join(result.output.split()), (extra, result.output)
    # A CSV has no sheets: a sheet named for it is said so, not '…household sheets: 「」'.
    csv = write_csv(tmp_path / "s.csv", [household()])
    said = " ".join(run("explain", csv, "--row", "s.csv:x:2", "--lang", "en").output.split())
    assert "is a text file (CSV) with no sheets: write s.csv:2" in said, said


def test_explain_uses_the_value_in_force_for_the_year(tmp_path):
    county = tmp_path / "county.toml"
    assert run("rules", "new", county).exit_code == 0
    text = county.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.lstrip().startswith("{ effective = 2019-01-01, value = 4000,"))
    county.write_text(text.replace(line, line + '\n  { effective = 2020-01-01, value = 4500, source = "本县2020年文件" },'),
                      encoding="utf-8")
    path = write_workbook(tmp_path / "s.xlsx", [household(**{"户主身份证号": make_id(serial=104),
                                                             "工资性收入": "12600", "家庭总收入": "12600"})])
    for year, status, value, source in (("2019", "above_limit", "4000", "未达到4000元"),
                                        ("2020", "candidate", "4500", "本县2020年文件")):
        result = run("explain", path, "--id", make_id(serial=104), "--rules", county, "--year", year, "--json")
        t = json.loads(result.output)
        upper = next(s for s in t["rules_applied"] if s["status"] == "candidate")["parameter"]
        assert (t["status"], upper["value"], t["rules"]["income_year"]) == (status, value, int(year))
        assert source in upper["source"]


def test_explain_with_the_monitoring_rule_set(tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", [household(**{"户主身份证号": make_id(serial=105),
                                                             "是否建档立卡贫困户": "是"})])
    result = run("explain", path, "--id", make_id(serial=105), "--rules", "monitoring", "--year", "2023")
    assert result.exit_code == 0, result.output
    assert "本规则集无下限" in result.output and "上限 7300 元(规则文件中的 upper_bound" in result.output
    assert "本规则集:列入(规则文件中的 exclude.registered_poor)" in result.output
    assert "认定结果: 防返贫监测对象候选" in result.output  # the rule set's [target], not 贫困边缘户


def test_parse_row_spec():
    assert parse_row_spec("农安县.xlsx:合隆镇:12") == ("农安县.xlsx", "合隆镇", 12)
    assert parse_row_spec("a.csv:7") == ("a.csv", "", 7)
    assert parse_row_spec("a.csv::7") == ("a.csv", "", 7)
    assert parse_row_spec(r"C:\县\农安县.xlsx:合隆镇:12") == ("农安县.xlsx", "合隆镇", 12)
    assert parse_row_spec(r"C:\县\a.csv:3") == ("a.csv", "", 3)


def test_render_text_in_english(sample_result):
    text = render_text(Explainer(sample_result, "en").trace(0), "en")
    assert "Rules, in precedence order" in text and "in force from 2019-01-01" in text
    assert "Status: " + label("above_limit", "en") in text


def test_explain_on_an_80_column_terminal_speaks_chinese_and_keeps_its_indents(monkeypatch):
    """Before: excluded_dibao, "exclude.dibao = true", "lower_bound = 3218", "(依据: at_or_above_upper_bound)"
    reached the clerk, and the terminal's own wrap put "即|纯收入 ≤ …" and "← 决定结果" at the left edge."""
    import io

    from rich.console import Console

    import edgescreen.cli.explain as cli_explain

    screen_ = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None, legacy_windows=False)
    monkeypatch.setattr(cli_explain, "out", screen_)
    result = run("explain", SAMPLE, "--row", "changchun-sample.xlsx:合隆镇:12")
    assert result.exit_code == 0, result.output
    text = screen_.file.getvalue()
    for code in ("excluded_dibao", "exclude.dibao = true", "lower_bound =", "upper_bound =", "above_limit",
                 "at_or_above_upper_bound"):
        assert code not in text, code
    assert "本规则集:不列入(规则文件中的 exclude.dibao)" in text
    assert "下限 3218 元(规则文件中的 lower_bound;自 2019-01-01 起;" in "".join(text.split("\n"))
    assert "认定结果: 达到收入上限,不符合  (依据: 人均纯收入达到收入上限)" in text
    lines = text.splitlines()
    rules = lines[lines.index("规则(按先后顺序,第一条成立的决定结果):") + 1:lines.index("数据问题: 无") - 1]
    assert all(cell_len(line) <= 80 for line in lines) and all(line.startswith("  ") for line in rules), rules
    assert any(line.endswith("→ 成立  ← 决定结果") for line in rules)


@pytest.mark.parametrize("width", [80, 84, 90])
def test_explain_on_a_terminal_names_each_check_and_keeps_a_number_id_whole(tmp_path, monkeypatch, width):
    """Before: a head ID Excel had stored as a number printed as 「2.20122197005019e」 on one line and
    「+17」 on the next (at 80 columns with the code before it, at 84 with the title), and the trace
    showed the code id_malformed (rule 4 and 数据问题) where the clerk should read the check's title,
    身份证号格式错误."""
    import io

    from rich.console import Console

    import edgescreen.cli.explain as cli_explain

    name = "韩华贵"
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"前岗村": [
        household(**{"户主姓名": name, "户主身份证号": 2.20122197005019e17}),
        household(**{"户主姓名": "对照", "户主身份证号": make_id(serial=103)})]}, layout="two_row")
    screen_ = Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None, legacy_windows=False)
    monkeypatch.setattr(cli_explain, "out", screen_)
    result = run("explain", path, "--name", name, "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.output
    text = screen_.file.getvalue()
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines), lines
    title = label("check_id_malformed", "zh")
    assert "id_malformed" not in text and "not_computable" not in text
    rule = next(line for line in lines if line.startswith("  4. "))
    assert f"[{title}]" in "".join(lines[lines.index(rule):lines.index(rule) + 2])
    issues = lines[lines.index("数据问题:") + 1:]
    assert f"[错误] {title}:" in issues[0]
    assert any("「2.20122197005019e+17」" in line for line in issues), issues
    assert f"认定结果: 数据有误,待核实  (依据: {title})" in text
    # the JSON, for audit, keeps the code
    t = json.loads(run("explain", path, "--name", name, "--json", "--as-of", "2020-06-30").output)
    assert [i["code"] for i in t["issues"]] == ["id_malformed"]


def test_a_household_whose_income_cannot_be_computed_says_why_in_words(tmp_path):
    """The rule-4 reason when no check names one: 人均纯收入无法计算, not not_computable."""
    from edgescreen.explain import render_text

    trace = Explainer(screen([_trap_survey(tmp_path)], as_of=dt.date(2020, 6, 30))).trace(1)
    trace["rules_applied"][3]["input"] = ["not_computable"]   # as a household with no error gives it
    text = render_text(trace, "zh")
    assert "[人均纯收入无法计算]" in text and "not_computable" not in text


def test_the_inputs_a_household_is_not_in_are_listed_as_chinese_lists_them(tmp_path):
    """A list in a Chinese message is joined by 、 (the catalogue's list_sep), not by ", " in code."""
    first = write_workbook(tmp_path / "合隆镇.xlsx", [household(户主身份证号=make_id(serial=11))])
    second = write_workbook(tmp_path / "华家镇.xlsx", [household(户主身份证号=make_id(serial=13), 户主姓名="李四")])
    result = run("explain", first, second, "--id", "110101199003070000")
    assert result.exit_code == 2 and "输入文件(合隆镇.xlsx、华家镇.xlsx)中没有" in result.output, result.output
    result = run("explain", first, second, "--row", "其他.xlsx:合隆镇:2")
    assert result.exit_code == 2 and "不是输入文件之一(合隆镇.xlsx、华家镇.xlsx)" in result.output, result.output


def test_residents_counted_from_the_members_name_the_rows_counted(sample_result):
    """A blank 家庭常住人口数 counted from the members said only the count: no row to check it by (an
    outside try of explain). The members counted are named by their rows."""
    import numpy as np

    from edgescreen.explain import Explainer

    members = sample_result.members
    hh = int(np.flatnonzero(members.filled)[0])
    text = render_text(Explainer(sample_result, "zh").trace(hh), "zh")
    counted = members.frame[(members.frame["hh"] == hh) & (members.frame["resident"] == True)]  # noqa: E712
    rows = members.cells.loc[counted.index, "row"].tolist()
    assert "计入的成员:" in text, text
    for row, name in zip(rows, counted["name"]):
        assert f"第 {row} 行({name})" in text, text
