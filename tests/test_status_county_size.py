"""register status at a county's size on an 80-column terminal (outside try I: 100 villages, 4,270
candidates printed 638 to 6,806 lines, the overdue villages lost among them): past a screen's worth, a
line per township and what needs doing gathered (every overdue village named), the lists whole in
进度.xlsx; a small county still reads village by village. And within a village, the households taken
off the list in the order of the steps; the screen's register line with the thousands separator."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
from typer.testing import CliRunner

from register_builders import fill, meeting, table_rows
from survey_builders import household, make_id, write_workbook
from test_register import Walk, _by_name
from edgescreen.cli import app, wrapping

runner = CliRunner()

TOWNSHIPS = ["合隆镇", "烧锅镇", "哈拉海镇", "开安镇"]
VILLAGES = ["前岗村", "青山村", "三宝村", "东风村", "红旗村", "永安村", "太平村", "新立村", "长山村", "双井村"]
FAMILY, GIVEN = "王李张赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤", "一二三四五六七八九十文武春夏秋冬东南西北"
ABOVE_PER_VILLAGE = 24  # above the limit: screened, not candidates (1,040 households in all, with the 80 below)


def run(*args, code: int = 0):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    return result


def _county(tmp):
    """40 villages in 4 townships, 2 candidates and 24 above the limit in each; screened into a register,
    the review recorded (each village's second candidate turned down), the 入户核实 forms out and never
    recorded: overdue in every village by January."""
    rows, i = [], 0
    for t in TOWNSHIPS:
        for v in VILLAGES:
            for k in range(2 + ABOVE_PER_VILLAGE):
                birth = (dt.date(1950, 1, 1) + dt.timedelta(days=i)).strftime("%Y%m%d")
                rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": "1组",
                                         "户主姓名": FAMILY[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20],
                                         "户主身份证号": make_id(birth=birth, serial=i % 1000),
                                         "工资性收入": 9800 + 300 * k if k < 2 else 60000, "主要困难": "缺技术"}))
                i += 1
    survey = write_workbook(tmp / "县.xlsx", rows)
    db = tmp / "县.db"
    screened = run("screen", survey, "-o", tmp / "out", "--register", db, "--date", "2019-11-20")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp / "d1")
    docs = sorted((tmp / "d1" / "1-民主评议").glob("*.xlsx"))
    for p in docs:
        second = table_rows(p)[1]["户主姓名"]
        fill(p, default=("同意", ""), decisions=_by_name(p, {second: ("不同意", "家中有小轿车")}),
             form=meeting("2019年11月25日"))
    run("register", "record", db, *docs)
    run("register", "next", db, "--date", "2019-11-26", "-o", tmp / "d2")
    return db, screened, rows


def test_a_countys_status_is_a_screen_per_township_with_what_is_overdue_named(tmp_path):
    db, screened, rows = _county(tmp_path)
    said = run("register", "status", db, "--as-of", "2020-01-10").output
    lines = said.splitlines()
    assert len(lines) < 60, said  # 40 villages, 40 taken off, 40 overdue: 171 lines before
    for t in TOWNSHIPS:
        assert f"{t}:10 个村,初选 20 户,名单上 10 户,移出 10 户" in said, said
    assert "已完成「民主评议」 10 个村" in said
    assert "初选 2 户" not in said  # no line per village
    # What needs doing, gathered: every overdue village named, under one heading that counts them.
    assert "逾期的村(共 40 个):" in said
    late = [line for line in lines if "天未登记" in line]
    assert len(late) == 40 and all(any(line.strip().startswith(t + v) for t in TOWNSHIPS for v in VILLAGES)
                                   for line in late), said
    assert {line.strip().split(":")[0] for line in late} == {t + v for t in TOWNSHIPS for v in VILLAGES}
    # No household of the 40 taken off on the terminal: they are counted, and where to find them said.
    assert not any(r["户主姓名"] in said for r in rows), said
    assert "移出名单的 40 户" in said and "-o 进度.xlsx" in " ".join(lines[-2:])

    # The workbook keeps every row: a village a row, every household taken off.
    book = tmp_path / "进度.xlsx"
    said = run("register", "status", db, "--as-of", "2020-01-10", "-o", book).output
    assert "已写出" in said and "进度.xlsx" in said and "-o 进度.xlsx" not in said
    wb = openpyxl.load_workbook(book)
    progress = "\n".join(str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c)
    assert all(v in progress for v in VILLAGES)
    removed = [row for row in wb.worksheets[1].iter_rows(values_only=True) if any(c == "民主评议" for c in row)]
    assert len(removed) == 40

    # The screen's register line counts as the rest of the screen does.
    assert "已筛查 1,040 户" in screened.output
    assert "1,040 户,其中初选户 80 户" in screened.output


def test_a_village_lists_those_taken_off_in_the_order_of_the_steps(tmp_path):
    walk = Walk(tmp_path)
    walk.review()  # 李二 turned down at the review
    docs = walk.issue("verify")
    for p in docs:  # 王一, surveyed before 李二, found untrue at the visit after it
        fill(p, default=("属实", ""), decisions=_by_name(p, {"王一": ("不属实", "实际外出务工收入较高")}),
             rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
    walk.record(*docs)
    said = run("register", "status", walk.db, "--as-of", "2019-11-28").output
    # A small county still reads village by village, each household taken off on its line.
    assert "前岗村:初选 4 户" in said
    assert said.index("李二") < said.index("王一"), said


def test_a_long_report_compiles_its_token_pattern_once_not_per_line(monkeypatch):
    """Each line keeps its own names whole (a head, a village); the token pattern compiled with them, line by
    line, took 7 of 8.6 CPU-seconds of a county's 4,679 lines (the regular expressions' cache holds 512)."""
    compiled, real = [], re.compile
    monkeypatch.setattr(wrapping.re, "compile", lambda pattern, *a: compiled.append(pattern) or real(pattern, *a))
    for i in range(600):
        lines = wrapping.wrap(f"  王{i} 220122********{i:04d}(合隆镇前岗{i}村)— 民主评议 2019年12月5日:家中有小轿车,"
                              "生活条件较好", 80, keep=[f"王{i}", f"合隆镇前岗{i}村"])
        assert f"(合隆镇前岗{i}村)" in lines[0] or f"合隆镇前岗{i}村" in "".join(lines)
    assert not [p for p in compiled if wrapping._TOKEN.pattern in p]
