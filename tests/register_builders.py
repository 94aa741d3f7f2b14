"""Filling the register's documents as a clerk does, with openpyxl into the same file: decisions and
reasons typed in, form fields written to the right of their labels, objections entered, and (for
the refusals) identity cells edited or rows deleted.

Imported by name (`from register_builders import fill`)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell

DECISION_HEADERS = ("评议结果", "核实结论", "审核意见", "复审意见", "review result", "verification",
                    "township's decision", "county's decision")
REASON_MARKERS = ("理由", "原因", "备注", "说明", "reason", "notes", "differs")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def household_table(ws):
    """(header row, {header text: column}) of the sheet's table: the row naming 户主姓名."""
    for row in ws.iter_rows():
        texts = [_text(c.value) for c in row]
        if "户主姓名" in texts or "head of household" in texts:
            r = row[0].row
            # 人均纯收入 over (元) is one header broken before its bracket; 审核意见 over (通过/不通过) is
            # the decision's header with its two words.
            return r, {(t.replace("\n", "") if re.fullmatch(r"[^\n]+\n\([^/\n]*\)", t) else t.split("\n")[0]): c.column
                       for t, c in zip(texts, row) if t}
    raise AssertionError(f"no table on {ws.title}")


def rows_by_seq(ws, header_row: int, seq_col: int) -> dict[int, int]:
    found = {}
    for r in range(header_row + 1, ws.max_row + 1):
        v = ws.cell(r, seq_col).value
        if isinstance(v, (int, float)) or (isinstance(v, str) and v.strip().isdigit()):
            found[int(float(v))] = r
    return found


def table_rows(path: Path) -> list[dict]:
    """The printed table of a document: one dict per row, header text → value."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = household_table(ws)
    seq = cols.get("序号") or cols.get("no.")
    return [{h: ws.cell(r, c).value for h, c in cols.items()} for r in rows_by_seq(ws, header_row, seq).values()]


def fill(path: Path, *, decisions: dict[int, tuple[str, str]] | None = None, default: tuple[str, str] | None = None,
         rows: dict | None = None, form: dict | None = None, objections: list[tuple] | None = None,
         edit: dict | None = None, delete: list[int] | None = None, add_row: dict | None = None,
         save_as: Path | None = None) -> Path:
    """Fill a document. `decisions` {序号: (word, reason)}, `default` for the other rows; `rows`
    {header: value} for every row (or {序号: {header: value}}); `form` {label: value}, the value
    written to the label's right; `objections` [(户主姓名, 异议内容, 处理结果, 处理日期[, 名单序号])];
    `edit` {(序号, header): value} over printed cells; `delete` rows by 序号; `add_row` a row below."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = household_table(ws)
    seq_col = cols.get("序号") or cols.get("no.")
    by_seq = rows_by_seq(ws, header_row, seq_col)
    decision_col = next((c for h, c in cols.items() if h.startswith(DECISION_HEADERS)), None)
    reason_col = None
    if decision_col is not None:
        reason_col = next(c for h, c in sorted(cols.items(), key=lambda x: x[1])
                          if c > decision_col and any(m in h for m in REASON_MARKERS))
    for seq, r in by_seq.items():
        chosen = (decisions or {}).get(seq, default)
        if chosen is not None and decision_col is not None:
            word, reason = chosen
            ws.cell(r, decision_col).value = word
            ws.cell(r, reason_col).value = reason or None
        if rows:
            values = rows.get(seq, {}) if any(isinstance(k, int) for k in rows) else rows
            for header, value in values.items():
                ws.cell(r, cols[header]).value = value
    for (seq, header), value in (edit or {}).items():
        ws.cell(by_seq[seq], cols[header]).value = value
    for seq in sorted(delete or [], reverse=True):
        ws.delete_rows(by_seq[seq])
    if add_row:
        r = max(by_seq.values()) + 1
        ws.insert_rows(r)
        for header, value in add_row.items():
            ws.cell(r, cols[header]).value = value
    for label_text, value in (form or {}).items():
        _write_form(wb, label_text, value)
    if objections:
        sheet = next(s for s in wb.worksheets if s.title in ("异议处理", "objections"))
        head, ocols = household_table(sheet)
        for i, objection in enumerate(objections, start=head + 1):
            name, content, result, when, *seq = objection
            for header, value in (("户主姓名", name), ("异议内容", content), ("处理结果", result), ("处理日期", when)):
                sheet.cell(i, ocols[header]).value = value
            if seq:
                sheet.cell(i, ocols["名单序号"]).value = seq[0]
    target = save_as or path
    wb.save(target)
    return target


def _form_cell(wb, label_text: str):
    """The cell a clerk fills beside a form's label: past the label's merged cells."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if _text(c.value) == label_text:
                    col = c.column + 1
                    while isinstance(ws.cell(c.row, col), MergedCell):
                        col += 1
                    return ws.cell(c.row, col)
    raise AssertionError(f"no cell labelled {label_text}")


def _write_form(wb, label_text: str, value) -> None:
    _form_cell(wb, label_text).value = value


def form_value_cell(path, label_text: str) -> tuple[str, str]:
    """(sheet, cell) a form's field `label_text` is filled in, as a refusal names it."""
    cell = _form_cell(openpyxl.load_workbook(path), label_text)
    return cell.parent.title, cell.coordinate


def meeting(day="2019-11-28", **over) -> dict:
    """A filled 会议记录."""
    values = {"会议时间": day, "会议地点": "村委会会议室", "主持人": "王书记", "应到人数": 35, "实到人数": 31,
              "记录人": "李会计", "参会人员": "王书记、李会计、刘主任等村民代表31人", "发言记录": "无",
              "评议过程": "逐户介绍情况,举手表决。"}
    values.update(over)
    return values


def as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def back_to_version(db, version: int) -> None:
    """The register as an older edgescreen kept it: the columns the versions after `version` added
    dropped (9: the spot checks' tables; 7: each household's 填表人; 6: the income parts), their migrations forgotten, its
    user_version `version`. As a township's older program left it, documents printed already."""
    from edgescreen.register import db as register_db

    added = {9: [], 8: list(register_db.DATA_DOUBTS), 7: ["enumerator"],
             6: [f"{part}_fen" for part in register_db.INCOME_PARTS]}
    con = sqlite3.connect(db, isolation_level=None)
    for later in range(register_db.SCHEMA_VERSION, version, -1):
        if later == 9:  # format 9 added the city's spot checks as tables of their own
            for table in ("spot_findings", "spot_check_forms", "spot_checks"):
                con.execute(f"DROP TABLE IF EXISTS {table}")
        for column in added[later]:
            con.execute(f"ALTER TABLE screened DROP COLUMN {column}")
        con.execute("DELETE FROM meta WHERE key = ?", (f"schema_{later}",))
    con.execute(f"PRAGMA user_version = {version}")
    con.close()


def register_version(db) -> int:
    """The format version a register file says it is (its user_version)."""
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def fill_form(path: Path, rows: dict) -> Path:
    """{户主姓名: {header: value}} written into the printed table (openpyxl, as a clerk); the key None
    fills every row (a name's own values over it)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    for r in rows_by_seq(ws, header, cols["序号"]).values():
        values = {**rows.get(None, {}), **rows.get(ws.cell(r, cols["户主姓名"]).value, {})}
        for header_text, value in values.items():
            ws.cell(r, cols[header_text]).value = value
    wb.save(path)
    return path
