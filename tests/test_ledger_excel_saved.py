"""A ledger a clerk opened in Excel (or WPS, LibreOffice) and saved again, read back by `edgescreen
sample` and read_ledger: the spreadsheet took the 18-digit head IDs for numbers, so they come back as
2.20122E+17 (or 2.20122197001011E+017 from LibreOffice) or as 15 digits and 000, and the file as
GB18030 without its BOM, money without trailing zeros. The broken IDs are refused, naming the file,
the column and the rows, and saying what happened and what to do; the harmless reformatting is read
as the ledger it was, to the same sample. An ID the survey itself had broken (the screen's reasons
say id_malformed) is the record and is not blamed on the spreadsheet."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.errors import InputError
from edgescreen.outputs.ledger import read_ledger

MONEY = ("家庭总收入", "家庭生产经营性支出", "家庭纯收入", "人均纯收入")


IDS = [i for i in (make_id("19700101", serial=s) for s in range(100)) if not i.endswith("X")]

# 12 households on rows 2-13, every head's ID all digits but two: the head on row 5 has one ending
# in X (a spreadsheet keeps it as text), the head on row 9 one the survey already had as 2.20122E+17
# (the screen's id_malformed).
ROWS = [household(**{"户主姓名": f"户主{i}", "户主身份证号": IDS[i], "工资性收入": 10000 if i % 2 else 30000})
        for i in range(12)]
ROWS[3]["户主身份证号"] = next(i for i in (make_id("19800202", serial=s) for s in range(100)) if i.endswith("X"))
ROWS[7]["户主身份证号"] = "2.20122E+17"
BROKEN_ROWS = "第2-4、6-8、10-13行"


def excel_general(value: str) -> str:
    """A cell as Excel's General format shows it: 10000.00 → 10000, 3333.30 → 3333.3."""
    return f"{Decimal(value).normalize():f}" if value else value


def as_excel_shows(head_id: str) -> str:
    """An 18-digit ID saved from a column too narrow for it: six significant digits."""
    mantissa, exponent = f"{int(head_id):.5E}".split("E")
    return f"{mantissa}E+{int(exponent)}"


def as_libreoffice_saves(head_id: str) -> str:
    """What LibreOffice writes (soffice --convert-to csv): 15 significant digits, three-digit exponent."""
    mantissa, exponent = f"{int(head_id):.14E}".split("E")
    return f"{mantissa}E+{int(exponent):03d}"


def digits_lost(head_id: str) -> str:
    """An ID saved from a number-formatted column: 15 significant digits, then 000."""
    return head_id[:15] + "000"


def saved_by_a_spreadsheet(ledger: Path, to: Path, ids=None) -> Path:
    """decisions.csv opened and saved as CSV on a Chinese Windows: GB18030 without a BOM, money in
    General format, and each all-digit head ID as `ids` makes it (None: kept, as when imported as text)."""
    rows = list(csv.reader(io.StringIO(ledger.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    at_id, at_money = header.index("户主身份证号"), [header.index(h) for h in MONEY]
    for row in rows[1:]:
        if ids and row[at_id].isdigit():
            row[at_id] = ids(row[at_id])
        for m in at_money:
            row[m] = excel_general(row[m])
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_bytes(text.getvalue().encode("gb18030"))
    return to


def run(*args, code: int):
    """The command line as a clerk types it; what it says, without the terminal's line breaks and spaces."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"EDGESCREEN_LANG": "zh"})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return "".join(result.output.split())


@pytest.fixture(scope="module")
def screened(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("excel-saved")
    survey = write_workbook(tmp / "合隆镇.xlsx", ROWS)
    run("screen", survey, "-o", tmp / "筛查", code=0)
    return tmp / "筛查"


@pytest.mark.parametrize("ids", [as_excel_shows, as_libreoffice_saves, digits_lost])
def test_a_ledger_whose_ids_a_spreadsheet_broke_is_refused_saying_what_to_do(screened, tmp_path, ids):
    saved = saved_by_a_spreadsheet(screened / "decisions.csv", tmp_path / "另存" / "decisions.csv", ids)
    said = run("sample", saved, "-o", tmp_path / "抽查", code=2)
    assert "decisions.csv:H列「户主身份证号」" + BROKEN_ROWS in said
    assert "Excel、WPS等表格软件中打开后又保存过" in said and "只保留15位有效数字" in said
    assert "原样的decisions.csv" in said and "重新运行edgescreenscreen" in said
    assert "「数据→自文本/CSV」导入,并把身份证号一列设为文本" in said
    assert not (tmp_path / "抽查").exists()


def test_a_ledger_saved_over_in_its_output_folder_is_refused_too(screened, tmp_path):
    folder = shutil.copytree(screened, tmp_path / "筛查")
    saved_by_a_spreadsheet(folder / "decisions.csv", folder / "decisions.csv", as_excel_shows)
    said = run("sample", folder, "-o", tmp_path / "抽查", code=2)
    assert "H列「户主身份证号」" + BROKEN_ROWS in said


def test_read_ledger_refuses_it_in_either_language(screened, tmp_path):
    saved = saved_by_a_spreadsheet(screened / "decisions.csv", tmp_path / "decisions.csv", digits_lost)
    with pytest.raises(InputError) as refused:
        read_ledger(saved)
    assert refused.value.key == "ledger_ids_lost"
    english = refused.value.message("en")
    assert "column H (户主身份证号), rows 2-4, 6-8, 10-13" in english and "15 significant digits" in english


def test_harmless_reformatting_is_read_as_the_ledger_and_draws_the_same_sample(screened, tmp_path):
    saved = saved_by_a_spreadsheet(screened / "decisions.csv", tmp_path / "另存" / "decisions.csv")
    assert not saved.read_bytes().startswith(b"\xef\xbb\xbf") and b"10000.00" not in saved.read_bytes()
    original, again = read_ledger(screened / "decisions.csv"), read_ledger(saved)
    assert again["head_id"].tolist() == original["head_id"].tolist()
    assert again["status"].tolist() == original["status"].tolist()
    # The survey's own 2.20122E+17 (row 9) is the record: kept as the screen wrote it.
    assert again["head_id"][7] == "2.20122E+17" and "id_malformed" in again["reasons"][7]
    run("sample", screened, "-o", tmp_path / "原样", "--seed", "20191205", code=0)
    run("sample", saved, "-o", tmp_path / "另存抽查", "--seed", "20191205", code=0)
    assert (tmp_path / "原样" / "sample.csv").read_bytes() == (tmp_path / "另存抽查" / "sample.csv").read_bytes()
