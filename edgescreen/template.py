"""`edgescreen template`: the blank 贫困边缘户入户登记表, built so that data comes back clean.

The form is the printed layout counties use (a title, a 填报单位 line, a two-row header with 家庭总收入
and 家庭生产经营性支出 standing over their components), with the canonical headers edgescreen reads
and, on the data rows: the ID and phone columns formatted as text (so Excel cannot turn an ID into a
number and lose its last digits), a 是/否 dropdown on every yes/no field, whole-number validation on
the two head counts, decimal ≥ 0 on money, and an input hint on every column (shown when a cell is
selected, and as a comment on the header). A 填表说明 sheet explains each item and the rule; the
page prints landscape on A4, one page wide, with the header repeated on each page.

Which income and expense components appear is the rule set's (`--rules`). With `--villages FILE`
(a CSV or workbook of 乡(镇) and 行政村), the township and village columns get dropdowns of those names.
"""

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .catalogue import alias_index, fields, header_keys
from .errors import EdgescreenError
from .rules import DEFAULT_RULES, LoadedRules, RuleSet, load_rules

SHEET = "入户登记表"
GUIDE_SHEET = "填表说明"
LIST_SHEET = "村名单"
TITLE_ROW, UNIT_ROW, HEADER_TOP, HEADER_BOTTOM = 0, 1, 2, 3
FIRST_DATA_ROW = 4  # 0-based: Excel row 5
DEFAULT_ROWS = 200
MAX_MONEY = 99_999_999

# Input hints (Excel limits: title ≤ 32 characters, message ≤ 255).
HINTS: dict[str, str] = {
    "county": "填写县(市、区)名称,如:农安县。",
    "township": "填写乡(镇)全称,如:合隆镇。必填。",
    "village": "填写行政村全称,如:前岗村。必填。",
    "group": "村民小组,如:一组。",
    "household_id": "户编号(可不填),按县里的编号规则填写。本列为文本格式。",
    "head_name": "户主姓名。必填。",
    "head_id": "户主18位身份证号,最后一位可以是X。本列已设为文本格式:不要改成数字格式,否则后几位会丢失。必填。",
    "phone": "11位手机号或固定电话(可带区号)。",
    "members": "户籍登记的家庭人口数,整数。",
    "residents": "家庭常住人口数:一年内在家居住6个月以上的家庭成员,整数,至少1人。必填。",
    "wage_income": "工资性收入(元):外出务工、在本地打工等全年工资收入。按元填写,不要用万元;没有填0。",
    "business_income": "家庭经营收入(元):种植、养殖、经营等全年收入。按元填写;没有填0。",
    "property_income": "财产性收入(元):土地流转、房屋出租、入股分红、利息等。没有填0。",
    "transfer_income": "转移性收入(元):低保金、五保金、养老金、生态补偿金、赡养费、各类补贴等。没有填0。",
    "total_income": "家庭总收入(元)= 工资性收入 + 家庭经营收入 + 财产性收入 + 转移性收入。",
    "business_costs": "家庭经营费用支出(元):种子、化肥、农药、饲料、雇工、租地等经营费用。没有填0。",
    "depreciation": "生产性固定资产折旧(元):农机具、大棚、圈舍等当年应计折旧。没有填0。",
    "taxes_fees": "税金和上交承包费用(元)。没有填0。",
    "production_expenses": "家庭生产经营性支出(元)= 经营费用 + 折旧 + 税金和上交承包费用。",
    "is_dibao": "是否低保户:从下拉列表选择「是」或「否」。必填。",
    "is_tekun": "是否特困人员(特困供养):从下拉列表选择「是」或「否」。必填。",
    "is_registered_poor": "是否建档立卡贫困户(含已脱贫户):从下拉列表选择「是」或「否」。",
    "risk": "主要困难,如:因病、因残、因学、因灾、缺劳力、缺技术、缺资金。",
    "notes": "其他需要说明的情况。",
}
WIDTHS = {"county": 9, "township": 9, "village": 9, "group": 7, "household_id": 14, "head_name": 8,
          "head_id": 20, "phone": 13, "members": 6, "residents": 7, "risk": 10, "notes": 14}
# Columns of the form besides the income and expense groups, in printed order.
LEADING = ["county", "township", "village", "group", "household_id", "head_name", "head_id", "phone",
           "members", "residents"]
TRAILING = ["is_dibao", "is_tekun", "is_registered_poor", "risk", "notes"]


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
    yes/no fields and notes. Components are the rule set's; each group's total is left to edgescreen."""
    by_name = fields().by_name
    cols = [Column(0, None, "序号")]

    def add(name: str, group: str | None = None):
        spec = by_name[name]
        header = spec.header + ("(人)" if spec.kind == "integer" else "")
        cols.append(Column(len(cols), name, header, group))

    for name in LEADING:
        add(name)
    for definition in (rules.income, rules.expenses):
        group = f"{by_name[definition.total].header}(元)"
        for name in definition.components:
            add(name, group)
    for name in TRAILING:
        add(name)
    return cols


def read_villages(path: str | Path) -> list[tuple[str, str]]:
    """(township, village) pairs from a CSV (UTF-8 or GB18030) or a workbook's first sheet. A header
    row naming 乡(镇) and 行政村 (any accepted spelling) is used if present; otherwise the first two
    columns are township and village. Blank and repeated pairs are dropped, order kept."""
    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"{path}: no such villages file.")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TemplateError(f"{path}: the text is neither UTF-8 nor GB18030; save it as CSV UTF-8.")
        rows = [r for r in csv.reader(io.StringIO(text))]
    elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        import python_calamine as calamine

        try:
            book = calamine.CalamineWorkbook.from_path(str(path))
            grid = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as exc:
            raise TemplateError(f"{path}: cannot be read as a workbook ({type(exc).__name__}).") from None
        rows = [["" if c is None else str(c).removesuffix(".0") for c in r] for r in grid]
    else:
        raise TemplateError(f"{path}: a villages file is a .csv or a workbook (.xlsx), with columns 乡(镇) and 行政村.")
    rows = [[c.strip() for c in r] for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise TemplateError(f"{path}: the villages file is empty.")
    index = alias_index()
    t_col, v_col, start = 0, 1, 0
    for i, row in enumerate(rows[:10]):
        named = {next((index[k] for k in header_keys(c) if k in index), None): j for j, c in enumerate(row) if c}
        if "township" in named and "village" in named:
            t_col, v_col, start = named["township"], named["village"], i + 1
            break
    pairs: list[tuple[str, str]] = []
    for row in rows[start:]:
        if len(row) <= max(t_col, v_col):
            raise TemplateError(f"{path}: each line needs a township and a village (乡(镇),行政村); "
                                f"found {','.join(row)!r}.")
        pair = (row[t_col], row[v_col])
        if pair[0] and pair[1] and pair not in pairs:
            pairs.append(pair)
    if not pairs:
        raise TemplateError(f"{path}: no township and village names found.")
    return pairs


def _guide_lines(loaded: LoadedRules, columns: list[Column], has_villages: bool) -> list[tuple[str, str]]:
    """The 填表说明 sheet: (heading or item, text) rows."""
    r = loaded.rules
    bounds = loaded.bounds()
    band = (f"人均纯收入高于 {bounds.lower.value} 元、低于 {bounds.upper.value} 元(两端都不含)" if bounds.lower
            else f"人均纯收入低于 {bounds.upper.value} 元(不含)")
    excluded = [name for flag, name in ((r.exclude.dibao, "低保户"), (r.exclude.tekun, "特困人员"),
                                        (r.exclude.registered_poor, "建档立卡贫困户")) if flag]
    by_name = fields().by_name
    income = " + ".join(by_name[c].header for c in r.income.components)
    expenses = " + ".join(by_name[c].header for c in r.expenses.components)
    lines = [
        ("", "贫困边缘户入户登记表 填表说明"),
        ("一", "本表一户一行,由入户调查人员根据入户核实情况填写。"),
        ("二", "第3、4行是表头,不要修改表头文字,不要删除列;edgescreen 按表头名称识别各列,列的先后次序可以调整。"),
        ("三", "收入、支出一律按上一年度全年、以元为单位填写,填数字;没有的填 0,不要空着,也不要写“万元”或其他文字。"),
        ("四", f"家庭总收入 = {income}。"),
        ("五", f"家庭生产经营性支出 = {expenses}。"),
        ("六", "人均纯收入 =(家庭总收入 − 家庭生产经营性支出)÷ 家庭常住人口数,由 edgescreen 计算,不需要填写。"),
        ("七", "家庭常住人口:一年内在家居住 6 个月以上的家庭成员。"),
        ("八", "户主身份证号一栏已设为文本格式,请直接输入 18 位号码;不要把该列改为数字格式,否则 Excel 会把后几位变成 0。"),
        ("九", "是否低保户、是否特困人员、是否建档立卡贫困户三栏,从下拉列表选择「是」或「否」。"),
        ("十", f"识别标准({r.title},{bounds.year}年度):{band}"
               + (f";{'、'.join(excluded)}暂不列入。" if excluded else "。")
               + "生活水平是否与建档立卡贫困户接近,由村民代表大会民主评议认定。"),
        ("十一", "填好后保存为 .xlsx 文件报送;报送前可以用 edgescreen check 检查漏项、串项和逻辑错误。"),
    ]
    if has_villages:
        lines.append(("十二", "乡(镇)、行政村两栏可从下拉列表选择;名单见隐藏的“村名单”工作表。"))
    lines.append(("", ""))
    lines.append(("栏目", "填写要求"))
    for col in columns:
        if col.field is not None:
            lines.append((col.header if not col.group else f"{col.group} / {col.header}", HINTS[col.field]))
    return lines


def write_template(
    out: str | Path,
    *,
    rules: str | Path | LoadedRules = DEFAULT_RULES,
    villages: str | Path | None = None,
    rows: int = DEFAULT_ROWS,
    force: bool = False,
) -> Path:
    """Write the blank household registration form to `out` (.xlsx), atomically. Returns the path."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise TemplateError(f"{out}: the form is written as an .xlsx workbook; give a name ending in .xlsx.")
    if out.exists() and not force:
        raise TemplateError(f"{out}: already exists. Choose another name with -o, or add --force to replace it.")
    if not 1 <= rows <= 10000:
        raise TemplateError(f"--rows {rows}: give between 1 and 10000 rows.")
    loaded = rules if isinstance(rules, LoadedRules) else load_rules(rules)
    pairs = read_villages(villages) if villages is not None else []
    columns = form_columns(loaded.rules)
    by_name = fields().by_name
    last_col = len(columns) - 1
    last_row = FIRST_DATA_ROW + rows - 1

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        from .outputs.safe import new_workbook  # xlsxwriter and pandas load only when a form is written

        book = new_workbook(Path(tmp))
        book.set_properties({"title": "贫困边缘户入户登记表", "subject": f"edgescreen template, rules {loaded.rules.id}",
                             "comments": "Generated by edgescreen template."})
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        f_title = book.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        f_unit = book.add_format({**base, "align": "left"})
        f_head = book.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "border": 1,
                                  "bg_color": "#F2F2F2"})
        f_text = book.add_format({**base, "border": 1, "num_format": "@"})
        f_int = book.add_format({**base, "border": 1, "num_format": "0", "align": "center"})
        f_money = book.add_format({**base, "border": 1, "num_format": "0.00"})
        f_flag = book.add_format({**base, "border": 1, "align": "center"})
        f_seq = book.add_format({**base, "border": 1, "align": "center"})

        ws = book.add_worksheet(SHEET)
        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, "贫困边缘户入户登记表", f_title)
        ws.set_row(TITLE_ROW, 30)
        ws.merge_range(UNIT_ROW, 0, UNIT_ROW, last_col,
                       "填报单位:__________县(市、区)__________乡(镇)__________村        "
                       "填报日期:      年    月    日", f_unit)
        ws.set_row(HEADER_TOP, 24)
        ws.set_row(HEADER_BOTTOM, 42)

        def kind_format(col: Column):
            if col.field is None:
                return f_seq
            kind = by_name[col.field].kind
            return {"money": f_money, "integer": f_int, "flag": f_flag}.get(kind, f_text)

        # Header: groups merged across their components, every other column merged over both rows.
        groups: dict[str, list[Column]] = {}
        for col in columns:
            if col.group:
                groups.setdefault(col.group, []).append(col)
            else:
                ws.merge_range(HEADER_TOP, col.index, HEADER_BOTTOM, col.index, col.header, f_head)
        for group, members in groups.items():
            ws.merge_range(HEADER_TOP, members[0].index, HEADER_TOP, members[-1].index, group, f_head)
            for col in members:
                ws.write_string(HEADER_BOTTOM, col.index, col.header, f_head)

        for col in columns:
            fmt = kind_format(col)
            kind = by_name[col.field].kind if col.field else "seq"
            width = WIDTHS.get(col.field or "", 10 if kind == "money" else (6 if kind == "flag" else 5))
            ws.set_column(col.index, col.index, width, fmt)
            for r in range(FIRST_DATA_ROW, last_row + 1):
                ws.write_blank(r, col.index, None, fmt)
            if col.field is None:
                continue
            hint = HINTS[col.field]
            header_row = HEADER_BOTTOM if col.group else HEADER_TOP
            ws.write_comment(header_row, col.index, hint, {"author": "edgescreen", "x_scale": 2, "y_scale": 1.6})
            ws.data_validation(FIRST_DATA_ROW, col.index, last_row, col.index,
                               _validation(col, kind, hint, pairs))

        ws.freeze_panes(FIRST_DATA_ROW, 1 + LEADING.index("head_name") + 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(HEADER_TOP, HEADER_BOTTOM)
        ws.print_area(0, 0, last_row, last_col)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
        ws.set_footer("&L填表人:____________  审核人:____________&C第 &P 页,共 &N 页&R村\"两委\"(盖章)")
        ws.activate()

        guide = book.add_worksheet(GUIDE_SHEET)
        f_guide = book.add_format({**base, "font_size": 11, "text_wrap": True, "valign": "top"})
        f_guide_head = book.add_format({**base, "font_size": 14, "bold": True})
        f_guide_bold = book.add_format({**base, "font_size": 11, "bold": True, "valign": "top"})
        guide.set_column(0, 0, 22)
        guide.set_column(1, 1, 90)
        for i, (item, text) in enumerate(_guide_lines(loaded, columns, bool(pairs))):
            if i == 0:
                guide.write_string(i, 0, text, f_guide_head)
            elif item == "栏目":
                guide.write_string(i, 0, item, f_guide_bold)
                guide.write_string(i, 1, text, f_guide_bold)
            else:
                guide.write_string(i, 0, item, f_guide_bold)
                guide.write_string(i, 1, text, f_guide)
        guide.set_paper(9)
        guide.fit_to_pages(1, 0)

        if pairs:
            # Columns A:B the pairs as given; D and E each distinct name once, the dropdowns' sources.
            names = book.add_worksheet(LIST_SHEET)
            names.write_row(0, 0, ["乡(镇)", "行政村", "", "乡(镇)列表", "行政村列表"])
            for i, (township, village) in enumerate(pairs, start=1):
                names.write_string(i, 0, township)
                names.write_string(i, 1, village)
            for column, values in ((3, _distinct(p[0] for p in pairs)), (4, _distinct(p[1] for p in pairs))):
                for i, value in enumerate(values, start=1):
                    names.write_string(i, column, value)
            names.hide()
        book.close()
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(values))


def _list_range(pairs: list[tuple[str, str]], field: str) -> str:
    """A dropdown source on the 村名单 sheet: each township (column D) or village (E) once."""
    letter, count = ("D", len(_distinct(p[0] for p in pairs))) if field == "township" else \
        ("E", len(_distinct(p[1] for p in pairs)))
    return f"='{LIST_SHEET}'!${letter}$2:${letter}${count + 1}"


def _validation(col: Column, kind: str, hint: str, pairs: list[tuple[str, str]]) -> dict:
    title = col.header[:32]
    common = {"input_title": title, "input_message": hint[:255], "ignore_blank": True}
    if kind == "flag":
        return {**common, "validate": "list", "source": ["是", "否"], "error_title": "只能填「是」或「否」",
                "error_message": "请从下拉列表选择「是」或「否」。"}
    if kind == "integer":
        low = 1
        return {**common, "validate": "integer", "criteria": "between", "minimum": low, "maximum": 99,
                "error_title": "请填写整数", "error_message": f"{col.header}:填写 {low} 到 99 之间的整数。"}
    if kind == "money":
        return {**common, "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": MAX_MONEY,
                "error_title": "请填写金额(元)", "error_message": "填写 0 或正数,以元为单位,最多两位小数;不要写“万元”或文字。"}
    if kind == "id":
        return {**common, "validate": "length", "criteria": "==", "value": 18, "error_title": "身份证号应为18位",
                "error_message": "户主身份证号应为18位:17位数字加1位数字或X。"}
    if col.field == "phone":
        return {**common, "validate": "length", "criteria": "between", "minimum": 7, "maximum": 20,
                "error_title": "联系电话", "error_message": "填写11位手机号或固定电话。",
                "error_type": "warning"}
    if pairs and col.field in ("township", "village"):
        return {**common, "validate": "list", "source": _list_range(pairs, col.field),
                "error_title": "不在名单中", "error_type": "warning",
                "error_message": "该名称不在村名单中。确实要填写这个名称吗?"}
    return {**common, "validate": "any"}


__all__ = ["write_template", "read_villages", "form_columns", "Column", "TemplateError", "HINTS"]
