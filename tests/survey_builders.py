"""Shared builders: survey workbooks and CSV files made in the test, in the layouts counties print.

Imported by name (`from survey_builders import ...`): a module called conftest would clash with
rules/tests/conftest.py."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import xlsxwriter

from edgescreen.checks import id_check_characters

# The canonical headers of a complete single-row form, in a usual order.
HEADERS = ["乡(镇)", "行政村", "村民小组", "户编号", "户主姓名", "户主身份证号", "联系电话", "家庭人口数",
           "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭总收入",
           "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用", "家庭生产经营性支出",
           "是否低保户", "是否特困人员", "是否建档立卡贫困户", "主要困难", "备注"]
INCOME = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入"]
EXPENSES = ["家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]

_serial = itertools.count(1)


def make_id(birth: str = "19700101", region: str = "220122", serial: int | None = None) -> str:
    """A valid 18-character ID (GB 11643 check character computed)."""
    import pandas as pd

    serial = next(_serial) % 1000 if serial is None else serial
    prefix = f"{region}{birth}{serial:03d}"
    return prefix + id_check_characters(pd.Series([prefix])).iloc[0]


def household(**overrides) -> dict:
    """One household as a dict keyed by canonical header: by default, a clean candidate
    (wage 10,000 − costs 0, 3 residents → 3,333.33 per person)."""
    record = {
        "乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": "一组", "户编号": "",
        "户主姓名": "张三", "户主身份证号": make_id(), "联系电话": "13812345678",
        "家庭人口数": 3, "家庭常住人口数": 3,
        "工资性收入": 10000, "家庭经营收入": 0, "财产性收入": 0, "转移性收入": 0,
        "家庭经营费用支出": 0, "生产性固定资产折旧": 0, "税金和上交承包费用": 0,
        "是否低保户": "否", "是否特困人员": "否", "是否建档立卡贫困户": "否", "主要困难": "", "备注": "",
    }
    record.update(overrides)
    for total, parts in (("家庭总收入", INCOME), ("家庭生产经营性支出", EXPENSES)):
        if total not in overrides and all(isinstance(record.get(p), (int, float)) for p in parts):
            record[total] = sum(record[p] for p in parts)
    return record


def _write_value(ws, r, c, value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value)
    elif value is None or value == "":
        pass
    else:
        ws.write_string(r, c, str(value))


def write_workbook(path: Path, sheets: dict[str, list[dict]] | list[dict], *, layout: str = "simple",
                   headers: list[str] | None = None, extra_rows: list[list] = (), more: list[str] = ()) -> Path:
    """Write households to an .xlsx. layout: 'simple' (header in row 1), 'title' (a title row and a
    填报单位 line above the header), 'two_row' (title rows, then a two-row header with the income and
    expense groups merged over their components, 合计 as each group's total, a 合计 row and a
    footer). `headers` overrides the column headers (same order as HEADERS); `more` are columns
    after them (县(市、区)), in the simple and title layouts."""
    if isinstance(sheets, list):
        sheets = {"Sheet1": sheets}
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        cols = headers or HEADERS
        r = 0
        if layout in ("title", "two_row"):
            ws.write_string(0, 0, "农安县贫困边缘户入户登记表")
            ws.write_string(1, 0, "填报单位:合隆镇人民政府    填报日期:2019年12月")
            r = 2
        if layout == "two_row":
            for c, h in enumerate(HEADERS):
                if h in INCOME or h in EXPENSES or h in ("家庭总收入", "家庭生产经营性支出"):
                    continue
                ws.merge_range(r, c, r + 1, c, h)
            inc = [HEADERS.index(h) for h in INCOME + ["家庭总收入"]]
            exp = [HEADERS.index(h) for h in EXPENSES + ["家庭生产经营性支出"]]
            ws.merge_range(r, min(inc), r, max(inc), "家庭总收入(元)")
            ws.merge_range(r, min(exp), r, max(exp), "家庭生产经营性支出(元)")
            for c in inc + exp:
                ws.write_string(r + 1, c, "合计" if HEADERS[c] in ("家庭总收入", "家庭生产经营性支出")
                                else HEADERS[c] + "\n(元)")
            r += 2
        else:
            for c, h in enumerate([*cols, *more]):
                ws.write_string(r, c, h)
            r += 1
        for record in rows:
            for c, h in enumerate([*HEADERS, *more]):
                _write_value(ws, r, c, record.get(h, ""))
            r += 1
        if layout == "two_row":
            ws.write_string(r, 0, "合计")
            r += 2
            ws.write_string(r, 0, "填表人:李四    审核人:王五")
        for extra in extra_rows:
            for c, v in enumerate(extra):
                _write_value(ws, r, c, v)
            r += 1
    book.close()
    return path


def write_csv(path: Path, rows: list[dict], *, encoding: str = "utf-8-sig", headers=None) -> Path:
    cols = headers or HEADERS
    lines = [",".join(cols)]
    for record in rows:
        lines.append(",".join(str(record.get(h, "")) for h in cols))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_csv_table(path: Path, header: list[str], rows: list[list]) -> Path:
    """A CSV of a header row and rows of values (quoted where a value needs it), as Excel saves one."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path
