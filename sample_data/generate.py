"""Generate ``changchun-sample.xlsx``: a synthetic county survey of 贫困边缘户 (poverty-edge households).

The workbook imitates what a county in Changchun sends up: 农安县 (220122), one worksheet per township
(合隆镇, 烧锅镇, 高家店镇, 华家镇; 24 villages, about 2,400 households), each laid out for printing with a
merged title, a 填报单位/填报日期 line, a two-row merged header with the 家庭总收入(元) and
家庭生产经营性支出(元) groups, a 合计 row and a 填表人/审核人 footer; plus a "填表说明" sheet first and a
"汇总" sheet last, neither with a household header.

Every status of the changchun-2019 rule set (lower bound 3218 exclusive, upper bound 4000 exclusive) is
planted in meaningful numbers, including households exactly on a bound and one fen away, and about
2.5% of rows carry the data errors of domain.md §6 (plus a few warnings and clerk typing noise that is
not an error). All names, ID numbers and phone numbers are invented; ID check digits follow GB 11643.

Regenerate (deterministic: fixed seed, fixed workbook timestamps):

    python sample_data/generate.py [-o PATH] [--households N] [--second-year PATH]

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
        fen = sum((h["incomes"] + [sum(h["incomes"])] + h["expenses"] + [sum(h["expenses"])])[col - C_WAGE]
                  for h in households)
        ws.write_number(row, col, money(fen), fmt["cell"])
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


def write_workbook(path, townships, rng, year=2019):
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
    wb.close()


def generate(path, total, second_year=None):
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
    write_workbook(path, townships, rng)
    if second_year:
        write_workbook(second_year, next_year(townships, used_ids), Random(2021), year=2020)
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
    parser.add_argument("--second-year", default=os.path.join(here, "changchun-sample-2020.xlsx"),
                        help="where the second year (income year 2020) goes; '' for none")
    args = parser.parse_args()
    if args.households < 600:
        parser.error("--households must be at least 600 (the planted categories need room)")
    households = generate(args.output, args.households, args.second_year or None)
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
