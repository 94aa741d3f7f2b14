"""Rows struck through (删除线) and cells' comments (批注) in an .xls or an .ods, said on their households
as an .xlsx's are (test_marks.py). Many county templates are .xls (what WPS and older Excel save):
an outside try's workbooks saved as .xls or .ods had their struck rows (h1a: rows 7, 13, 19, 28, 35,
41, 54) and comments (h6: 「实际 13199」 on J4 and seven more) read without a word. An .xls's come from
its workbook stream's records (biff.py: FONT's fStrikeOut, XF, the cells' XF; NOTE, OBJ, TXO and its
CONTINUEs), an .ods's from content.xml (a cell's automatic style, its office:annotation).

The files are what LibreOffice saves (soffice --convert-to) of one workbook openpyxl writes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from typer.testing import CliRunner

from edgescreen.cli import app
from field_builders import households
from field_checks import issues, ledger
from survey_builders import HEADERS

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

runner = CliRunner()
AS_OF = "2020-06-30"
COLUMNS = ["序号", *HEADERS]
MONEY = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭总收入", "家庭经营费用支出",
         "生产性固定资产折旧", "税金和上交承包费用", "家庭生产经营性支出"]
STRUCK_WHOLE, STRUCK_HEAD, STRUCK_AMOUNT = 4, 6, 8  # Excel rows (households on rows 3-10)
MARK_CODES = ["row_struck_through", "cell_has_comment"]


def _survey(path: Path) -> Path:
    """A title on row 1, the header on row 2 (a 序号 column the form does not read), eight households
    on rows 3-10 with figures that differ, and a 合计 made without the struck ones. Row 4 struck
    whole, row 6 its head's name alone, row 8 one amount (a figure corrected: not said). Comments on a
    wage, a yes/no, 序号, two lines in Latin letters (one byte a character in an .xls), and on the
    header (no household's). Without Excel's first line naming the author: LibreOffice keeps no
    author in the .xls or .ods it saves, so that line would be quoted as part of the text there."""
    wb = Workbook()
    ws = wb.active
    ws.title = "合隆镇"
    ws.cell(1, 1, "合隆镇贫困边缘户入户登记表")
    for c, header in enumerate(COLUMNS, start=1):
        ws.cell(2, c, header)
    records = households(8)
    for i, record in enumerate(records):
        record.update({"工资性收入": 9000 + 100 * i, "家庭总收入": 9000 + 100 * i})
    struck = Font(strike=True)
    for r, record in enumerate(records, start=3):
        ws.cell(r, 1, r - 2)
        for c, header in enumerate(HEADERS, start=2):
            if record.get(header, "") != "":
                cell = ws.cell(r, c, record[header])
                if r == STRUCK_WHOLE or (r == STRUCK_HEAD and header == "户主姓名") or \
                        (r == STRUCK_AMOUNT and header == "工资性收入"):
                    cell.font = struck
    counted = [record for r, record in enumerate(records, start=3) if r not in (STRUCK_WHOLE, STRUCK_HEAD)]
    ws.cell(11, 1, "合计")
    for header in ["家庭人口数", "家庭常住人口数", *MONEY]:
        ws.cell(11, COLUMNS.index(header) + 1, sum(record[header] for record in counted))

    def note(row: int, header: str, text: str) -> None:
        ws.cell(row, COLUMNS.index(header) + 1).comment = Comment(text, "乡扶贫站")

    note(3, "工资性收入", "实际 13199")
    note(5, "是否低保户", "2019年10月已纳入低保")
    note(5, "序号", "此户待核")
    note(9, "家庭经营收入", "checked 2019-11-20:\n12720 yuan")
    note(2, "工资性收入", "含务工补贴")  # the header's
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """The workbook as .xlsx, and as LibreOffice saves it as .xls and as .ods."""
    folder = tmp_path_factory.mktemp("marks-xls")
    source = _survey(folder / "合隆镇.xlsx")
    files = {"xlsx": source}
    for fmt in ("xls", "ods"):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to",
                        fmt, "--outdir", str(folder / fmt), str(source)], check=True, capture_output=True, timeout=180)
        files[fmt] = folder / fmt / f"合隆镇.{fmt}"
    return files


def _screened(path: Path, out: Path):
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    found = issues(out)
    return found[found["code"].isin(MARK_CODES)], ledger(out)


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_struck_rows_and_comments_of_an_xls_or_ods_are_said_as_the_xlsxs(saved, tmp_path, fmt):
    found, decided = _screened(saved[fmt], tmp_path / fmt)
    # Every household comes out once, decided on its cells as the others are.
    assert decided["row"].astype(int).tolist() == list(range(3, 11))
    struck = found[found["code"] == "row_struck_through"]
    assert struck["row"].astype(int).tolist() == [STRUCK_WHOLE, STRUCK_HEAD]
    assert struck["cell"].tolist() == ["F4", "F6"] and set(struck["severity"]) == {"warning"}
    whole, head = struck["message"].tolist()
    # Every filled cell of row 4 is struck: its names (text), IDs and figures (numbers) alike.
    filled = int(re.search(r"填了的 (\d+) 格中有 (\d+) 格", whole).group(1))
    assert filled > 15 and f"填了的 {filled} 格中有 {filled} 格" in whole and "划了删除线" in whole, whole
    assert "中有 1 格" in head, head
    said = dict(found[found["code"] == "cell_has_comment"][["cell", "message"]].itertuples(index=False))
    assert set(said) == {"K3", "T5", "F5", "L9"}  # 序号's comment: on the head's name, naming its cell
    assert said["K3"].startswith("第3行 K3 格有批注:「实际 13199」。筛查只按单元格里填的认定"), said["K3"]
    assert "「2019年10月已纳入低保」" in said["T5"] and said["F5"].startswith("第5行 A5 格有批注:「此户待核」")
    assert "「checked 2019-11-20: 12720 yuan」" in said["L9"], said["L9"]
    assert not any("含务工补贴" in message for message in said.values())
    # The same issues, in the same words, as the workbook they were saved from.
    xlsx, _ = _screened(saved["xlsx"], tmp_path / "xlsx")
    columns = ["row", "cell", "field", "code", "severity", "message"]
    assert found[columns].values.tolist() == xlsx[columns].values.tolist()


def test_a_total_of_an_xls_made_without_its_struck_rows_names_them(saved, tmp_path):
    result = runner.invoke(app, ["check", str(saved["xls"]), "-o", str(tmp_path / "check"), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    said = re.sub(r"\s+", "", result.output)
    assert "第11行「合计」与上方农户之和不符" in said, said
    assert "(差额正是第4、6行这2户:这几行划了删除线,合计没有算它们)" in said, said
