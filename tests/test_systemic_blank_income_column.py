"""An income column left blank in most of a village's rows decides households: said with what rests on it.

An outside try (issue 11 item 2): a mountain village left 转移性收入 (column M) blank for all 181
households; read as 0, 123 of them were decided 低于贫困标准 without an error, and every report said it in
the words of the harmless blank 折旧 and 税费 beside it. Now such a finding says how many households were
decided below the line or candidates with the blank read as 0, marked and before the blanks that change
no decision, on the terminal (check and screen), in quality.xlsx, report.html and the village's fix
list. A blank cost is not weighed (systemic.weigh_blank_income says why); no household is made invalid."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()

TRANSFER = chr(ord("A") + HEADERS.index("转移性收入"))      # M
DEPRECIATION = chr(ord("A") + HEADERS.index("生产性固定资产折旧"))  # P

# 东兴村 (rows 27-51 of 合隆镇's sheet) leaves 转移性收入 blank in every row: 10 households whose wages
# alone are 2,000 a head (below the line) and 15 whose are 3,333 (candidates); each has 6,000 of
# transfers it did not write. 前岗村 (rows 2-26) writes them. 青山村 (rows 52-76) leaves 折旧 blank,
# its 25 households candidates. 松江镇's sheet 双山村 (rows 2-31) is a village of its own sheet.
DECIDES_VILLAGE = ("该村这一列都没有填写,空格都按0元计算,该村有10户认定为“低于贫困标准”、15户认定为“贫困边缘户候选”,"
                   "这些户的这一项都是空格,补填后认定可能改变:请在评议会前补填,确实没有的填0")
DONGXING = f"合隆镇.xlsx「合隆镇」合隆镇东兴村{TRANSFER}列「转移性收入」:漏填25行,占该村25户的100%(第27-51行)。"
QINGSHAN = (f"合隆镇.xlsx「合隆镇」合隆镇青山村{DEPRECIATION}列「生产性固定资产折旧」:漏填25行,占该村25户的100%(第52-76行)。"
            "可能原因:该村这一列都没有填写,空格都按0元计算:请补填金额,确实没有的填0")
SHUANGSHAN = (f"松江镇.xlsx「双山村」{TRANSFER}列「转移性收入」:漏填30行,占本表30户的100%(第2-31行)。"
              "该列整列未填写,空格都按0元计算,本表有30户认定为“低于贫困标准”,这些户的这一项都是空格,")


def _ids(n: int, start: int) -> list[str]:
    born = pd.date_range("1955-01-01", periods=n, freq="11D").strftime("%Y%m%d")
    return [make_id(day, serial=start + 2 * i) for i, day in enumerate(born)]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blank_income")
    ids = iter(_ids(105, 501))
    filled = [household(户主身份证号=next(ids), 行政村="前岗村", 转移性收入=6000) for _ in range(25)]
    blank = [household(户主身份证号=next(ids), 行政村="东兴村", 工资性收入=wage, 转移性收入=None, 家庭总收入=wage)
             for wage in [6000] * 10 + [10000] * 15]
    costs = [household(户主身份证号=next(ids), 行政村="青山村", 生产性固定资产折旧=None) for _ in range(25)]
    write_workbook(folder / "合隆镇.xlsx", {"合隆镇": filled + blank + costs})
    shuangshan = [household(户主身份证号=next(ids), 行政村="双山村", 工资性收入=3000, 转移性收入=None, 家庭总收入=3000,
                            **{"乡(镇)": "松江镇"}) for _ in range(30)]
    write_workbook(folder / "松江镇.xlsx", {"双山村": shuangshan})
    return folder


def _at_80(*args) -> tuple[str, list[str]]:
    done = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), [line for line in lines if cell_len(line) > 80]
    return re.sub(r"\s+", "", done.output), lines


@pytest.fixture(scope="module")
def checked(county):
    said, _ = _at_80("check", county, "-o", county / "report", "--as-of", "2020-01-01")
    return said


def test_the_terminal_says_what_rests_on_the_blank_income_before_the_blank_cost(checked):
    said = checked
    assert "【影响认定】" + DONGXING + DECIDES_VILLAGE in said, said
    assert "【影响认定】" + SHUANGSHAN in said, said
    assert QINGSHAN in said and "【影响认定】" + QINGSHAN not in said, "a blank cost is said as before"
    assert said.index(DONGXING) < said.index(QINGSHAN) and said.index(SHUANGSHAN) < said.index(QINGSHAN)
    assert "前岗村" not in said.split("整列或整村的问题")[1].split("数据质量检查")[0]


def test_screen_says_it_too_and_decides_no_household_invalid(county):
    out = county / "screened"
    said, _ = _at_80("screen", county, "-o", out, "--as-of", "2020-01-01")
    assert "【影响认定】" + DONGXING + DECIDES_VILLAGE in said, said
    assert "【影响认定】" + QINGSHAN not in said
    decided = read_ledger(out / "decisions.csv")
    assert "invalid" not in set(decided["status"]), "a blank money cell is a warning, read as 0"
    assert (decided["status"] == "below_line").sum() == 40 and (decided["status"] == "candidate").sum() == 40
    issues = read_issues(out / "issues.csv")
    blank = issues[issues["code"] == "missing_value"]
    assert (blank["field"] == "transfer_income").sum() == 55 and (blank["field"] == "depreciation").sum() == 25
    assert set(blank["severity"]) == {"warning"}


def test_quality_xlsx_says_it_first_and_in_bold(county, checked):
    ws = openpyxl.load_workbook(county / "report" / "quality.xlsx")["概览"]
    cells = [c for row in ws.iter_rows() for c in row[:1] if isinstance(c.value, str)]
    flat = [re.sub(r"\s+", "", c.value) for c in cells]
    dongxing = next(i for i, text in enumerate(flat) if text.startswith("【影响认定】" + DONGXING))
    qingshan = next(i for i, text in enumerate(flat) if text.startswith(QINGSHAN[:40]))
    assert DECIDES_VILLAGE in flat[dongxing] and cells[dongxing].font.b
    assert not cells[qingshan].font.b and dongxing < qingshan
    assert any(text.startswith("【影响认定】" + SHUANGSHAN) for text in flat)


def test_report_html_says_it_apart(county, checked):
    html = (county / "report" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="systemic"'):html.index('id="counts"')]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    dongxing = next(i for i, item in enumerate(items) if "东兴村" in item)
    qingshan = next(i for i, item in enumerate(items) if "青山村" in item)
    assert items[dongxing].startswith("<strong") and DECIDES_VILLAGE in re.sub(r"\s+", "", items[dongxing])
    assert "<strong" not in items[qingshan] and dongxing < qingshan


def test_the_villages_fix_lists_say_it(county, checked):
    folder = county / "report" / "quality-villages"

    def lines(name):
        ws = openpyxl.load_workbook(folder / name).active
        return [(re.sub(r"\s+", "", c.value), bool(c.font.b)) for row in ws.iter_rows() for c in row[:1]
                if isinstance(c.value, str) and "漏填" in c.value]

    dongxing = lines("合隆镇-东兴村-问题清单.xlsx")
    assert [(DECIDES_VILLAGE in text, bold) for text, bold in dongxing] == [(True, True)], dongxing
    qingshan = lines("合隆镇-青山村-问题清单.xlsx")
    assert [(text.startswith(QINGSHAN), bold) for text, bold in qingshan] == [(True, False)], qingshan
    # A sheet's finding: the village's own households of it, and its own decided on it.
    shuangshan = lines("松江镇-双山村-问题清单.xlsx")
    assert len(shuangshan) == 1 and shuangshan[0][1], shuangshan
    assert shuangshan[0][0].startswith(SHUANGSHAN)
    assert shuangshan[0][0].endswith("。本村30户:第2-31行,其中30户认定为“低于贫困标准”。"), shuangshan


def test_english_says_it_too(county):
    done = runner.invoke(app, ["check", str(county), "-o", str(county / "report-en"), "--as-of", "2020-01-01",
                               "--lang", "en"], env={"COLUMNS": "200"})
    said = re.sub(r"\s+", " ", done.output)
    assert ("with it read as 0 the village has 10 households below the poverty line, 15 candidate households: "
            "once it is filled they may be decided otherwise. Fill it in before the review meeting") in said, said


def test_a_column_blank_in_part_of_its_rows_is_not_said_to_be_left_empty(tmp_path):
    """A review's look at a try's county at 80 columns: 94 of 181 rows blank was said 「该列整列未填写」.
    Its blanks still decide households and are said so; the column left empty only where every row is."""
    ids = iter(_ids(40, 901))
    rows = [household(户主身份证号=next(ids), 行政村="双山村", 工资性收入=3000, **{"乡(镇)": "松江镇"},
                      **({"转移性收入": None, "家庭总收入": 3000} if i < 24 else {"转移性收入": 6000, "家庭总收入": 9000}))
            for i in range(40)]
    said, _ = _at_80("check", write_workbook(tmp_path / "松江镇.xlsx", {"双山村": rows}), "-o", tmp_path / "q",
                     "--as-of", "2020-01-01")
    assert (f"【影响认定】松江镇.xlsx「双山村」{TRANSFER}列「转移性收入」:漏填24行,占本表40户的60%(第2-25行)。"
            "空格都按0元计算,本表有24户认定为“低于贫困标准”") in said, said
    assert "整列未填写" not in said, said
