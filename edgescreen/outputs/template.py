"""`edgescreen template`: the blank 贫困边缘户入户登记表, built so that data comes back clean.

The form is the printed layout counties use (a title, a 填报单位 line, a two-row header with 家庭总收入
and 家庭生产经营性支出 standing over their components), with the canonical headers edgescreen reads
and, on the data rows: the ID and phone columns formatted as text (so Excel cannot turn an ID into a
number and lose its last digits), a 是/否 dropdown on every yes/no field, whole-number validation on
the two head counts, decimal ≥ 0 on money, and an input hint on every column (shown when a cell is
selected, and as a comment on the header), and a dropdown of the difficulty categories on 主要困难
that still takes any text typed. A 填表说明 sheet explains each item and the rule, wrapped within
an A4 page.

The form is filled in by hand on a household visit, so it prints at full size with rows about 1 cm
tall: landscape A4, the columns spread over as many pages across as they need (never splitting the
income or expense group), 序号 repeated at the left of each and the header rows at the top, pages
printed across before down so that one household's pages come out together.

Which income and expense components appear is the rule set's (`--rules`). With `--villages FILE`
(a CSV or workbook of 乡(镇) and 行政村), the township and village columns get dropdowns of those names.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import python_calamine as calamine

from ..catalogue import Lang, alias_index, fields, header_keys, label, messages, use_target
from ..errors import EdgescreenError
from ..inputs import text_encoding
from ..read import no_place
from ..rules import DEFAULT_RULES, LoadedRules, RuleSet, load_rules
from .folder import atomic_file, target_exists
from .publicity import difficulty_choices
from .xlsx import (
    A4,
    MARGINS,
    WIDTH_SLACK,
    cell_formats,
    column_points,
    new_workbook,
    page_body,
    text_height,
)

TITLE_ROW, UNIT_ROW, HEADER_TOP, HEADER_BOTTOM = 0, 1, 2, 3
FIRST_DATA_ROW = 4  # 0-based: Excel row 5
DEFAULT_ROWS = 200
MAX_ROWS = 10_000
MAX_MONEY = 99_999_999
MAX_COUNT = 99
# Widths in characters, for handwriting: 18 ID digits need some 5 cm, an amount 1.5 cm.
WIDTHS = {"county": 9, "township": 10, "village": 10, "group": 7, "household_id": 14, "head_name": 10,
          "head_id": 26, "phone": 15, "members": 8, "residents": 9, "risk": 12, "notes": 12}
SEQ_WIDTH, MONEY_WIDTH, FLAG_WIDTH = 5, 11, 6
ROW_HEIGHT = 28  # points: about 1 cm, room to write on a household visit
GUIDE_WIDTHS = (24, 68)  # the 填表说明 sheet's two columns: they fit A4 portrait at 100 %
GUIDE_SLACK = 6  # characters of a guide line's width not counted on when its rows' heights are set
FORM_MARGINS = {**MARGINS, "left": 0.4, "right": 0.4}
# Columns of the form besides the income and expense groups, in printed order.
LEADING = ["county", "township", "village", "group", "household_id", "head_name", "head_id", "phone",
           "members", "residents"]
TRAILING = ["is_dibao", "is_tekun", "is_registered_poor", "risk", "notes"]


def hint(field: str, lang: Lang = "zh") -> str:
    """The input hint of a field's column (Excel shows at most 255 characters)."""
    return messages().form_hints[field](lang)


class TemplateError(EdgescreenError):
    """The template cannot be written as asked (a villages file that cannot be read, the file exists)."""


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    field: str | None  # None for 序号
    header: str  # the text in the header cell (the bottom one for a component)
    group: str | None = None  # the group header over it, for income and expense components


def form_columns(rules: RuleSet) -> list[Column]:
    """The form's columns in order: 序号, the leading fields, the income group, the expense group, the
    yes/no fields and notes. Components are the rule set's; each group's total is left to edgescreen.
    The headers are the canonical ones edgescreen reads, whatever the language of the hints."""
    by_name = fields().by_name
    cols = [Column(0, None, label("form_seq", "zh"))]

    def add(name: str, group: str | None = None):
        spec = by_name[name]
        header = spec.header + (label("form_count_unit", "zh") if spec.kind == "integer" else "")
        cols.append(Column(len(cols), name, header, group))

    for name in LEADING:
        add(name)
    for definition in (rules.income, rules.expenses):
        group = by_name[definition.total].header + label("form_money_unit", "zh")
        for name in definition.components:
            add(name, group)
    for name in TRAILING:
        add(name)
    return cols


def _villages_file_rows(path: Path) -> list[list[str]]:
    """The cells of a villages file as text: a CSV (UTF-8 or GB18030) or a workbook's first sheet."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        try:
            text = path.read_bytes().decode(text_encoding(path))
        except EdgescreenError:
            raise TemplateError("villages_encoding", path=str(path)) from None
        return [r for r in csv.reader(io.StringIO(text))]
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        try:
            book = calamine.CalamineWorkbook.from_path(str(path))
            grid = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as exc:
            raise TemplateError("villages_unreadable", path=str(path), kind=type(exc).__name__) from None
        return [["" if c is None else str(c).removesuffix(".0") for c in r] for r in grid]
    raise TemplateError("villages_type", path=str(path))


def read_villages(path: str | Path) -> list[tuple[str, str]]:
    """(township, village) pairs from a CSV (UTF-8 or GB18030) or a workbook's first sheet. A header
    row naming 乡(镇) and 行政村 (any accepted spelling) is used if present; otherwise the first two
    columns are township and village (a first row of no Chinese above Chinese names is a header).
    Blank and repeated pairs are dropped, order kept."""
    path = Path(path)
    if not path.is_file():
        raise TemplateError("villages_missing", path=str(path))
    rows = [[c.strip() for c in r] for r in _villages_file_rows(path) if any(str(c).strip() for c in r)]
    if not rows:
        raise TemplateError("villages_empty", path=str(path))
    index = alias_index()
    t_col, v_col, start = 0, 1, 0
    for i, row in enumerate(rows[:10]):
        named = {next((index[k] for k in header_keys(c) if k in index), None): j for j, c in enumerate(row) if c}
        if "township" in named and "village" in named:
            t_col, v_col, start = named["township"], named["village"], i + 1
            break
    else:
        # A header in other words (town,vill): a first row without a Chinese character above names
        # that have them is no village.
        def chinese(cells: list[str]) -> bool:
            return any("\u4e00" <= ch <= "\u9fff" for c in cells[:2] for ch in c)

        if len(rows) > 1 and not chinese(rows[0]) and any(chinese(r) for r in rows[1:]):
            start = 1
    for row in rows[start:]:
        if len(row) <= max(t_col, v_col):
            raise TemplateError("villages_short_line", path=str(path), line=repr(",".join(row)))
    townships = np.array([row[t_col] for row in rows[start:]], dtype=object)
    villages = np.array([row[v_col] for row in rows[start:]], dtype=object)
    # A 合计 (合计, 6) or 填表人 line under the list names no village.
    named = (townships != "") & (villages != "") & ~no_place(townships) & ~no_place(villages)
    pairs = list(dict.fromkeys(zip(townships[named].tolist(), villages[named].tolist())))
    if not pairs:
        raise TemplateError("villages_none", path=str(path))
    return pairs


def _guide_lines(loaded: LoadedRules, columns: list[Column], has_villages: bool, lang: Lang) -> list[tuple[str, str]]:
    """The 填表说明 sheet: (heading or item, text) rows."""
    r = loaded.rules
    bounds = loaded.bounds()
    band = (label("form_band", lang, lower=bounds.lower.value, upper=bounds.upper.value) if bounds.lower
            else label("form_band_no_lower", lang, upper=bounds.upper.value))
    excluded = [label(key, lang) for flag, key in ((r.exclude.dibao, "excl_dibao"), (r.exclude.tekun, "excl_tekun"),
                                                   (r.exclude.registered_poor, "excl_registered")) if flag]
    by_name = fields().by_name
    numbers = label("form_guide_numbers", lang).split("|")
    texts = [
        label("form_guide_1", lang), label("form_guide_2", lang), label("form_guide_3", lang),
        label("form_guide_4", lang, income=" + ".join(by_name[c].header for c in r.income.components)),
        label("form_guide_5", lang, expenses=" + ".join(by_name[c].header for c in r.expenses.components)),
        label("form_guide_6", lang), label("form_guide_7", lang), label("form_guide_8", lang),
        label("form_guide_9", lang),
        label("form_guide_10", lang, title=r.title, year=bounds.year, band=band,
              excluded=(label("form_excluded", lang, names=label("list_sep", lang).join(excluded)) if excluded
                        else label("form_no_exclusions", lang))),
        label("form_guide_11", lang), label("form_guide_print", lang),
    ]
    if has_villages:
        texts.append(label("form_guide_12", lang))
    lines = [("", label("form_guide_title", lang)), *zip(numbers, texts), ("", ""),
             (label("form_item", lang), label("form_requirement", lang))]
    for col in columns:
        if col.field is not None:
            lines.append((col.header if not col.group else f"{col.group} / {col.header}", hint(col.field, lang)))
    return lines


def write_template(
    out: str | Path,
    *,
    rules: str | Path | LoadedRules = DEFAULT_RULES,
    villages: str | Path | None = None,
    rows: int = DEFAULT_ROWS,
    force: bool = False,
    lang: Lang = "zh",
) -> Path:
    """Write the blank household registration form to `out` (.xlsx), atomically. Returns the path.
    The headers are always the canonical Chinese ones; `lang` is the language of the hints and of
    the 填表说明 sheet."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise TemplateError("template_not_xlsx", path=str(out))
    if target_exists(out) and not force:
        raise TemplateError("output_file_exists", path=str(out))
    if not 1 <= rows <= MAX_ROWS:
        raise TemplateError("template_rows", rows=rows, most=MAX_ROWS)
    loaded = rules if isinstance(rules, LoadedRules) else load_rules(rules)
    use_target(loaded.rules.target_words())
    pairs = read_villages(villages) if villages is not None else []
    # Reserved, under a temporary name no one takes for the form; one a killed run left goes now.
    with atomic_file(out, reserve=True) as tmp:
        _write_form(tmp, loaded, pairs, rows, lang)
    return out


def _write_form(path: Path, loaded: LoadedRules, pairs: list[tuple[str, str]], rows: int, lang: Lang) -> None:
    """The form sheet, the 填表说明 sheet and (with villages) the hidden sheet of names."""
    columns = form_columns(loaded.rules)
    book = new_workbook(path, fixed_scale=True)
    book.set_properties({"title": label("form_title", "zh"),
                         "subject": label("form_properties_subject", lang, rules=loaded.rules.id),
                         "comments": label("form_properties_comments", lang)})
    ws = book.add_worksheet(label("form_sheet", "zh"))
    formats = cell_formats(book, "zh", size=10)
    starts, scale = page_columns(columns)
    _write_header(ws, columns, starts, formats)
    _write_columns(ws, columns, formats, pairs, FIRST_DATA_ROW + rows - 1, lang)
    _print_form(ws, columns, starts, scale, FIRST_DATA_ROW + rows - 1)
    _write_guide(book, loaded, columns, bool(pairs), lang)
    if pairs:
        _write_village_names(book, pairs)
    book.close()


def _write_header(ws, columns: list[Column], starts: list[int], f: dict) -> None:
    """Title, 填报单位 line, and the two header rows: groups merged across their components, every
    other column merged over both rows. The title and the 填报单位 line stand over each page's
    columns (`starts`: where the pages across begin), never over 序号, which prints again at the
    left of every page."""
    last_col = len(columns) - 1
    for first, last in zip([1, *starts], [*(s - 1 for s in starts), last_col]):
        ws.merge_range(TITLE_ROW, first, TITLE_ROW, last, label("form_title", "zh"), f["title"])
        ws.merge_range(UNIT_ROW, first, UNIT_ROW, last, label("form_unit_line", "zh"), f["left"])
    for row in (TITLE_ROW, UNIT_ROW):  # above 序号: blank, without the column's borders
        ws.write_blank(row, 0, None, f["left"])
    ws.set_row(TITLE_ROW, 30)
    ws.set_row(HEADER_TOP, 24)
    ws.set_row(HEADER_BOTTOM, 42)
    groups: dict[str, list[Column]] = {}
    for col in columns:
        if col.group:
            groups.setdefault(col.group, []).append(col)
        else:
            ws.merge_range(HEADER_TOP, col.index, HEADER_BOTTOM, col.index, col.header, f["header"])
    for group, members in groups.items():
        ws.merge_range(HEADER_TOP, members[0].index, HEADER_TOP, members[-1].index, group, f["header"])
        for col in members:
            ws.write_string(HEADER_BOTTOM, col.index, col.header, f["header"])


def _write_columns(ws, columns: list[Column], f: dict, pairs: list[tuple[str, str]], last_row: int,
                   lang: Lang) -> None:
    """Each column's width, cell format, hint (a comment on the header and the input message) and
    validation, down to the last prepared row."""
    by_name = fields().by_name
    kind_format = {"money": f["money"], "integer": f["int"], "flag": f["center"], "seq": f["center"]}
    for r in range(FIRST_DATA_ROW, last_row + 1):
        ws.set_row(r, ROW_HEIGHT)
    for col in columns:
        kind = by_name[col.field].kind if col.field else "seq"
        fmt = kind_format.get(kind, f["text_input"])
        ws.set_column(col.index, col.index, column_width(col), fmt)
        if col.field is None:
            # Numbered, so that a household's pages across can be matched on paper; edgescreen
            # reads a numbered line with nothing else filled as no household.
            for r in range(FIRST_DATA_ROW, last_row + 1):
                ws.write_number(r, col.index, r - FIRST_DATA_ROW + 1, fmt)
            continue
        for r in range(FIRST_DATA_ROW, last_row + 1):
            ws.write_blank(r, col.index, None, fmt)
        text = hint(col.field, lang)
        header_row = HEADER_BOTTOM if col.group else HEADER_TOP
        ws.write_comment(header_row, col.index, text, {"author": "edgescreen", "x_scale": 2, "y_scale": 1.6})
        ws.data_validation(FIRST_DATA_ROW, col.index, last_row, col.index, _validation(col, kind, text, pairs, lang))


def column_width(col: Column) -> float:
    """A column's width in characters (WIDTHS, or by kind)."""
    if col.field is None:
        return SEQ_WIDTH
    kind = fields().by_name[col.field].kind
    return WIDTHS.get(col.field, MONEY_WIDTH if kind == "money" else FLAG_WIDTH if kind == "flag" else 10)


def page_columns(columns: list[Column]) -> tuple[list[int], int]:
    """Where the printed pages across begin (column indexes, for vertical page breaks) and the print
    scale: columns go on a page while they fit beside 序号 (repeated on each page), an income or
    expense group always on one page; 100 % unless a page's columns are wider than the paper."""
    units: list[list[Column]] = []
    for col in columns[1:]:
        if col.group and units and units[-1][0].group == col.group:
            units[-1].append(col)
        else:
            units.append([col])
    room = page_body(landscape=True, margins=FORM_MARGINS)[0] / WIDTH_SLACK
    seq = column_points(SEQ_WIDTH)
    starts, used, widest = [], seq, seq
    for unit in units:
        width = sum(column_points(column_width(c)) for c in unit)
        if used + width > room and used > seq:
            starts.append(unit[0].index)
            used = seq
        used += width
        widest = max(widest, used)
    return starts, max(10, min(100, int(100 * room / widest)))


def _print_form(ws, columns: list[Column], starts: list[int], scale: int, last_row: int) -> None:
    """Full size, spread across pages at the groups' edges (`starts`), printed across then down."""
    ws.freeze_panes(FIRST_DATA_ROW, 1 + LEADING.index("head_name") + 1)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.set_print_scale(scale)  # not fitted to the page: Excel keeps manual page breaks only then
    ws.set_v_pagebreaks(starts)
    ws.print_across()
    ws.repeat_rows(HEADER_TOP, HEADER_BOTTOM)
    ws.repeat_columns(0, 0)
    ws.print_area(0, 0, last_row, len(columns) - 1)
    ws.set_margins(**FORM_MARGINS)
    ws.center_horizontally()
    ws.set_footer(label("form_footer", "zh"))
    ws.activate()


def _write_guide(book, loaded: LoadedRules, columns: list[Column], has_villages: bool, lang: Lang) -> None:
    """Two wrapped columns that fit A4 portrait, each row as tall as its longer cell's lines."""
    guide = book.add_worksheet(label("form_guide_sheet", "zh"))
    g = cell_formats(book, lang)
    bold = book.add_format({"font_name": label("font_name", lang), "font_size": 11, "bold": True,
                            "valign": "top", "text_wrap": True})
    first, second = GUIDE_WIDTHS
    guide.set_column(0, 0, first)
    guide.set_column(1, 1, second)
    for i, (item, text) in enumerate(_guide_lines(loaded, columns, has_villages, lang)):
        if i == 0:
            guide.merge_range(i, 0, i, 1, "", g["h1"])
            guide.write_string(i, 0, text, g["h1"])
            guide.set_row(i, 26)
            continue
        guide.write_string(i, 0, item, bold)
        guide.write_string(i, 1, text, bold if item == label("form_item", lang) else g["text"])
        # Lines break at words and punctuation too: heights counted on a few characters less.
        guide.set_row(i, max(text_height(item, first - GUIDE_SLACK), text_height(text, second - GUIDE_SLACK))
                      if (item or text) else 12)
    guide.set_portrait()
    guide.set_paper(A4)
    guide.set_margins(**MARGINS)
    guide.fit_to_pages(1, 0)  # a safety net: the widths already fit at 100 %


def _write_village_names(book, pairs: list[tuple[str, str]]) -> None:
    """The hidden 村名单 sheet: columns A:B the pairs as given; D and E each distinct name once, the
    dropdowns' sources."""
    names = book.add_worksheet(label("form_list_sheet", "zh"))
    names.write_row(0, 0, label("form_list_headers", "zh").split("|"))
    for i, (township, village) in enumerate(pairs, start=1):
        names.write_string(i, 0, township)
        names.write_string(i, 1, village)
    for column, values in ((3, _distinct(p[0] for p in pairs)), (4, _distinct(p[1] for p in pairs))):
        for i, value in enumerate(values, start=1):
            names.write_string(i, column, value)
    names.hide()


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(values))


def _list_range(pairs: list[tuple[str, str]], field: str) -> str:
    """A dropdown source on the 村名单 sheet: each township (column D) or village (E) once."""
    letter, count = ("D", len(_distinct(p[0] for p in pairs))) if field == "township" else \
        ("E", len(_distinct(p[1] for p in pairs)))
    return f"='{label('form_list_sheet', 'zh')}'!${letter}$2:${letter}${count + 1}"


def _validation(col: Column, kind: str, text: str, pairs: list[tuple[str, str]], lang: Lang) -> dict:
    common = {"input_title": col.header[:32], "input_message": text[:255], "ignore_blank": True}
    if kind == "flag":
        return {**common, "validate": "list", "source": [label("form_yes", "zh"), label("form_no", "zh")],
                "error_title": label("form_flag_error_title", lang), "error_message": label("form_flag_error", lang)}
    if kind == "integer":
        return {**common, "validate": "integer", "criteria": "between", "minimum": 1, "maximum": MAX_COUNT,
                "error_title": label("form_int_error_title", lang),
                "error_message": label("form_int_error", lang, header=col.header, low=1, high=MAX_COUNT)}
    if kind == "money":
        return {**common, "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": MAX_MONEY,
                "error_title": label("form_money_error_title", lang), "error_message": label("form_money_error", lang)}
    if kind == "id":
        return {**common, "validate": "length", "criteria": "==", "value": 18,
                "error_title": label("form_id_error_title", lang), "error_message": label("form_id_error", lang)}
    if col.field == "phone":
        return {**common, "validate": "length", "criteria": "between", "minimum": 7, "maximum": 20,
                "error_title": label("form_phone_error_title", lang), "error_message": label("form_phone_error", lang),
                "error_type": "warning"}
    if col.field == "risk":  # the categories to choose from; a household's own words are kept too
        return {**common, "validate": "list", "source": difficulty_choices("zh"), "error_type": "information",
                "error_title": label("form_risk_title", lang), "error_message": label("form_risk_typed", lang)}
    if pairs and col.field in ("township", "village"):
        return {**common, "validate": "list", "source": _list_range(pairs, col.field),
                "error_title": label("form_place_error_title", lang), "error_type": "warning",
                "error_message": label("form_place_error", lang)}
    return {**common, "validate": "any"}


__all__ = ["write_template", "read_villages", "form_columns", "Column", "TemplateError", "hint"]
