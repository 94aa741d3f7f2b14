"""A value struck through on a returned 入户核查表 (an outside try, BI): the verifier wrote the wage 30,000,
formatted the cell 删除线 and typed the true figure in the cell beside the form's boxes. backcheck read the
struck 30,000 as the verified value: a correct candidate became 错评, the county's 错评率 rose, and the only
hint was a later note that the cell beside was outside the form. A struck value is never the verified
value: the one value written right beside its row is read as the correction, and said before the rates;
with nothing there the item is unanswered, and refused at its cell as struck."""

from __future__ import annotations

import openpyxl
from openpyxl.styles import Font

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import (LABELS, above, candidate, fill, pages_of, run, same_as_recorded, sample_rows,
                                write_survey)

# The first column right of the form's four (label, value, label, value): E.
BESIDE = 5


def _county(tmp_path, blank: int = 0) -> dict[str, tuple[str, int]]:
    """前岗村: 3 candidates (wage 10,000 over 3) and 3 above (30,000), every one drawn and every page
    filled as recorded into tmp/填好 but the `blank` first candidates' (nobody at home);
    {head's name: (form, 核查序号)}."""
    rows = [*(candidate("前岗村", "甲") for _ in range(3)), *(above("前岗村", "乙") for _ in range(3))]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "7", "--listed-rate", "1",
        "--unlisted-rate", "1")
    pages, where = {}, {}
    (tmp_path / "填好").mkdir()
    for r in sample_rows(tmp_path / "抽查"):
        wage = 10000 if r["抽样层"] == "候选户" else 30000
        if r["抽样层"] == "候选户" and (blank := blank - 1) >= 0:
            pages.setdefault(r["核查表"], {})
        else:
            pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = same_as_recorded(wage_income=wage)
        where[r["户主姓名"]] = (tmp_path / "填好" / r["核查表"].split("/")[-1], int(r["核查序号"]))
    for form, values in pages.items():
        fill(tmp_path / "抽查" / form, values, save_as=tmp_path / "填好" / form.split("/")[-1])
    return where


def _write(where: tuple, name: str, value, *beside, struck: bool = True) -> str:
    """On the page `where` (form, 核查序号): `name`'s box holds `value`, struck through (删除线) unless
    not `struck`, and `beside` is typed in the cells right of the form's boxes on its row; the box's cell."""
    form, seq = where
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    row, col = pages_of(ws)[seq][LABELS[name]]
    box = ws.cell(row, col)
    box.value = value
    if struck:
        box.font = Font(strike=True)
    for k, typed in enumerate(beside):
        ws.cell(row, BESIDE + k).value = typed
    wb.save(form)
    return box.coordinate


def _backcheck(tmp_path, code=0) -> str:
    return "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果",
                       code=code).output.split())


def _heads(where, stratum: str) -> list[str]:
    return [n for n in where if n.startswith(stratum)]


def test_a_struck_value_is_not_counted_and_the_correction_beside_it_is(tmp_path):
    """The try's case on a candidate's page (30,000 struck, 10,000 beside: read as struck, a 错评) and on a
    non-candidate's (99,999 struck, 30,000 beside: read as struck, a field differing): the corrections are
    compared, every rate is 0, and each is said, with its cells, before the rates on the terminal, in
    backcheck.xlsx's 汇总 and in report.html's lead."""
    where = _county(tmp_path)
    listed, other = _heads(where, "候")[0], _heads(where, "高")[0]
    wage = _write(where[listed], "wage_income", 30000, 10000)
    other_wage = _write(where[other], "wage_income", 99999, 30000)
    said = _backcheck(tmp_path)
    row, other_row = wage[1:], other_wage[1:]
    note = f"核查序号{where[listed][1]}那一页「工资性收入(元)」:{wage}划掉的30000不计,按旁边E{row}写的10000计"
    other_note = f"核查序号{where[other][1]}那一页「工资性收入(元)」:{other_wage}划掉的99999不计,按旁边E{other_row}写的30000计"
    assert note in said and other_note in said, said
    assert said.index(note) < said.index("错评率:") and said.index(other_note) < said.index("错评率:"), said
    assert "错评率:0.0%" in said and "字段差错率:0.0%" in said, said
    assert "写在核查表的格子之外" not in said, said  # the correction is read, not unread writing

    book = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")
    summary = ["".join("".join(str(c).split()) for c in r if c is not None)
               for r in book["汇总"].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(summary) if note in r)
    rates = next(i for i, r in enumerate(summary) if r.startswith("范围错评率"))  # the rates' table
    assert at < rates, summary
    html = "".join((tmp_path / "核查结果" / "report.html").read_text(encoding="utf-8").split())
    assert note in html and html.index(note) < html.index("错评率"), html[:3000]


def test_a_struck_value_with_nothing_beside_it_is_unanswered_and_said_as_struck(tmp_path):
    """Struck with no correction written: never the verified value; the visited page's item is unanswered,
    refused at its cell saying it was struck and what to do, and nothing is compared."""
    where = _county(tmp_path)
    listed = _heads(where, "候")[0]
    wage = _write(where[listed], "wage_income", 30000)
    said = _backcheck(tmp_path, code=2)
    assert f"「入户核查表」{wage}:核查序号{where[listed][1]}:「工资性收入(元)」写的「30000」划了删除线,旁边没有写改正的数" \
        in said, said
    assert "请在该格写上核实的数并去掉删除线" in said, said
    assert "没有填写(没有的请填0或“否”)" not in said, said  # said as struck, not as left blank
    assert not (tmp_path / "核查结果").exists()


def test_two_values_beside_a_struck_one_leave_it_unanswered(tmp_path):
    """Which of two figures beside it is the correction cannot be told: the item is unanswered, as struck."""
    where = _county(tmp_path)
    listed = _heads(where, "候")[0]
    wage = _write(where[listed], "wage_income", 30000, 10000, 12000)
    said = _backcheck(tmp_path, code=2)
    assert f"{wage}:核查序号{where[listed][1]}:「工资性收入(元)」写的「30000」划了删除线" in said, said


def test_a_page_left_unstruck_reads_as_before(tmp_path):
    """The same figures unstruck: the box's 30,000 is the verified value (a 错评), and what is typed beside
    the form is unread writing, said as before; nothing is said of a strikethrough."""
    where = _county(tmp_path)
    listed = _heads(where, "候")[0]
    wage = _write(where[listed], "wage_income", 30000, 10000, struck=False)
    said = _backcheck(tmp_path)
    assert "划掉" not in said and "删除线" not in said, said
    assert f"E{wage[1:]}写在核查表的格子之外,没有读取(如「10000」)" in said, said
    assert "错评率:33.3%(全数核查,1/3户)" in said, said


def test_a_page_holding_nothing_but_a_struck_value_is_not_verified_and_said(tmp_path):
    """A page nobody filled in but for a value struck out: no visit (nothing to refuse), the household
    not verified, and the struck cell said before the rates, not dropped unseen."""
    where = _county(tmp_path, blank=1)
    listed = _heads(where, "候")[0]
    wage = _write(where[listed], "wage_income", 30000)
    said = _backcheck(tmp_path)
    note = f"核查序号{where[listed][1]}那一页只有划了删除线的{wage}(「30000」),划掉的不计,这一页按未核查计"
    assert note in said and said.index(note) < said.index("错评率:"), said
    assert "已核查5户(共抽6户" in said, said
