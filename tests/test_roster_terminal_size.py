"""A roster screen's terminal at a county's size (an outside try: 300,000 households, four rosters).

Before: each roster fact listed every row it was of on the terminal: the 低保 roster's 8,329 停保 rows were
about 890 lines of row numbers and the vehicle register's 3,950 farm vehicles 410 more, some 1,390 lines
in all, the summary table and what to do next far up the scroll-back of a clerk's 80 columns. Now a
fact says its count and its first runs of rows, and where every row is (quality.xlsx's 文件情况, which
still lists them all)."""

from __future__ import annotations

import openpyxl
import pytest
import xlsxwriter
from rich.cells import cell_len
from typer.testing import CliRunner

from edgescreen.cli import app
from survey_builders import household, make_id, write_csv_table, write_workbook

AS_OF = "2019-12-31"


def others(count: int) -> list[str]:
    """Valid IDs of people of another county, none of them in the survey (a county-wide roster's)."""
    return [make_id(f"19{50 + i % 40}0{1 + i % 9}1{i % 9}", region="220183", serial=i % 1000) for i in range(count)]


def mistyped(person_id: str) -> str:
    """The ID with a wrong check character."""
    return person_id[:-1] + ("1" if person_id[-1] != "1" else "2")


@pytest.fixture
def survey(tmp_path):
    heads = [make_id(f"196{i}0101", serial=300 + i) for i in range(6)]
    return write_workbook(tmp_path / "合隆镇.xlsx",
                          [household(户主姓名=f"户主{i}", 户主身份证号=h) for i, h in enumerate(heads)])


def screen_at_80(survey, out, *options):
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", AS_OF, "--force",
                                      *map(str, options)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), lines
    return lines, "".join(result.output.split())


def quality_text(out) -> str:
    """Every text of quality.xlsx, its sheets' cells joined."""
    book = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)
    return "\n".join(c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if isinstance(c, str))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_thousands_of_stopped_and_farm_vehicle_rows_are_a_sentence_each(tmp_path, survey, lang):
    people = others(6000)
    dibao = tmp_path / "低保对象名单.xlsx"
    with xlsxwriter.Workbook(dibao) as wb:  # every other row 停保: 3,000 rows, each a run of its own
        ws = wb.add_worksheet("低保对象")
        ws.write_row(0, 0, ["姓名", "身份证号", "保障状态"])
        for r, pid in enumerate(people, 1):
            ws.write_row(r, 0, [f"人{r}", pid, "停保" if r % 2 else "正常"])
    vehicles = write_csv_table(tmp_path / "机动车登记.csv", ["所有人", "身份证号", "号牌号码", "车辆类型"],
                               [[f"人{r}", pid, f"吉A{r:05d}", "拖拉机" if r % 2 else "小型普通客车"]
                                for r, pid in enumerate(people[:4000])])
    out = tmp_path / "out"
    lines, said = screen_at_80(survey, out, "--lang", lang, "--roster", f"低保={dibao}",
                               "--roster", f"车辆={vehicles}")
    if lang == "zh":
        assert ("低保对象名单:3,000行的保障状态是停保、退出等,没有参加比对:工作表「低保对象」第2、4、6、8、10行等"
                "(全部行号见quality.xlsx的「文件情况」)") in said, said
        assert ("机动车登记名单:2,000行是农用车辆或农机(拖拉机、三轮汽车、收割机等),或已报废、注销的车辆,不算车辆,没有参加比对:"
                "第3、5、7、9、11行等(全部行号见quality.xlsx的「文件情况」)") in said, said
        assert "8、10、12" not in said and "9、11、13" not in said, said
        summary, next_steps = "贫困边缘户识别汇总表", "接下来请打开"
    else:
        assert "rows2,4,6,8,10andmore;everyrowisonthe“files”sheetofquality.xlsx" in said, said
        assert "rows3,5,7,9,11andmore;everyrowisonthe“files”sheetofquality.xlsx" in said, said
        assert "8,10,12" not in said, said
        summary, next_steps = "summary", "Open next:"
    # The summary and the next steps on the last screen, not 400 lines of row numbers above them.
    assert len(lines) < 45, len(lines)
    assert any(summary in line for line in lines) and any(next_steps in line for line in lines), lines
    if lang == "zh":  # quality.xlsx still lists every row
        text = quality_text(out)
        assert "3,000 行的保障状态是停保" in text and "5996、5998、6000" in text
        assert "2,000 行是农用车辆" in text and "3997、3999、4001" in text


def test_invalid_ids_and_hidden_rows_of_a_roster_are_said_by_their_first_rows(tmp_path, survey):
    """The other facts of rows on the terminal too: invalid IDs, rows hidden (read and matched all the
    same), and 停保 rows on two sheets, the first runs counted across the sheets."""
    people = others(3000)
    dibao = tmp_path / "低保对象名单.xlsx"
    with xlsxwriter.Workbook(dibao) as wb:
        first = wb.add_worksheet("低保对象")
        first.write_row(0, 0, ["姓名", "身份证号", "保障状态"])
        for r, pid in enumerate(people[:1500], 1):  # every third ID mistyped, rows 4, 7, 10 … hidden
            first.write_row(r, 0, [f"人{r}", mistyped(pid) if r % 3 == 1 else pid, "停保" if r in (5, 9) else "正常"])
            if r % 3 == 0:
                first.set_row(r, None, None, {"hidden": True})
        second = wb.add_worksheet("低保对象(二)")
        second.write_row(0, 0, ["姓名", "身份证号", "保障状态"])
        for r, pid in enumerate(people[1500:], 1):
            second.write_row(r, 0, [f"人{r}", pid, "停保" if r % 2 else "正常"])
    out = tmp_path / "out"
    lines, said = screen_at_80(survey, out, "--roster", f"低保={dibao}")
    more = "等(全部行号见quality.xlsx的「文件情况」)"
    assert f"500行的身份证号无效(校验位不正确),未参加比对:工作表「低保对象」第2、5、8、11、14行{more}" in said, said
    assert (f"低保对象名单的工作表「低保对象」有500行是隐藏的或被筛选掉的,也已读入并参加比对:第4、7、10、13、16行{more}"
            "。如果这些是已停保等不该比对的人") in said, said
    # Two rows of the first sheet, then the second's first three: five runs in all.
    assert (f"752行的保障状态是停保、退出等,没有参加比对:工作表「低保对象」第6、10行;工作表「低保对象(二)」"
            f"第2、4、6行{more}") in said, said
    assert len(lines) < 45, len(lines)
    text = quality_text(out)
    assert "是隐藏的或被筛选掉的(500 行)" in text and "1492, 1495, 1498, 1501" in text
