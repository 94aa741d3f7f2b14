"""What a clerk reads at 80 columns from `register status` and `register record` (a review in tmux,
COLUMNS=80): Chinese text broken at its marks, not "公示期按印发日 | 计,"; a township's line never ending
in " ·"; record's figures with thousands separators as status's; the county's 合计 under the township
lines; and status saying which villages' 公示 is counted from the print day (no 张贴日期)."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from register_builders import fill, meeting, table_rows
from survey_builders import household, make_id, write_workbook
from test_register import _by_name
from edgescreen.catalogue import label
from edgescreen.cli import app
from edgescreen.cli.wrapping import wrap

runner = CliRunner()

TOWNSHIPS = ["合隆镇", "烧锅镇", "哈拉海镇", "开安镇"]
VILLAGES = ["前岗村", "青山村", "三宝村", "东风村", "红旗村", "永安村", "太平村", "新立村", "长山村", "双井村", "靠山屯"]
FAMILY, GIVEN = "王李张赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤", "一二三四五六七八九十文武春夏秋冬东南西北"
PER_VILLAGE = 23  # candidates: 44 villages, 1,012 households
VERIFIED = VILLAGES[:6]  # the villages whose 入户核实 is recorded, then their 第一次公示 with no 张贴日期
HAN = re.compile(r"[\u4e00-\u9fff]")
# A character alone at a line's start before its mark: "计,2019-12-12 …"
LONE = re.compile(r"^\s*[\u4e00-\u9fff][,。;:、!?」)]")


def run(*args, code: int = 0):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    return result


def _break_is_fair(line: str, following: str, width: int) -> bool:
    """A break at a mark, a space, before an opening bracket, beside ASCII; or inside a run of Chinese
    characters only with the line filled to within a quarter of its width."""
    end, start = line.rstrip()[-1], following.lstrip()[0]
    inside = HAN.match(end) and HAN.match(start)
    return not inside or cell_len(line) >= width - width // 4


def test_chinese_text_breaks_at_its_marks_and_no_character_is_left_alone_before_one():
    """The review's line, from record's note on 31 公示 with no 张贴日期: "…等 31 个村。公示期按印发日 | 计,
    2019-12-12 至 …" (",2019-12-12" read as one ASCII word, 计 carried down with it). At every place along
    a line and at 40 to 100 columns: no line starts with one character before its mark, a run of
    characters is broken only where the line would otherwise end far short, dates and the option stay whole."""
    text = label("reg_record_gathered_rp_pub_no_posting_date", "zh", step="第一次公示", sheet="张贴记录", count=31,
                 villages="万顺乡中口村、万顺乡兴沟村、万顺乡小洼村等 31 个村", start="2019-12-12", end="2019-12-18")
    lines = wrap(text, 80, indent=2)
    assert not any(line.lstrip().startswith("计,") for line in lines), lines
    assert any(line.rstrip().endswith("公示期按印发日计,") for line in lines), lines
    for width in (40, 60, 80, 100):
        for pad in range(0, 30):
            lines = wrap("注" * pad + text, width, indent=2)
            assert all(cell_len(line) <= width for line in lines), (width, pad, lines)
            assert not any(LONE.match(line) for line in lines[1:]), (width, pad, lines)
            assert all(_break_is_fair(a, b, width) for a, b in zip(lines, lines[1:])), (width, pad, lines)
            for whole in ("2019-12-12 至 2019-12-18。", '"补填张贴日期"', "「张贴记录」"):
                assert any(whole in line for line in lines), (whole, width, pad, lines)
            assert "".join(line.strip() for line in lines).replace(" ", "") == ("注" * pad + text).replace(" ", "")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """44 villages in 4 townships, 23 candidates each: reviewed (each village's second turned down in
    the first townships' first villages), 入户核实 recorded in six villages of each township, their
    第一次公示 recorded as printed, with no 张贴日期."""
    tmp = tmp_path_factory.mktemp("county80")
    rows, i = [], 0
    for t in TOWNSHIPS:
        for v in VILLAGES:
            for k in range(PER_VILLAGE):
                birth = (dt.date(1950, 1, 1) + dt.timedelta(days=i)).strftime("%Y%m%d")
                rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": "1组",
                                         "户主姓名": FAMILY[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20],
                                         "户主身份证号": make_id(birth=birth, serial=i % 1000),
                                         "工资性收入": 9800 + 10 * k, "主要困难": "缺技术"}))
                i += 1
    survey = write_workbook(tmp / "县.xlsx", rows)
    db = tmp / "县.db"
    run("screen", survey, "-o", tmp / "out", "--register", db, "--date", "2019-11-20")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp / "d1")
    docs = sorted((tmp / "d1" / "1-民主评议").glob("*.xlsx"))
    for p in docs:
        turned_down = {table_rows(p)[1]["户主姓名"]: ("不同意", "家中有小轿车")} if "前岗村" in p.name else {}
        fill(p, default=("同意", ""), decisions=_by_name(p, turned_down), form=meeting("2019年11月25日"))
    reviewed = run("register", "record", db, *docs).output
    run("register", "next", db, "--date", "2019-11-26", "-o", tmp / "d2")
    docs = [p for p in sorted((tmp / "d2" / "2-入户核实").glob("*.xlsx")) if any(v in p.name for v in VERIFIED)]
    for p in docs:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
    run("register", "record", db, *docs)
    run("register", "next", db, "--date", "2019-12-01", "-o", tmp / "d3")
    published = run("register", "record", db, *sorted((tmp / "d3" / "3-第一次公示").glob("*.xlsx"))).output
    return tmp, db, reviewed, published


def test_records_figures_have_thousands_separators_as_status_and_next_say_them(county):
    """record printed "民主评议:登记 1012 户" where status prints "1,012 户"."""
    _, _, reviewed, published = county
    said = " ".join(reviewed.split())
    assert "登记 1,012 户,名单上保留 1,008 户,移出 4 户" in said, reviewed
    # The note on the 24 公示 with no 张贴日期 breaks at its marks, not before "计,".
    assert "没有填写张贴日期" in published and not any(LONE.match(line) for line in published.splitlines()), published
    # A command to paste is never wrapped (its path whole).
    assert all(cell_len(line) <= 80 for line in published.splitlines() if not line.startswith("  edgescreen ")), published


def test_a_countys_status_lists_each_townships_steps_under_it_then_the_countys_total(county):
    """Past 40 rows, a line per township: its figures, then " · " and its steps below them (the line
    ended in " ·", the steps alone on the next); then 合计, the figures summed."""
    tmp, db, _, _ = county
    said = run("register", "status", db, "--as-of", "2020-01-10").output
    lines = said.splitlines()
    # The command to run next is kept whole to copy, its path as long as the folder's: the words wrap.
    assert all(cell_len(line) <= 80 for line in lines if not line.startswith("  edgescreen ")), said
    assert said.rstrip().splitlines()[-1] == f"  edgescreen register next {db} -o {tmp / 'd3'} --force", said
    assert not any(line.rstrip().endswith("·") for line in lines), said
    figures = re.compile(r"^(\S+):(\d+) 个村,初选 ([\d,]+) 户,名单上 ([\d,]+) 户,移出 ([\d,]+) 户")
    found = [(i, figures.match(line)) for i, line in enumerate(lines) if figures.match(line)]
    townships = [(i, m) for i, m in found if m.group(1) in TOWNSHIPS]
    assert [m.group(1) for _, m in townships] == TOWNSHIPS, said
    for i, _ in townships:  # the steps below the figures, as a list
        assert lines[i + 1].startswith("  · 已完成「第一次公示」 6 个村、已完成「民主评议」 5 个村"), said
    total = next(line for line in lines if line.startswith("合计:"))
    sums = [sum(int(m.group(k).replace(",", "")) for _, m in townships) for k in (2, 3, 4, 5)]
    assert total == "合计:{:,} 个村,初选 {:,} 户,名单上 {:,} 户,移出 {:,} 户".format(*sums), (total, said)
    assert sums == [44, 1012, 1008, 4], sums
    assert lines.index(total) == townships[-1][0] + 2, said  # right after the township lines


def test_status_says_which_villages_publicity_is_counted_from_the_print_day(county):
    """record named three of the villages whose 公示 had no 张贴日期 and counted them; status said
    nothing of it. Now status counts them (the first three named) and 进度.xlsx lists every one."""
    tmp, db, _, _ = county
    said = run("register", "status", db, "--as-of", "2020-01-10", "-o", tmp / "进度.xlsx").output
    flat = "".join(said.split())
    assert "「第一次公示」没有填写张贴日期的24个村,公示期按印发日计:合隆镇前岗村、合隆镇青山村、合隆镇三宝村等24个村" in flat, said
    assert "--amend--reason\"补填张贴日期\"" in flat, said  # as record advises: --amend needs a reason
    ws = openpyxl.load_workbook(tmp / "进度.xlsx").worksheets[0]
    notes = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str) and "张贴日期" in c]
    assert len(notes) == 1, notes
    assert all(t + v in notes[0] for t in TOWNSHIPS for v in VERIFIED), notes
    assert not any(t + v in notes[0] for t in TOWNSHIPS for v in VILLAGES if v not in VERIFIED), notes
