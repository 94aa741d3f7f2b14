"""One workbook per village for its review meeting: the candidates, lowest per-capita first, then the
village's `invalid` households (with what to fix) and `below_line` households on sheets of their own.
ID and phone numbers are masked unless the county asks for its internal copy (--no-mask)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xlsxwriter

from ..catalogue import Lang, messages
from .safe import mask_id, write_cells

if TYPE_CHECKING:
    from ..pipeline import Result

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def village_file_name(township: str, village: str) -> str:
    name = _UNSAFE_NAME.sub("_", f"{township or '未填乡镇'}-{village or '未填村'}").strip(" .")
    return f"{name}.xlsx"


def rule_line(result: Result, lang: Lang) -> str:
    labels = messages().labels
    b = result.bounds
    key = "rule_line" if b.lower is not None else "rule_line_no_lower"
    return labels[key](lang).format(title=result.rules.rules.title,
                                    lower=b.lower.value if b.lower else "", upper=b.upper.value)


def _list_rows(df: pd.DataFrame, mask: bool) -> pd.DataFrame:
    ids = mask_id(df["head_id"]) if mask else df["head_id"].fillna("")
    per_capita = df["per_capita_fen"].astype("Float64") / 100
    return pd.DataFrame({
        "seq": range(1, len(df) + 1),
        "group": df["group"].fillna("").to_numpy(),
        "head_name": df["head_name"].fillna("").to_numpy(),
        "head_id": ids.to_numpy(),
        "residents": df["residents"].astype("Float64").to_numpy(),
        "per_capita_income": per_capita.to_numpy(),
        "risk": df["risk"].fillna("").to_numpy(),
    })


def _write_sheet(book, name: str, title: str, subtitle: str, rows: pd.DataFrame, extra: list[str],
                 lang: Lang, formats: dict) -> None:
    labels = messages().labels
    ws = book.add_worksheet(name)
    headers = [labels[c](lang) for c in rows.columns] + [labels[c](lang) for c in extra]
    ws.merge_range(0, 0, 0, len(headers) - 1, title, formats["title"])
    ws.merge_range(1, 0, 1, len(headers) - 1, subtitle, formats["subtitle"])
    write_cells(ws, 2, 0, headers, formats["header"])
    money_col = list(rows.columns).index("per_capita_income") if "per_capita_income" in rows.columns else -1
    for i, record in enumerate(rows.itertuples(index=False, name=None)):
        write_cells(ws, 3 + i, 0, list(record) + [""] * len(extra), formats["cell"])
        if money_col >= 0 and pd.notna(record[money_col]):
            ws.write_number(3 + i, money_col, float(record[money_col]), formats["money"])
    widths = {"seq": 6, "group": 10, "head_name": 12, "head_id": 22, "residents": 10,
              "per_capita_income": 14, "risk": 16, "what_to_fix": 60}
    for j, col in enumerate(list(rows.columns) + extra):
        ws.set_column(j, j, widths.get(col, 14))
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2)
    ws.set_footer("&C&P / &N")
    ws.freeze_panes(3, 0)


def write_village_lists(result: Result, folder: Path, *, lang: Lang = "zh", mask: bool = True) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    labels = messages().labels
    df = result.households
    issues = result.issues(lang)
    errors = issues[issues["severity"] == "error"]
    fixes = errors.groupby("hh", sort=False)["message"].agg("\n".join)
    subtitle = rule_line(result, lang)
    written = []
    for (township, village), part in df.groupby([df["township"].fillna(""), df["village"].fillna("")],
                                                sort=True):
        path = folder / village_file_name(township, village)
        book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        formats = {
            "title": book.add_format({"bold": True, "font_size": 16, "align": "center"}),
            "subtitle": book.add_format({"font_size": 10, "align": "center", "text_wrap": True}),
            "header": book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                       "text_wrap": True, "bg_color": "#EEEEEE"}),
            "cell": book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True}),
            "money": book.add_format({"border": 1, "num_format": "0.00", "align": "right"}),
        }
        title = labels["list_title"](lang).format(township=township, village=village)
        candidates = part[part["status"] == "candidate"].sort_values(["per_capita_fen", "row"], kind="stable")
        _write_sheet(book, labels["sheet_candidates"](lang), title, subtitle, _list_rows(candidates, mask),
                     ["review_result", "notes"], lang, formats)
        invalid = part[part["status"] == "invalid"]
        rows = _list_rows(invalid, mask).drop(columns=["per_capita_income"])
        positions = pd.Series(range(len(df)), index=df.index)[invalid.index]
        rows["what_to_fix"] = fixes.reindex(positions.to_numpy()).fillna("").to_numpy()
        _write_sheet(book, labels["sheet_invalid"](lang), title, subtitle, rows, [], lang, formats)
        below = part[part["status"] == "below_line"].sort_values(["per_capita_fen", "row"], kind="stable")
        _write_sheet(book, labels["sheet_below_line"](lang), title, subtitle, _list_rows(below, mask),
                     ["notes"], lang, formats)
        book.close()
        written.append(path)
    return written
