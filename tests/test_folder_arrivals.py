"""A city clerk's folder as the files arrive: an old web system's "Excel" export that is an HTML table
(read as its text: saved as .xlsx, its IDs become numbers), a township's workbooks sent as a .zip (said
as an archive to unpack, its workbooks named), and a workbook deep in WeChat's save folders (the folder
that holds it named, quoted for the shell)."""

from __future__ import annotations

import shlex
import zipfile

from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def flat(result) -> str:
    return "".join(result.output.split())


def web_page(path, rows: list[dict], *, title: str = "开安镇2019年农户收入调查表", encoding: str = "gbk"):
    """An old web system's 导出Excel: a GBK page named .xls, a title cell spanning the table, the
    village cell spanning its households' rows (rowspan), and no closing </td> on the IDs' cells."""
    cells = "".join(f"<th>{h}</th>" for h in HEADERS)
    body = [f'<tr><td colspan="{len(HEADERS)}">{title}</td></tr>', f"<tr>{cells}</tr>"]
    for i, row in enumerate(rows):
        tds = []
        for h in HEADERS:
            if h == "行政村":
                if i == 0:
                    tds.append(f'<td rowspan="{len(rows)}">{row[h]}</td>')
                continue
            tds.append(f"<td>{row[h]}" if h == "户主身份证号" else f"<td>{row[h]}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}"></head>'
            f'<body><table border="1">{"".join(body)}</table></body></html>')
    path.write_bytes(page.encode(encoding))
    return path


def test_an_html_table_named_xls_is_read_with_its_ids_intact(tmp_path):
    town = tmp_path / "县里收到的"
    town.mkdir()
    ids = [make_id("19710603", serial=100 + i) for i in range(4)]
    rows = [household(**{"乡(镇)": "开安镇", "行政村": "开安村", "户主姓名": f"户主{i}", "户主身份证号": ids[i]})
            for i in range(4)]
    web_page(town / "开安镇.xls", rows)
    out = tmp_path / "out"
    done = run("screen", town, "-o", out)
    assert done.exit_code == 0, done.output
    assert "另存为" not in flat(done), done.output  # saved as .xlsx, the IDs would be lost
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["head_id"]) == ids
    assert set(ledger["village"]) == {"开安村"}  # the rowspan's village on every household
    assert set(ledger["status"]) == {"candidate"}, ledger["status"]


def test_a_web_page_without_a_household_table_is_said_so_without_save_as_xlsx(tmp_path):
    page = tmp_path / "导出.xls"
    page.write_bytes("<html><body><p>会话已过期,请重新登录</p></body></html>".encode("utf-8"))
    done = run("screen", page, "-o", tmp_path / "out")
    assert done.exit_code == 2, done.output
    assert "导出.xls" in flat(done) and "网页" in flat(done) and "没有表格" in flat(done), done.output
    assert "另存为.xlsx" not in flat(done).replace("不要在Excel或WPS中另存为.xlsx", ""), done.output

    other = tmp_path / "名单.xls"
    other.write_bytes("<table><tr><td>姓名</td><td>电话</td></tr><tr><td>张三</td><td>138</td></tr></table>"
                      .encode("utf-8"))
    done = run("screen", other, "-o", tmp_path / "out2")
    assert done.exit_code == 2, done.output
    assert "名单.xls" in flat(done) and "网页" in flat(done), done.output
    assert "另存为.xlsx" not in flat(done).replace("不要在Excel或WPS中另存为.xlsx", ""), done.output


def township(path, village: str, serial: int):
    rows = [household(**{"行政村": village, "户主身份证号": make_id("19700101", serial=serial + i)}) for i in range(3)]
    return write_workbook(path, rows)


def test_a_zip_in_the_folder_is_said_as_an_archive_naming_its_workbooks(tmp_path):
    county = tmp_path / "county"
    county.mkdir()
    township(county / "烧锅镇.xlsx", "前岗村", 300)
    book = township(tmp_path / "合隆镇.xlsx", "东兴村", 400)
    with zipfile.ZipFile(county / "合隆镇报表.zip", "w") as zf:
        zf.write(book, "合隆镇/合隆镇.xlsx")
    done = run("screen", county, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "合隆镇报表.zip" in text and "压缩包" in text and "解压" in text, done.output
    assert "合隆镇/合隆镇.xlsx" in text, done.output
    assert "另存为.xlsx" not in text, done.output

    # The archive alone: the refusal says what it is, not "save it as .xlsx".
    (county / "烧锅镇.xlsx").unlink()
    done = run("screen", county, "-o", tmp_path / "out2")
    assert done.exit_code == 2, done.output
    assert "压缩包" in flat(done) and "合隆镇/合隆镇.xlsx" in flat(done) and "另存为.xlsx" not in flat(done)


def test_a_workbook_named_zip_is_told_apart_from_an_archive(tmp_path):
    county = tmp_path / "county"
    county.mkdir()
    township(county / "烧锅镇.xlsx", "前岗村", 300)
    township(tmp_path / "x.xlsx", "东兴村", 400).rename(county / "合隆镇.zip")
    done = run("screen", county, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    assert "合隆镇.zip" in flat(done) and "改名为合隆镇.xlsx" in flat(done), done.output


def test_a_workbook_deep_in_wechat_folders_is_named_by_its_own_folder_quoted(tmp_path):
    given = tmp_path / "received"
    holding = given / "WeChat Files" / "wxid_abc" / "FileStorage" / "File" / "2019-12"
    holding.mkdir(parents=True)
    (given / "WeChat Files" / "wxid_abc" / "FileStorage" / "Image").mkdir()
    township(holding / "农安县.xlsx", "前岗村", 300)
    done = run("screen", given, "-o", tmp_path / "out")
    assert done.exit_code == 2, done.output
    said = " ".join(done.output.split())
    assert shlex.quote(str(holding)) in said, done.output
    # The folder named, as the shell reads it, is one a run reads.
    words = shlex.split(said[said.index(shlex.quote(str(holding))):])
    again = run("screen", words[0], "-o", tmp_path / "out2")
    assert again.exit_code == 0, again.output
