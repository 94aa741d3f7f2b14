"""Generate ``changchun-sample.xlsx``: a synthetic county survey of 贫困边缘户 (poverty-edge households),
with its members (家庭成员) and the rosters of other departments in ``rosters/`` (信息比对, issue 14).

The workbook imitates what a county in Changchun sends up: 农安县 (220122), one worksheet per township
(合隆镇, 烧锅镇, 高家店镇, 华家镇; 24 villages, about 2,400 households), each laid out for printing with a
merged title, a 填报单位/填报日期 line, a two-row merged header with the 家庭总收入(元) and
家庭生产经营性支出(元) groups, a 合计 row and a 填表人/审核人 footer; plus a "填表说明" sheet first and a
"汇总" sheet last, neither with a household header.

Every status of the changchun-2019 rule set (lower bound 3218 exclusive, upper bound 4000 exclusive) is
planted in meaningful numbers, including households exactly on a bound and one fen away, and about
2.5% of rows carry the data errors of domain.md §6 (plus a few warnings and clerk typing noise that is
not an error). All names, ID numbers and phone numbers are invented; ID check digits follow GB 11643.

The workbook also holds the members of every household, drawn from their own random stream after the
households (so every household is as it was before members existed): a sheet "家庭成员" for three
townships, linked by 户编号, and a printed form "华家镇家庭成员" for the fourth, without 户编号, each
household's members listed under its 户主 row. A few member problems are planted (a person in two
households, a member of no household, a household with two heads, one without its head, a spouse of
13, a 因残 household without a disabled member) and one household's 家庭常住人口数 is left blank, to
be counted from its members. The members of a 特困 household are written as unable to work
(丧失劳动力, or 无劳动力 by age), as 特困供养 requires. ``rosters/`` holds seven rosters in the shapes departments send them,
each showing an effect under changchun-2019: a 低保 roster listing the spouse of a household that said
否 (authoritative: it is excluded; roster_conflict), the 特困 roster, a vehicle register and a list of
cadres' relatives (flags; one relative by name only, a 同村同名 lead), a deceased roster naming a
member still counted resident (member_deceased), and the disability and medical-cost rosters (support).
Every roster carries columns the tool must never read (amounts, plate numbers, dates of coverage).

Regenerate (deterministic: fixed seed, fixed workbook timestamps):

    python sample_data/generate.py [-o PATH] [--households N] [--second-year PATH] [--rosters FOLDER]

The second year (``changchun-sample-2020.xlsx``, income year 2020, for the register's year two) is
drawn from the first by its own random stream, so the first stays exactly as it was: most incomes grow
a little (1-7 %), some fall (3-15 %), a few households move away (their rows are gone; in each village
the second candidate), some members die (家庭人口数 and 家庭常住人口数 one less), a few heads change (a
son or the spouse takes over: a new name and ID under the same 户编号; in each village the third
candidate where it has two members), and a few households are new (a 分户 or a return). Rows that
carry a planted error or typing noise are kept as they were.
"""
import copy
import argparse
import csv
import os
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random

import xlsxwriter

COUNTY, COUNTY_CODE = "农安县", "220122"
TOWNSHIPS = {
    "合隆镇": ["前岗村", "东兴村", "新立村", "永安村", "太平村", "陈家店村"],
    "烧锅镇": ["长山村", "双山村", "三宝村", "腰站村", "靠山村"],
    "高家店镇": ["胜利村", "红星村", "兴隆村", "德胜村", "富民村", "前进村", "团结村"],
    "华家镇": ["八里营村", "四家子村", "五家子村", "双城堡村", "东升村", "新农村"],
}
OTHER_REGIONS = ["220102", "220104", "220105", "220106", "220112", "220113", "220182", "220183"]
SURNAMES = "王李张刘赵孙杨于高徐马郭周吴朱陈宋董姜韩曲任范付白邵崔"
GIVEN = "国玉宝立春秋桂凤海明志福德永长文贵淑华金山林平庆忠芳兰英军红学利成"
DIFFICULTIES = ["因病", "因残", "缺劳力", "缺技术", "因学", "缺资金", "自身发展动力不足"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
LOWER, UPPER = 3218, 4000

# Columns (0-based): plain headers merged over rows 3-4, and the two groups with their sub-headers.
COLUMNS = ["序号", "县(市、区)", "乡(镇)", "行政村", "村民小组", "户编号", "户主姓名", "户主\n身份证号",
           "联系电话", "家庭人口数(人)", "家庭常住\n人口数(人)"]
INCOME = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "合计"]
EXPENSE = ["家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用", "合计"]
TAIL = ["是否低保户", "是否特困人员", "是否建档立卡贫困户", "主要困难", "备注", "填表人"]
C_NAME, C_ID, C_PHONE, C_MEMBERS, C_RESIDENTS = 6, 7, 8, 9, 10
C_WAGE, C_BUSINESS, C_PROPERTY, C_TRANSFER, C_TOTAL = 11, 12, 13, 14, 15
C_COSTS, C_DEPREC, C_TAXES, C_EXPENSES = 16, 17, 18, 19
C_DIBAO, C_TEKUN, C_REG, C_RISK, C_NOTES, C_ENUMERATOR = 20, 21, 22, 23, 24, 25
MONEY_COLS = range(C_WAGE, C_EXPENSES + 1)
N_COLS = C_ENUMERATOR + 1

SHARES = {"candidate": 0.12, "below_line": 0.05, "excluded_dibao": 0.05, "excluded_tekun": 0.02,
          "excluded_registered": 0.05, "invalid": 0.025}
ERRORS = ["blank_name", "id_checksum", "id_as_number", "id_17_chars", "residents_zero", "residents_text",
          "money_text", "flag_unknown", "total_mismatch", "expenses_mismatch", "negative_amount"]
WARNINGS = ["residents_exceed_members", "phone_short"]
# (target status, per-capita in fen or None, net offset in fen): exact bounds and one fen away.
BOUND_CASES = [("below_line", LOWER * 100, 0), ("below_line", LOWER * 100, 0), ("below_line", 321799, 0),
               ("candidate", 321801, 0), ("candidate", None, LOWER * 100),      # net = 3218*r + 1 fen
               ("candidate", 399999, 0), ("candidate", None, -UPPER * 100),     # net = 4000*r - 1 fen
               ("above_limit", UPPER * 100, 0), ("above_limit", UPPER * 100, 0), ("above_limit", 400001, 0)]


def check_char(body17):
    """GB 11643 / ISO 7064 MOD 11-2 check character of the first 17 digits."""
    value = (12 - sum(int(d) * w for d, w in zip(body17, WEIGHTS)) % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(rng, used):
    """A new, unique, valid 18-character ID of a head of household born 1935-1998 (1 in 11 ends in X)."""
    while True:
        region = COUNTY_CODE if rng.random() < 0.85 else rng.choice(OTHER_REGIONS)
        born = date(1935, 1, 1) + timedelta(days=rng.randrange((date(1998, 12, 31) - date(1935, 1, 1)).days))
        seq = rng.randrange(1, 500) * 2 - (rng.random() < 0.85)  # heads mostly men: odd sequence
        body = f"{region}{born:%Y%m%d}{seq:03d}"
        pid = body + check_char(body)
        if pid not in used:
            used.add(pid)
            return pid


def make_phone(rng):
    r = rng.random()
    if r < 0.04:
        return ""
    if r < 0.07:
        return f"0431-8{rng.randrange(10**6, 10**7)}"
    return f"1{rng.choice('358')}{rng.randrange(10)}{rng.randrange(10**8):08d}"


def lay_out(rng, total):
    """[(township, village, household count)] summing to ``total``."""
    villages = [(t, v) for t, vs in TOWNSHIPS.items() for v in vs]
    weights = [rng.uniform(0.6, 1.4) for _ in villages]
    counts = [int(total * w / sum(weights)) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return [(t, v, c) for (t, v), c in zip(villages, counts)]


def plan_statuses(rng, total):
    """One planned status per household (shuffled), and the indices that get a bound case."""
    plan = []
    for status, share in SHARES.items():
        plan += [status] * round(total * share)
    plan += ["above_limit"] * (total - len(plan))
    rng.shuffle(plan)
    bounds = {}
    pools = {s: [i for i, p in enumerate(plan) if p == s] for s in ("candidate", "below_line", "above_limit")}
    for case in BOUND_CASES:
        i = pools[case[0]].pop(rng.randrange(len(pools[case[0]])))
        bounds[i] = case
    return plan, bounds


def per_capita_fen(rng, status):
    """Target per-capita net income in fen for a planned status."""
    if status == "candidate":
        return rng.randint(LOWER + 1, UPPER - 1) * 100
    if status == "below_line":
        return rng.randint(900, LOWER) * 100
    if status == "excluded_dibao":
        return rng.randint(2400, 5200) * 100
    if status == "excluded_tekun":
        return rng.randint(3000, 6500) * 100
    if status == "excluded_registered":
        return rng.randint(4000, 9000) * 100
    while True:  # above_limit (and the income behind invalid rows): log-normal, median about 9,000
        yuan = int(rng.lognormvariate(9.1, 0.55))
        if UPPER <= yuan <= 60000:
            return yuan * 100


def split_income(rng, net, residents, status):
    """Components (fen) whose sum minus the expense components is exactly ``net``."""
    yuan = net // 100

    def hundreds(lo, hi):
        return rng.randint(int(lo), max(int(lo), int(hi))) // 100 * 100 * 100
    if status == "excluded_dibao":  # 低保金 about 1,500-3,000 a person, plus farm subsidies
        transfer = (residents * rng.randint(1500, 3000) + rng.randint(300, 900)) * 100
    elif status == "excluded_tekun":  # 特困供养金
        transfer = rng.randint(4200, 5600) * 100
    else:  # pensions, 耕地地力保护补贴, 赡养费
        transfer = rng.randint(100, min(2400, max(100, yuan // 3))) * 100 if rng.random() < 0.85 else 0
    transfer = min(transfer, net)
    rest = net - transfer
    prop = hundreds(500, min(4000, rest // 100 // 3)) if rng.random() < 0.15 and rest >= 150000 else 0
    rest -= prop
    wage = hundreds(100, rest // 100 * rng.uniform(0.2, 0.9)) if rng.random() < 0.55 and rest >= 30000 else 0
    rest -= wage
    if 0 < rest < 10000:  # a sliver of farm income would look like a unit error: fold it into transfer
        transfer, rest = transfer + rest, 0
    if rest == 0:
        return [wage, 0, prop, transfer], [0, 0, 0]
    ratio = rng.uniform(0.30, 0.50)  # corn: costs 30-50% of gross
    business = round(rest / 100 / (1 - ratio)) * 100
    expenses = business - rest
    deprec = expenses * rng.randint(8, 15) // 100 // 100 * 100
    taxes = rng.choice([0, 0, 0, 200, 300, 500]) * 100 if expenses - deprec > 80000 else 0
    return [wage, business, prop, transfer], [expenses - deprec - taxes, deprec, taxes]


def make_household(rng, used_ids, status, bound):
    members = rng.choices([1, 2, 3, 4, 5, 6], [8, 30, 26, 20, 11, 5])[0]
    if status == "excluded_tekun":
        members = rng.choice([1, 1, 1, 2])
    residents = members if rng.random() < 0.85 or members == 1 else members - rng.randint(1, min(2, members - 1))
    income_status = status
    if status == "invalid":  # the error hides what the household would otherwise have been
        income_status = rng.choices(["candidate", "below_line", "above_limit"], [40, 10, 50])[0]
    if bound and bound[1] is None:  # three residents: the quotient rounds to the bound but is not on it
        members = residents = 3
        net = residents * abs(bound[2]) + (1 if bound[2] > 0 else -1)
    elif bound:
        net = bound[1] * residents
    else:
        net = per_capita_fen(rng, income_status) * residents
    incomes, expenses = split_income(rng, net, residents, income_status)
    assert sum(incomes) - sum(expenses) == net
    flags = [status == "excluded_dibao", status == "excluded_tekun",
             status == "excluded_registered" or (status == "excluded_dibao" and rng.random() < 0.2)]
    risk = rng.choice(DIFFICULTIES) if status != "above_limit" or rng.random() < 0.3 else ""
    if status == "excluded_tekun":
        risk = rng.choice(["缺劳力", "因病", "因残"])
    return {"status": status, "bound": bound, "name": rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2]))),
            "id": make_id(rng, used_ids), "phone": make_phone(rng),
            "members": members, "residents": residents, "incomes": incomes, "expenses": expenses,
            "net": net, "flags": flags, "risk": risk, "notes": "", "planted": []}


def money(fen):
    return fen // 100 if fen % 100 == 0 else fen / 100


def base_cells(h, flag_style):
    """The row as a clerk would type it without mistakes: {col: value}; str is text, int/float number."""
    yes, no = flag_style
    inc, exp = h["incomes"], h["expenses"]
    cells = {C_NAME: h["name"], C_ID: h["id"], C_PHONE: h["phone"], C_MEMBERS: h["members"],
             C_RESIDENTS: h["residents"], C_RISK: h["risk"], C_NOTES: h["notes"]}
    for col, fen in zip(MONEY_COLS, inc + [sum(inc)] + exp + [sum(exp)]):
        cells[col] = money(fen)
    for col, flag in zip((C_DIBAO, C_TEKUN, C_REG), h["flags"]):
        cells[col] = yes if flag else no
    return cells


def clerk_money(rng, yuan):
    """A whole-yuan amount typed as text the way clerks do."""
    forms = [f"{yuan:,}", f"{yuan}元", str(yuan).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})]
    if yuan % 100 == 0:
        forms.append(f"{(Decimal(yuan) / 10000).normalize():f}万")
    return rng.choice(forms)


def plant_error(rng, h, kind, used_ids):
    """Overwrite cells of one household with a §6 data error (or warning) and record its kind."""
    c = h["cells"]
    if kind == "blank_name":
        c[C_NAME] = ""
    elif kind == "id_checksum":
        c[C_ID] = h["id"][:17] + str((int(check_char(h["id"][:17]).replace("X", "10")) + rng.randint(1, 9)) % 10)
    elif kind == "id_as_number":
        if h["id"].endswith("X"):
            h["id"] = make_id(rng, used_ids)
        c[C_ID] = int(h["id"][:15]) * 1000  # what Excel keeps of an 18-digit number: 15 digits
    elif kind == "id_17_chars":
        c[C_ID] = h["id"][:10] + h["id"][11:]
    elif kind == "residents_zero":
        c[C_RESIDENTS] = 0
    elif kind == "residents_text":
        c[C_RESIDENTS] = "两人"
    elif kind == "money_text":
        c[C_WAGE], c[C_NOTES] = "见备注", "外出务工,收入待核"
    elif kind == "flag_unknown":
        c[C_DIBAO] = "不详"
    elif kind == "total_mismatch":
        c[C_TOTAL] = money(sum(h["incomes"])) + rng.choice([-1, 1]) * rng.randint(2, 50) * 100
    elif kind == "expenses_mismatch":
        c[C_EXPENSES] = money(sum(h["expenses"])) + rng.randint(2, 30) * 100
    elif kind == "negative_amount":  # a loss year typed as a negative farm income
        loss = -rng.randint(5, 30) * 100
        c[C_BUSINESS], c[C_TOTAL] = loss, money(sum(h["incomes"]) - h["incomes"][1] + loss * 100)
    elif kind == "residents_exceed_members":
        c[C_MEMBERS] = h["residents"] - 1
    elif kind == "phone_short":
        c[C_PHONE] = "1381234"
    h["planted"].append(kind)


def plant(rng, households, used_ids):
    """Errors on the invalid rows (two of them a cross-township duplicate), warnings and noise elsewhere."""
    invalid = [h for h in households if h["status"] == "invalid"]
    first, second = invalid[0], next(h for h in invalid if h["township"] != invalid[0]["township"])
    second["cells"][C_ID] = second["id"] = first["id"]
    first["planted"].append("duplicate_id")
    second["planted"].append("duplicate_id")
    rest = [h for h in invalid if h is not first and h is not second]
    for i, h in enumerate(rest):
        plant_error(rng, h, ERRORS[i % len(ERRORS)], used_ids)
    excluded = [h for h in households if h["status"].startswith("excluded_")]
    for h, kind in zip(rng.sample(excluded, 2), ["total_mismatch", "residents_text"]):
        plant_error(rng, h, kind, used_ids)  # still excluded: a clear 是 decides
    clean = [h for h in households if not h["planted"] and not h["bound"]]
    picks = rng.sample(clean, 66)
    for h in picks[:12]:
        plant_error(rng, h, WARNINGS[0] if h["residents"] >= 2 else WARNINGS[1], used_ids)
    for h in picks[12:16]:
        plant_error(rng, h, WARNINGS[1], used_ids)
    for h in picks[16:20]:  # spaces inside the ID: normalised, not an error
        h["cells"][C_ID], h["noise"] = f"{h['id'][:6]} {h['id'][6:14]} {h['id'][14:]}", "id_spaces"
    for h in picks[20:56]:
        cols = [c for c in (C_WAGE, C_BUSINESS, C_PROPERTY, C_TRANSFER)
                if isinstance(h["cells"][c], int) and h["cells"][c] >= 100]
        if cols:
            col = rng.choice(cols)
            h["cells"][col], h["noise"] = clerk_money(rng, h["cells"][col]), "money_text"
    for h in picks[56:66]:
        h["cells"][C_MEMBERS], h["noise"] = f"{h['members']}人", "count_text"
    with_x = [h for h in clean if h["id"].endswith("X") and not h["planted"] and "noise" not in h]
    for h in rng.sample(with_x, 5):  # lower-case x: normalised, not an error
        h["cells"][C_ID], h["noise"] = h["id"].lower(), "id_lower_x"


def header_rows(full_width):
    """(merges of plain headers, group headers, sub-headers) for rows 3-4 (0-based 2-3)."""
    fix = (lambda s: s.replace("(", "（").replace(")", "）")) if full_width else (lambda s: s)
    plain = [(i, fix(t)) for i, t in enumerate(COLUMNS)] + [(C_DIBAO + i, t) for i, t in enumerate(TAIL)]
    groups = [(C_WAGE, C_TOTAL, fix("家庭总收入(元)")), (C_COSTS, C_EXPENSES, fix("家庭生产经营性支出(元)"))]
    subs = list(zip(range(C_WAGE, C_EXPENSES + 1), INCOME + EXPENSE))
    return plain, groups, subs


def write_township(wb, fmt, township, households, full_width, rng, year=2019):
    ws = wb.add_worksheet(township)
    last = N_COLS - 1
    ws.merge_range(0, 0, 0, last, f"{COUNTY}{township}贫困边缘户入户登记汇总表", fmt["title"])
    ws.merge_range(1, 0, 1, last, f"填报单位:{township}人民政府    填报日期:{year}年12月", fmt["left"])
    plain, groups, subs = header_rows(full_width)
    for col, text in plain:
        ws.merge_range(2, col, 3, col, text, fmt["head"])
    for c0, c1, text in groups:
        ws.merge_range(2, c0, 2, c1, text, fmt["head"])
    for col, text in subs:
        ws.write_string(3, col, text, fmt["head"])
    row = 4
    for n, h in enumerate(households, 1):
        cells = {**dict(enumerate([n, COUNTY, township, h["village"], h["group"], h["household_no"]])), **h["cells"]}
        for col in range(N_COLS):
            value = cells.get(col, "")
            if isinstance(value, str) and value:
                ws.write_string(row, col, value, fmt["cell"])  # IDs, phones, codes stay text
            elif isinstance(value, str):
                ws.write_blank(row, col, None, fmt["cell"])
            else:
                ws.write_number(row, col, value, fmt["cell"])
        row += 1
    ws.write_string(row, 0, "合计", fmt["cell"])
    for col in MONEY_COLS:
        # A SUM as a county's sheet has it, its value what Excel shows: of the numbers typed above (a
        # planted error's cell included, a cell of text left out), not of the true incomes.
        typed = [h["cells"].get(col) for h in households]
        total = sum(v for v in typed if isinstance(v, (int, float)) and not isinstance(v, bool))
        letter = xlsxwriter.utility.xl_col_to_name(col)
        ws.write_formula(row, col, f"=SUM({letter}5:{letter}{row})", fmt["cell"], round(total, 2))
    ws.merge_range(row + 2, 0, row + 2, last, f"填表人:{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}"
                   f"    审核人:{rng.choice(SURNAMES)}{rng.choice(GIVEN)}    联系电话:0431-8{rng.randrange(10**6, 10**7)}",
                   fmt["left"])
    ws.set_row(2, 30)
    ws.set_row(3, 42)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 6, 9)
    ws.set_column(C_ID, C_PHONE, 20)
    ws.set_column(C_MEMBERS, C_ENUMERATOR, 10)
    ws.set_landscape()
    ws.set_paper(8)  # A3
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2, 3)
    ws.freeze_panes(4, 0)


def write_workbook(path, townships, rng, planted=None, year=2019):
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"title": f"{COUNTY}贫困边缘户入户登记汇总表", "author": f"{COUNTY}扶贫开发办公室",
                       "created": datetime(year, 12, 1)})
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter"}
    fmt = {"title": wb.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": "宋体"}),
           "left": wb.add_format({"font_name": "宋体", "font_size": 10}),
           "head": wb.add_format(dict(base, bold=True, align="center", text_wrap=True)),
           "cell": wb.add_format(base)}
    notes = wb.add_worksheet("填表说明")
    lines = ["填表说明", "1. 本表以行政村为单位入户调查填写,每户一行,由乡(镇)汇总后报县扶贫办。",
             "2. 身份证号码须填写18位,末位为X的用大写;请勿以数字格式录入。",
             "3. 收入、支出单位为元,保留到元;家庭总收入、家庭生产经营性支出合计须等于各分项之和。",
             "4. 农民年人均纯收入=(家庭总收入-家庭生产经营性支出)÷家庭常住人口数。",
             "5. 低保户、特困人员暂不列入贫困边缘户,但须如实登记。",
             "6. 常住人口指全年在家居住6个月以上的家庭成员。"]
    for i, text in enumerate(lines):
        notes.write_string(i, 0, text, fmt["title"] if i == 0 else fmt["left"])
    notes.set_column(0, 0, 90)
    for i, (township, households) in enumerate(townships.items()):
        write_township(wb, fmt, township, households, full_width=(i == 2), rng=rng, year=year)
    summary = wb.add_worksheet("汇总")
    summary.write_row(0, 0, ["乡镇名称", "村数(个)", "户数(户)", "人数(人)", "常住人数(人)"], fmt["head"])
    totals = [0, 0, 0, 0]
    for r, (township, households) in enumerate(townships.items(), 1):
        counts = [len({h["village"] for h in households}), len(households),
                  sum(h["members"] for h in households), sum(h["residents"] for h in households)]
        summary.write_row(r, 0, [township] + counts, fmt["cell"])
        totals = [a + b for a, b in zip(totals, counts)]
    summary.write_row(len(townships) + 1, 0, ["总计"] + totals, fmt["cell"])
    summary.set_column(0, 4, 14)
    if planted is not None:  # the first year's members (the second year's survey has none)
        write_members(wb, fmt, [h for hs in townships.values() for h in hs], planted)
    wb.close()


# ---------------------------------------------------------------------------------------------
# Members (家庭成员) and rosters (信息比对)

MEMBER_COLUMNS = ["序号", "乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号", "性别", "民族", "文化程度",
                  "在校生状况", "健康状况", "劳动技能", "是否常住"]
BLOCK_TOWNSHIP = "华家镇"  # its members are a printed form: under each 户主 row, no 户编号
AS_OF_YEAR = 2019
ILL = ["长期慢性病", "患有大病"]


def person_id(rng, born, male, used):
    """A new, unique, valid ID of a person born on ``born`` (odd sequence for men)."""
    while True:
        region = COUNTY_CODE if rng.random() < 0.9 else rng.choice(OTHER_REGIONS)
        seq = rng.randrange(1, 500) * 2 - (1 if male else 0)
        body = f"{region}{born:%Y%m%d}{seq:03d}"
        pid = body + check_char(body)
        if pid not in used:
            used.add(pid)
            return pid


def _born(rng, year):
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _person(rng, used, relation, year, male, surname):
    born = _born(rng, min(year, AS_OF_YEAR - 1))
    name = (surname if relation in ("子", "女", "孙子", "孙女") else rng.choice(SURNAMES)) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
    return {"name": name, "relation": relation, "id": person_id(rng, born, male, used), "born": born, "male": male,
            "health": "健康", "student": "非在校生", "resident": "是"}


def make_members(rng, h, used):
    """The members of one household: its head (the household's own ID and name), then a spouse,
    children, a parent or grandchildren as its size and the head's age allow; as many marked 常住 as
    the household has residents."""
    head_year = int(h["id"][6:10])
    head_male = int(h["id"][16]) % 2 == 1
    surname = h["name"][0]
    head = {"name": h["name"], "relation": "户主", "id": h["id"], "born": date(head_year, 1, 1), "male": head_male,
            "health": "健康", "student": "非在校生", "resident": "是"}
    people = [head]
    n = h["members"]
    if n >= 2 and h["risk"] == "因学":  # the student the difficulty is about
        male = rng.random() < 0.5
        people.append(_person(rng, used, "子" if male else "女", max(head_year + 22, 1999), male, surname))
    if len(people) < n:
        people.append(_person(rng, used, "配偶", head_year + rng.randint(-4, 4), not head_male, surname))
    parent_ok = head_year >= 1965
    while len(people) < n:
        if parent_ok and not any(p["relation"] in ("父亲", "母亲") for p in people) and rng.random() < 0.4:
            male = rng.random() < 0.4
            people.append(_person(rng, used, "父亲" if male else "母亲", max(1930, head_year - rng.randint(24, 32)),
                                  male, surname))
            continue
        children = [p for p in people if p["relation"] in ("子", "女")]
        if head_year <= 1958 and children and rng.random() < 0.5:
            male = rng.random() < 0.5
            people.append(_person(rng, used, "孙子" if male else "孙女", head_year + rng.randint(46, 58), male, surname))
            continue
        male = rng.random() < 0.5
        people.append(_person(rng, used, "子" if male else "女", head_year + rng.randint(22, 36), male, surname))
    for p in people:
        age = AS_OF_YEAR - p["born"].year
        if p["relation"] in ("子", "女", "孙子", "孙女") and 6 <= age <= 22:
            p["student"] = "小学" if age <= 12 else "初中" if age <= 15 else "普通高中" if age <= 18 else "本科"
        elif age < 6:
            p["student"] = "学龄前儿童"
    risk = h["risk"]
    others = people[1:] or people
    if risk == "因残":
        rng.choice(others)["health"] = "残疾"
    elif risk == "因病":
        rng.choice(people)["health"] = rng.choice(ILL)
    elif risk == "因学" and not any(p["student"] not in ("非在校生", "学龄前儿童") for p in people):
        kids = [p for p in people if p["relation"] in ("子", "女", "孙子", "孙女")]
        if kids:
            rng.choice(kids)["student"] = rng.choice(["普通高中", "中职", "本科"])
        else:  # a household of one (or of adults only) that names 因学: the head studies (no draw)
            head["student"] = "成人本科"
    away = n - h["residents"]
    for p in [p for p in reversed(people) if p is not head][:max(0, away)]:
        p["resident"] = "否"
    if h["status"] == "excluded_tekun":  # 特困供养: no one in the household can work (no draw)
        for p in people:
            p["no_labour"] = True
    return people


def add_members(households, used_ids):
    """Every household's members (their own random stream), then the planted member problems; returns
    what was planted, by name."""
    rng = Random(2020)
    for h in households:
        h["people"] = make_members(rng, h, used_ids)
    planted = {}
    linked = [h for h in households if h["township"] != BLOCK_TOWNSHIP]
    plain = [h for h in linked if h["status"] == "above_limit" and not h["planted"] and "noise" not in h
             and not h["bound"] and len(h["people"]) >= 3]
    picks = rng.sample(plain, 4)
    # two heads; no head; a spouse of 13; a 因残 household without a disabled member
    next(p for p in picks[0]["people"] if p["relation"] == "配偶")["relation"] = "户主"
    picks[1]["people"] = picks[1]["people"][1:]
    spouse = next(p for p in picks[2]["people"] if p["relation"] == "配偶")
    spouse["born"] = date(2006, 5, 1)
    spouse["id"] = person_id(rng, spouse["born"], spouse["male"], used_ids)
    for p in picks[3]["people"]:
        p["health"] = "健康"
    picks[3]["cells"][C_RISK] = picks[3]["risk"] = "因残"
    planted.update(two_heads=picks[0], head_missing=picks[1], young_spouse=picks[2], no_disabled=picks[3])
    # one person in two households: two that are invalid already (the error adds to theirs)
    invalid = [h for h in linked if h["status"] == "invalid" and "duplicate_id" not in h["planted"]
               and len(h["people"]) >= 2]
    # (the 4th and the 8th where there are as many: the sample's own county; a small one takes the first two)
    first, second = (invalid[3], invalid[7]) if len(invalid) > 7 else (invalid[0], invalid[1])
    shared = dict(first["people"][-1])
    second["people"].append(shared)
    planted.update(two_households=(first, second))
    # a member row whose 户编号 no household has
    planted["orphan"] = {"name": "孙立春", "relation": "子", "id": person_id(rng, date(1999, 4, 2), True, used_ids),
                         "born": date(1999, 4, 2), "male": True, "health": "健康", "student": "本科", "resident": "否",
                         "household_no": f"{COUNTY_CODE}019999"}
    # a candidate whose 家庭常住人口数 is left blank: counted from its members' 是否常住
    candidates = [h for h in linked if h["status"] == "candidate" and not h["planted"] and "noise" not in h
                  and not h["bound"] and h["residents"] >= 2]
    blank = rng.choice(candidates)
    blank["cells"][C_RESIDENTS] = ""
    planted["residents_blank"] = blank
    return planted


def write_members(wb, fmt, households, planted):
    """家庭成员 (three townships, 户编号 on every row) and 华家镇家庭成员 (a printed form: a title,
    members under their 户主 row, no 户编号; the head's ID as the survey has it)."""
    def cells(p):
        age = AS_OF_YEAR - p["born"].year
        education = "小学" if age < 12 else rng_free_education(p)
        labour = "无劳动力" if age < 16 or age >= 70 else \
            ("丧失劳动力" if p["health"] == "残疾" or p.get("no_labour") else "普通劳动力")
        return [p["name"], p["relation"], p["id"], "男" if p["male"] else "女", "汉族", education, p["student"],
                p["health"], labour, p["resident"]]

    ws = wb.add_worksheet("家庭成员")
    for c, text in enumerate(MEMBER_COLUMNS):
        ws.write_string(0, c, text, fmt["head"])
    r, n = 1, 0
    for h in households:
        if h["township"] == BLOCK_TOWNSHIP:
            continue
        for p in h["people"]:
            n += 1
            _member_row(ws, r, [n, h["township"], h["village"], h["household_no"], *cells(p)], fmt)
            r += 1
    orphan = planted["orphan"]
    n += 1
    _member_row(ws, r, [n, "合隆镇", "前岗村", orphan["household_no"], *cells(orphan)], fmt)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 5, 10)
    ws.set_column(6, 6, 20)
    ws.set_column(7, 13, 9)
    ws.freeze_panes(1, 0)

    ws = wb.add_worksheet(f"{BLOCK_TOWNSHIP}家庭成员")
    columns = [c for c in MEMBER_COLUMNS if c != "户编号"]
    ws.merge_range(0, 0, 0, len(columns) - 1, f"{COUNTY}{BLOCK_TOWNSHIP}贫困边缘户家庭成员登记表", fmt["title"])
    for c, text in enumerate(columns):
        ws.write_string(1, c, text, fmt["head"])
    r, n = 2, 0
    for h in households:
        if h["township"] != BLOCK_TOWNSHIP:
            continue
        typed = h["cells"][C_ID]
        for p in h["people"]:
            n += 1
            row = [n, h["township"], h["village"], *cells(p)]
            if p["relation"] == "户主":  # the head's ID as the survey has it (a typing error there, here too)
                row[5] = typed
            _member_row(ws, r, row, fmt)
            r += 1
    ws.set_column(0, 0, 5)
    ws.set_column(1, 4, 10)
    ws.set_column(5, 5, 20)
    ws.set_column(6, 12, 9)


def rng_free_education(p):
    """文化程度 from the birth year alone (no random draw: the members stay as drawn)."""
    year = p["born"].year
    return "小学" if year < 1950 else "初中" if year < 1975 else "高中" if year < 1990 else "大专及以上"


def _member_row(ws, r, values, fmt):
    for c, value in enumerate(values):
        if isinstance(value, str):
            ws.write_string(r, c, value, fmt["cell"])
        else:
            ws.write_number(r, c, value, fmt["cell"])


def _roster_workbook(path, sheet, title, header, rows):
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": datetime(2019, 12, 1)})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet(sheet)
    r = 0
    if title:
        ws.write_string(0, 0, title, bold)
        r = 1
    for c, text in enumerate(header):
        ws.write_string(r, c, text, bold)
    for i, row in enumerate(rows, r + 1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(i, c, value)
            else:
                ws.write_number(i, c, value)
    ws.set_column(0, len(header) - 1, 14)
    wb.close()


def _roster_csv(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_rosters(folder, households, planted, used_ids):
    """The rosters of rosters/, their own random stream. What each shows is in the module's docstring."""
    rng = Random(2021)
    os.makedirs(folder, exist_ok=True)
    linked = [h for h in households if h["township"] != BLOCK_TOWNSHIP]

    def outsider(year=None):
        year = year or rng.randint(1940, 1995)
        male = rng.random() < 0.5
        return {"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "id": person_id(rng, _born(rng, year), male, used_ids), "male": male}

    def clean(status, need=None, exclude=()):
        return [h for h in linked if h["status"] == status and not h["planted"] and "noise" not in h
                and not h["bound"] and h not in exclude and (need is None or need(h))]

    candidates = [h for h in clean("candidate", lambda h: len(h["people"]) >= 3 and h["residents"] >= 2)
                  if h is not planted["residents_blank"]]
    said_no, cars1, cars2, dead, cadre, lead = rng.sample(candidates, 6)
    planted.update(said_no=said_no, vehicle=(cars1, cars2), deceased=dead, cadre=cadre, lead=lead)

    # 低保: every member of the households that said 是, the spouse of one that said 否; three old
    # 15-digit IDs, two IDs with a typing error.
    rows = []
    dibao = [h for h in households if h["status"] == "excluded_dibao"]
    for h in dibao:
        for p in h["people"]:
            rows.append([h["township"], h["village"], p["name"], p["id"], p["relation"], rng.randint(380, 520),
                         "2019-01-01至2019-12-31"])
    spouse = next(p for p in said_no["people"] if p["relation"] == "配偶")
    rows.append([said_no["township"], said_no["village"], spouse["name"], spouse["id"], "户主", 455,
                 "2019-07-01至2019-12-31"])
    for row in rng.sample([r for r in rows if r[3][6:8] == "19" and not r[3].endswith("X")], 3):
        row[3] = row[3][:6] + row[3][8:17]  # the 15-digit ID of before 1999
    for row in rng.sample(rows, 2):
        rows.append([row[0], row[1], row[2] + "某", row[3][:17] + ("0" if row[3][17] != "0" else "1"), "配偶", 400,
                     "2019-01-01至2019-12-31"])
    rows = [[i, *r] for i, r in enumerate(rows, 1)]
    _roster_workbook(os.path.join(folder, "低保对象名单.xlsx"), "低保对象", f"{COUNTY}农村低保对象花名册(2019年12月)",
                     ["序号", "乡镇", "村", "姓名", "身份证号", "与户主关系", "月保障金额(元)", "在保起止日期"], rows)

    # 特困: the heads of the households that said 是 (a CSV export).
    rows = [[h["township"], h["village"], h["name"], h["id"], "分散供养", rng.randint(5200, 6400)]
            for h in households if h["status"] == "excluded_tekun"]
    _roster_csv(os.path.join(folder, "特困供养人员.csv"),
                ["乡镇", "村", "姓名", "身份证号", "供养方式", "年供养标准(元)"], rows)

    # 车辆: a member of two candidates among 300 owners from elsewhere.
    rows = []
    for h in (cars1, cars2):
        p = h["people"][1]
        rows.append([p["name"], p["id"], f"吉A{rng.randint(10000, 99999)}", "小型轿车", "2018-05-20"])
    for _ in range(300):
        o = outsider()
        rows.append([o["name"], o["id"], f"吉A{rng.randint(10000, 99999)}", rng.choice(["小型轿车", "小型普通客车"]),
                     f"20{rng.randint(10, 19)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"])
    rng.shuffle(rows)
    _roster_csv(os.path.join(folder, "机动车登记.csv"), ["所有人", "身份证号", "号牌号码", "车辆类型", "初次登记日期"], rows)

    # 死亡: a member of a candidate, still marked 常住; and others of the county.
    p = min((p for p in dead["people"] if p["relation"] != "户主" and p["resident"] == "是"), key=lambda p: p["born"])
    rows = [[dead["township"], dead["village"], p["name"], p["id"], "2019-08-14", "死亡注销"]]
    for _ in range(40):
        o = outsider(rng.randint(1925, 1950))
        rows.append(["合隆镇", "东兴村", o["name"], o["id"], f"2019-0{rng.randint(1, 9)}-{rng.randint(10, 28)}", "死亡注销"])
    _roster_workbook(os.path.join(folder, "死亡人员名单.xlsx"), "户籍注销", None,
                     ["乡镇", "村", "姓名", "身份证号", "死亡日期", "注销原因"], rows)

    # 残疾: the disabled members, and the 因残 household that lists none (the roster bears it out).
    borne = max((h for h in linked if h["risk"] == "因残" and h is not planted["no_disabled"]
                 and len(h["people"]) >= 2 and not h["planted"]), key=lambda h: h["household_no"])
    for q in borne["people"]:
        q["health"] = "健康"
    rows = [[h["village"], p["name"], p["id"], rng.choice(["肢体", "视力", "听力"]), rng.choice(["二级", "三级", "四级"])]
            for h in households for p in h["people"] if p["health"] == "残疾"]
    rows.append([borne["village"], borne["people"][1]["name"], borne["people"][1]["id"], "肢体", "三级"])
    planted["borne_out"] = borne
    _roster_workbook(os.path.join(folder, "残疾人名单.xlsx"), "持证残疾人", "持证残疾人花名册",
                     ["村", "姓名", "身份证号", "残疾类别", "残疾等级"], rows)

    # 医保自付: a member of every 因病 candidate.
    rows = [[p["name"], p["id"], rng.randint(8000, 30000)]
            for h in households if h["risk"] == "因病" and h["status"] == "candidate"
            for p in h["people"][:1]]
    _roster_csv(os.path.join(folder, "医保大额自付.csv"), ["姓名", "公民身份号码", "个人自付金额(元)"], rows)

    # 村干部亲属: a relative by ID, and one by name alone in the same village.
    relative = cadre["people"][-1]
    named = lead["people"][-1]
    rows = [[cadre["township"], cadre["village"], "某书记", "村党支部书记", relative["name"], "侄子", relative["id"]],
            [lead["township"], lead["village"], "某主任", "村委会主任", named["name"], "外甥", ""]]
    _roster_workbook(os.path.join(folder, "村干部亲属.xlsx"), "近亲属", "村干部及其近亲属登记表",
                     ["乡镇", "村", "村干部姓名", "职务", "亲属姓名", "与村干部关系", "身份证号"], rows)


def generate(path, total, second_year=None, roster_folder=None):
    rng = Random(2019)
    used_ids = set()
    plan, bounds = plan_statuses(rng, total)
    townships, i = {t: [] for t in TOWNSHIPS}, 0
    for township, village, count in lay_out(rng, total):
        v_no = TOWNSHIPS[township].index(village) + 1
        t_idx = list(TOWNSHIPS).index(township) + 1
        for seq in range(1, count + 1):
            h = make_household(rng, used_ids, plan[i], bounds.get(i))
            h.update(township=township, village=village, group=f"{min(8, seq * 8 // count + 1)}组",
                     household_no=f"{COUNTY_CODE}{t_idx:02d}{v_no:02d}{seq:03d}")
            flag_style = rng.choices([("是", "否"), ("√", "×"), ("Y", "N")], [94, 3, 3])[0]
            h["cells"] = base_cells(h, flag_style)
            townships[township].append(h)
            i += 1
    households = [h for hs in townships.values() for h in hs]
    plant(rng, households, used_ids)
    assign_enumerators(townships)
    # The second year is drawn (deep copies) before the members are added: it stays as it was, and
    # the first year's members and rosters come from their own random streams after it.
    second = next_year(townships, used_ids) if second_year else None
    planted = add_members(households, used_ids)
    write_rosters(roster_folder or os.path.join(os.path.dirname(os.path.abspath(path)), "rosters"),
                  households, planted, used_ids)
    write_workbook(path, townships, rng, planted)
    if second_year:
        write_workbook(second_year, second, Random(2021), year=2020)
    return households


def next_year(townships, used_ids):
    """The county a year on: see the module's docstring. Its own random stream (seed 2020)."""
    rng = Random(2020)
    out = {}
    for township, households in townships.items():
        kept = []
        # In every village the second clean candidate moves away and the third's head changes (so that
        # the register's year two meets both wherever it looks), besides those drawn at random.
        seen = {}
        for h in households:
            clean = not (h["planted"] or "noise" in h or h["bound"])
            nth = seen[h["village"]] = seen.get(h["village"], 0) + (clean and h["status"] == "candidate")
            if rng.random() < 0.015 or (clean and h["status"] == "candidate" and nth == 2):  # moved away
                continue
            h = copy.deepcopy(h)
            kept.append(h)
            if not clean:
                continue
            c = h["cells"]
            grow = rng.uniform(1.01, 1.07) if rng.random() < 0.8 else rng.uniform(0.85, 0.97)
            h["incomes"] = [round(fen * grow / 100) * 100 for fen in h["incomes"]]
            for col, fen in zip(MONEY_COLS, h["incomes"] + [sum(h["incomes"])] + h["expenses"] + [sum(h["expenses"])]):
                c[col] = money(fen)
            if h["members"] >= 2 and rng.random() < 0.03:  # a member died
                if h["residents"] == h["members"]:  # a member living at home
                    h["residents"] -= 1
                h["members"] -= 1
                h["residents"] = max(1, min(h["residents"], h["members"]))
                c[C_MEMBERS], c[C_RESIDENTS] = h["members"], h["residents"]
            heir = h["status"] == "candidate" and nth == 3
            if h["members"] >= 2 and (rng.random() < 0.01 or heir):  # the head died or handed over: a son or the spouse
                h["name"] = h["name"][0] + "".join(rng.choice(GIVEN) for _ in range(2))
                h["id"] = make_id(rng, used_ids)
                c[C_NAME], c[C_ID] = h["name"], h["id"]
        village_rows = {}
        for h in kept:
            village_rows.setdefault(h["village"], []).append(h)
        t_idx = list(TOWNSHIPS).index(township) + 1
        for village, rows in village_rows.items():  # a new household here and there (分户, a return)
            for k in range(1 if rng.random() < 0.5 else 0):
                h = make_household(rng, used_ids, "candidate", None)
                v_no = TOWNSHIPS[township].index(village) + 1
                h.update(township=township, village=village, group=rows[-1]["group"],
                         household_no=f"{COUNTY_CODE}{t_idx:02d}{v_no:02d}{900 + k:03d}")
                h["cells"] = base_cells(h, ("是", "否"))
                h["cells"][C_ENUMERATOR] = rows[-1]["cells"].get(C_ENUMERATOR, "")
                rows.append(h)
        out[township] = [h for rows in village_rows.values() for h in rows]
    return out


def assign_enumerators(townships):
    """Two enumerators (填表人) per village, each surveying half of its groups. Their own random
    stream: the households drawn above stay exactly as they were before the column existed."""
    rng = Random(1949)
    for households in townships.values():
        for village in dict.fromkeys(h["village"] for h in households):
            mine = [h for h in households if h["village"] == village]
            names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(2)]
            for n, h in enumerate(mine):
                h["cells"][C_ENUMERATOR] = names[0] if n < len(mine) // 2 else names[1]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default=os.path.join(here, "changchun-sample.xlsx"))
    parser.add_argument("--households", type=int, default=2400)
    parser.add_argument("--second-year", default=None,
                        help="where the second year (income year 2020) goes (default: beside the workbook, "
                             "its name with -2020); '' for none")
    parser.add_argument("--rosters", default=None, help="where the rosters go (default: rosters/ beside the workbook)")
    args = parser.parse_args()
    if args.households < 600:
        parser.error("--households must be at least 600 (the planted categories need room)")
    if args.second_year is None:  # beside the workbook made: a county made elsewhere leaves the sample's alone
        stem, suffix = os.path.splitext(args.output)
        args.second_year = f"{stem}-2020{suffix}"
    households = generate(args.output, args.households, args.second_year or None, args.rosters)
    status = Counter(h["status"] for h in households)
    errors = Counter(k for h in households if h["status"] == "invalid" for k in h["planted"])
    on_excluded = Counter(k for h in households if h["status"].startswith("excluded_")
                          for k in h["planted"] if k not in WARNINGS)
    warnings = Counter(k for h in households for k in h["planted"] if k in WARNINGS)
    noise = Counter(h["noise"] for h in households if "noise" in h)
    print(f"{args.output}: {len(households)} households; expected status {dict(status)}; on-bound {len(BOUND_CASES)}; "
          f"errors {dict(errors)}; errors on excluded rows {dict(on_excluded)}; warnings {dict(warnings)}; "
          f"noise (not errors) {dict(noise)}")


if __name__ == "__main__":
    main()
