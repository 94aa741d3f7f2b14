"""Web systems' "Excel" exports that are web pages, read as Excel shows them when the clerk opens one: a
page of several tables (a <table> per page of rows, per village, or the data grid's header apart from its
body) read one table under another, every household once; the number Excel stored in a cell it wrote
(x:num="8694.4", shown 8,694) read to the fen; a "单个文件网页" (.mht) saved as .xls, and a page named
.csv or .txt, read as the page they are."""

from __future__ import annotations

import quopri

from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def flat(result) -> str:
    return "".join(result.output.split())


def households(n: int, first: int = 0, **overrides) -> list[dict]:
    return [household(**{"户主姓名": f"户主{first + i}", "户主身份证号": make_id("19700101", serial=100 + first + i),
                         **overrides}) for i in range(n)]


def header_row(headers=HEADERS) -> str:
    return "<tr>" + "".join(f"<td>{h}</td>" for h in headers) + "</tr>"


def body_rows(rows: list[dict], headers=HEADERS) -> str:
    return "".join("<tr>" + "".join(f"<td>{row.get(h, '')}</td>" for h in headers) + "</tr>" for row in rows)


def page(body: str, charset: str = "utf-8") -> str:
    return f'<html><head><meta charset="{charset}"><title>导出</title></head><body>{body}</body></html>'


def screened(path, out):
    done = run("screen", path, "-o", out, "--as-of", "2019-12-31")
    assert done.exit_code == 0, done.output
    return done, read_ledger(out / "decisions.csv")


def test_a_paged_export_is_read_table_after_table_every_household_once(tmp_path):
    # A <table> per page of rows: the second repeats the header, the third goes on without one.
    pages = [households(4), households(4, first=4), households(3, first=8)]
    body = (f'<table border=1><tr><td colspan="{len(HEADERS)}">合隆镇贫困边缘户信息表</td></tr>{header_row()}'
            f"{body_rows(pages[0])}</table>"
            f"<table border=1>{header_row()}{body_rows(pages[1])}</table>"
            f"<table border=1>{body_rows(pages[2])}</table>")
    path = tmp_path / "导出.xls"
    path.write_text(page(body), encoding="utf-8")
    done, ledger = screened(path, tmp_path / "out")
    assert "已筛查11户" in flat(done), done.output
    ids = [row["户主身份证号"] for rows in pages for row in rows]
    assert sorted(ledger["head_id"]) == sorted(ids) and ledger["head_id"].is_unique  # the repeated header no household
    assert set(ledger["status"]) == {"candidate"}, ledger[["head_name", "status", "reasons"]]


def test_a_table_per_village_under_its_caption_is_read_whole(tmp_path):
    qiangang = households(3, **{"行政村": "前岗村"})
    xinli = households(3, first=3, **{"行政村": "新立村", "工资性收入": 20000})
    body = (f"<h3>合隆镇前岗村</h3><table border=1>{header_row()}{body_rows(qiangang)}</table><br><br>"
            f"<h3>合隆镇新立村</h3><table border=1>{header_row()}{body_rows(xinli)}</table>")
    path = tmp_path / "合隆镇.xls"
    path.write_text(page(body), encoding="utf-8")
    done, ledger = screened(path, tmp_path / "out")
    assert "已筛查6户" in flat(done), done.output
    by_name = ledger.set_index("head_name")
    assert list(by_name.loc[[r["户主姓名"] for r in xinli], "village"]) == ["新立村"] * 3
    assert set(by_name.loc[[r["户主姓名"] for r in xinli], "status"]) == {"above_limit"}
    assert set(by_name.loc[[r["户主姓名"] for r in qiangang], "status"]) == {"candidate"}

    # `check` counts the second village's households too: none lost without a word.
    checked = run("check", path, "-o", tmp_path / "checked")
    assert checked.exit_code == 0, checked.output
    assert "读入6户" in flat(checked), checked.output


def excel_cell(value, shown: str, *, num: bool = True) -> str:
    """A cell as Excel writes it into a web page: the number it stores in x:num, its text as the
    cell's format (#,##0) shows it; `num` False: a bare x:num, the text being the number."""
    return f'<td class=xl66 align=right x:num="{value}">{shown}</td>' if num else f"<td align=right x:num>{shown}</td>"


def test_excel_web_page_is_read_as_the_numbers_excel_stored(tmp_path):
    # 9,654.40 over 3 residents: 3,218.13 each, above the 3,218 line; its text 9,654 would be exactly on it.
    near = make_id("19700101", serial=201)
    halves = make_id("19700101", serial=202)
    as_number = make_id("19700101", serial=203)
    rows = [(near, "周桂英", [("8694.4", "8,694"), ("0", "0"), ("0", "0"), ("960", "960")], "9654.4", "9,654"),
            (halves, "王秀兰", [("6000", "6,000"), ("5200", "5,200"), ("0", "0"), ("1480.5", "1,480")], "12680.5",
             "12,680"),
            (as_number, "李建国", [("9000", "9,000"), ("0", "0"), ("0", "0"), ("2000", "2,000")], "11000", "11,000")]
    headers = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "工资性收入", "家庭经营收入",
               "财产性收入", "转移性收入", "家庭总收入", "家庭生产经营性支出", "是否低保户", "是否特困人员"]
    body = []
    for hid, name, income, total, shown in rows:
        # An ID a system marked x:num is kept as its text: 18 digits, never a float.
        id_cell = f'<td x:num="{hid}">{hid}</td>' if hid == as_number else f"<td class=xl67>{hid}</td>"
        body.append(f"<tr><td>合隆镇</td><td>新立村</td><td>{name}</td>{id_cell}{excel_cell(None, '3', num=False)}"
                    + "".join(excel_cell(v, s) for v, s in income) + excel_cell(total, shown)
                    + excel_cell("0", "0") + "<td>否</td><td>否</td></tr>")
    xml = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" '
           'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; '
           'charset=gb2312"><meta name=ProgId content=Excel.Sheet><style>.xl66{mso-number-format:"\\#\\,\\#\\#0";} '
           '.xl67{mso-number-format:"\\@";}</style></head><body><table border=0 cellpadding=0 cellspacing=0>'
           + "<tr>" + "".join(f"<td class=xl65>{h}</td>" for h in headers) + "</tr>" + "".join(body)
           + "</table></body></html>")
    path = tmp_path / "新立村.xls"
    path.write_bytes(xml.encode("gbk"))
    done, ledger = screened(path, tmp_path / "out")
    got = ledger.set_index("head_id")
    assert list(ledger["head_id"]) == [near, halves, as_number]
    assert got.loc[near, "total_income"] == "9654.40" and got.loc[near, "status"] == "candidate", got.loc[near]
    assert got.loc[halves, "total_income"] == "12680.50" and got.loc[halves, "net_income"] == "12680.50"
    assert got.loc[as_number, "total_income"] == "11000.00" and got.loc[as_number, "residents"] == "3"


def test_a_data_grid_with_its_header_and_body_in_two_tables(tmp_path):
    rows = households(5)
    body = (f'<div>合隆镇贫困边缘户</div><table class="datagrid-htable">{header_row()}</table>'
            f'<table class="datagrid-btable">{body_rows(rows)}</table>')
    path = tmp_path / "datagrid.xls"
    path.write_text(page(body), encoding="utf-8")
    done, ledger = screened(path, tmp_path / "out")
    assert "已筛查5户" in flat(done), done.output
    assert list(ledger["head_id"]) == [r["户主身份证号"] for r in rows]


def gbk_page(rows: list[dict]) -> str:
    return page(f'<table border="1"><tr><td colspan="{len(HEADERS)}">合隆镇贫困边缘户信息表</td></tr>'
                f"{header_row()}{body_rows(rows)}</table>", charset="gb2312")


def test_a_single_file_web_page_saved_as_xls_is_read_as_its_page(tmp_path):
    # Excel's "单个文件网页" (.mht): a MIME message, its page quoted-printable in GB2312.
    rows = households(4)
    html_part = quopri.encodestring(gbk_page(rows).encode("gbk")).decode("ascii")
    boundary = "----=_NextPart_01D5B0A1.2C3F4E50"
    mht = (f'MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; boundary="{boundary}"'
           f"\r\n\r\n此文档为“单个文件网页”,也称为“Web 档案”文件。\r\n\r\n--{boundary}\r\n"
           "Content-Location: file:///C:/D2F1A3B0/file.htm\r\nContent-Transfer-Encoding: quoted-printable\r\n"
           f'Content-Type: text/html; charset="gb2312"\r\n\r\n{html_part}\r\n\r\n--{boundary}--\r\n')
    path = tmp_path / "合隆镇.xls"
    path.write_bytes(mht.encode("gbk"))
    done, ledger = screened(path, tmp_path / "out")
    assert "已筛查4户" in flat(done), done.output
    assert list(ledger["head_id"]) == [r["户主身份证号"] for r in rows]
    assert list(ledger["head_name"]) == [r["户主姓名"] for r in rows]


def test_a_web_page_named_csv_or_txt_is_read_as_the_page_it_is(tmp_path):
    rows = households(3)
    for name in ("导出.csv", "导出.txt"):
        path = tmp_path / name
        path.write_bytes(gbk_page(rows).encode("gbk"))
        done, ledger = screened(path, tmp_path / f"out-{name}")
        assert "已筛查3户" in flat(done), done.output
        assert list(ledger["head_id"]) == [r["户主身份证号"] for r in rows]
        assert set(ledger["status"]) == {"candidate"}
