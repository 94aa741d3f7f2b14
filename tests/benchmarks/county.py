"""Generated county surveys for the benchmarks: one sheet of households as a county office sends it.

    python tests/benchmarks/county.py --profile clean -n 100000 --describe
    python tests/benchmarks/county.py --profile messy -n 1000000 --format csv --data /tmp/edgescreen-bench

Profiles (issue 11):

- `clean`  a county that looks like the field, with no planted error. Income components shaped like
  the 2019 national rural figures per resident (国家统计局 2019 年统计公报: disposable income 16,021
  yuan; wages 6,583, net business 5,762, net property 377, net transfer 3,298), built per household
  from who lives in it: elderly heads without wages and with a pension, members away working who
  send money home (transfer income, as the statistics count it), farms with their costs, bank
  interest of tens of yuan, land rented out. Household sizes as in rural Jilin (about 2.7 registered
  members; many 2-person elderly households). Optional columns (联系电话, 户编号, 村民小组, 主要困难,
  备注, 家庭人口数) left blank in whole villages. Valid IDs, heads aged 25-90, mobile numbers, a few
  landlines or blanks; 低保/特困/建档立卡 among the poorest, each with its allowance as transfer income.
- `poor`   a second realistic county with no planted error, poorer and older (Jilin's west: 白城,
  松原): heads older, fewer wage earners at home and lower wages, more land a member at lower yields
  and more of it rented out, more 低保 and 建档立卡 households, and a dry summer that cut the harvest of
  one village in eight to 30–60 % while its costs were spent (net income 11,317 yuan a resident,
  against clean's 15,503). So that a warning's rate is measured on more than one realistic spread.
- `messy` clean, but every household's 财产性收入 cell is blank (its total counts no property income)
  and every tenth head ID is one Excel stored as a number: `2.20122197001014e+17` as text in CSV, a
  float in .xlsx (15 significant digits, as Excel keeps them).
- `blank_totals` clean, but the 家庭总收入 column is blank in every row (components filled).
- `sums`   clean, but in .xlsx each household's 家庭总收入 and 家庭生产经营性支出 is a formula, =SUM of its
  components on its own row, saved with its value as Excel saves it (a county's own form adds its
  totals up so); a CSV is clean's.
- `legacy` the generator of issue 6 unchanged, so old figures stay reproducible: per-capita income
  log-normal around 11,000 yuan, split into components afterwards; about 1 % of rows with an error.

Every profile is deterministic for a given seed and size. The file layout is the one counties print:
a title row, a 填报单位 line, a one-row header of 25 columns, the households, a 合计 row with the sums
(legacy: a bare 合计 in .xlsx, none in CSV, as before). Generation is vectorised: a million clean
households take a few seconds before writing.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

PROFILES = ("clean", "poor", "messy", "blank_totals", "sums", "legacy")
# Part of every generated file's name: change it when a profile's data changes, so a stale file in
# the data folder is not reused for new figures.
PROFILE_VERSION = {"clean": 1, "poor": 1, "messy": 1, "blank_totals": 1, "sums": 1, "legacy": 1}

HEADERS = ["序号", "县(市、区)", "乡(镇)", "行政村", "村民小组", "户编号", "户主姓名", "户主身份证号", "联系电话",
           "家庭人口数(人)", "家庭常住人口数(人)", "工资性收入(元)", "家庭经营收入(元)", "财产性收入(元)",
           "转移性收入(元)", "家庭总收入(元)", "家庭经营费用支出(元)", "生产性固定资产折旧(元)",
           "税金和上交承包费用(元)", "家庭生产经营性支出(元)", "是否低保户", "是否特困人员",
           "是否建档立卡贫困户", "主要困难", "备注"]
TEXT_COLUMNS = {"县(市、区)", "乡(镇)", "行政村", "村民小组", "户编号", "户主姓名", "户主身份证号", "联系电话",
                "是否低保户", "是否特困人员", "是否建档立卡贫困户", "主要困难", "备注"}
MONEY_COLUMNS = [h for h in HEADERS if h.endswith("(元)")]
COUNT_COLUMNS = ["家庭人口数(人)", "家庭常住人口数(人)"]
COUNTY = "农安县"
TITLE = "农安县贫困边缘户入户登记汇总表"
FILED_BY = "填报单位:农安县扶贫开发办公室    填报日期:2019年12月"

SURNAMES = list("王李张刘赵孙杨于高徐马郭周吴朱陈宋董姜韩曲任范付白邵崔")
GIVEN = list("国玉宝立春秋桂凤海明志福德永长文贵淑华金山林平庆忠芳兰英军红学利成")
PLACE = list("东西南北前后新兴太平永安长山双三宝胜利红星富民团结八里四五家子城堡升农合隆靠德")
DIFFICULTIES = np.array(["因病", "因残", "缺劳力", "缺技术", "因学", "缺资金", "自身发展动力不足"])
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))
REGIONS = np.array(["220122", "220122", "220122", "220122", "220102", "220112", "220182", "220183"])


def _pick(rng: np.random.Generator, choices, n: int) -> np.ndarray:
    return np.asarray(choices, dtype=object)[rng.integers(0, len(choices), n)]


def _cat(*parts) -> np.ndarray:
    out = np.asarray(parts[0], dtype=object)
    for p in parts[1:]:
        out = out + np.asarray(p, dtype=object)
    return out


def _digits(values: np.ndarray, width: int = 0) -> np.ndarray:
    """Integers as decimal text (zero-padded to width), as an object array."""
    text = np.asarray(values).astype(np.int64).astype(str)
    return (np.char.zfill(text, width) if width else text).astype(object)


def _with_check_character(body: np.ndarray) -> np.ndarray:
    """17-digit bodies + their GB 11643 (ISO 7064 MOD 11-2) check character."""
    digits = np.frombuffer("".join(body).encode(), dtype=np.uint8).reshape(len(body), 17).astype(np.int64) - 48
    return body + ID_CHECK[(digits @ ID_WEIGHTS) % 11].astype(object)


# --------------------------------------------------------------------------------------------------
# legacy: the generator of issue 6, unchanged

def legacy_households(n: int, seed: int = 2019) -> pd.DataFrame:
    """n households as a clerk's sheet would hold them (25 columns; money as integers)."""
    rng = np.random.default_rng(seed)
    # Villages of 150-450 households, about 12 to a township.
    sizes = rng.integers(150, 451, n // 150 + 2)
    village_of = np.repeat(np.arange(len(sizes)), sizes)[:n]
    n_villages = village_of.max() + 1
    village_names = _cat(_pick(rng, PLACE, n_villages), _pick(rng, PLACE, n_villages), "村")
    village_names = village_names + np.char.mod("%d", np.arange(n_villages)).astype(object)  # unique
    township_of_village = np.arange(n_villages) // 12
    n_town = township_of_village.max() + 1
    township_names = _cat(_pick(rng, PLACE, n_town), _pick(rng, PLACE, n_town), "镇")
    township_names = township_names + np.char.mod("%d", np.arange(n_town)).astype(object)
    seq_in_village = np.arange(n) - np.searchsorted(village_of, village_of)

    # ID numbers: unique, valid check characters, heads born 1940-2000.
    days = 60 * 365
    keys = pd.unique(rng.integers(0, days * 999, int(n * 1.05) + 100))[:n]
    born = np.datetime64("1940-01-01") + (keys // 999).astype("timedelta64[D]")
    seq = keys % 999 + 1
    body = _cat(_pick(rng, REGIONS, n), pd.Series(born).dt.strftime("%Y%m%d").to_numpy(dtype=object),
                np.char.zfill(np.char.mod("%d", seq), 3).astype(object))
    digits = np.frombuffer("".join(body).encode(), dtype=np.uint8).reshape(n, 17).astype(np.int64) - 48
    ids = body + ID_CHECK[(digits @ ID_WEIGHTS) % 11].astype(object)

    members = rng.choice([1, 2, 3, 4, 5, 6], n, p=[0.08, 0.30, 0.26, 0.20, 0.11, 0.05])
    away = (rng.random(n) < 0.15) & (members > 1)
    residents = members - away * rng.integers(1, 3, n).clip(max=np.maximum(members - 1, 1))
    residents = np.maximum(residents, 1)
    per_capita = np.exp(rng.normal(np.log(11000), 0.6, n))
    net = np.round(per_capita * residents).astype(np.int64)
    transfer = np.minimum(net, (rng.random(n) < 0.85) * rng.integers(1, 25, n) * 100)
    rest = net - transfer
    prop = np.where((rng.random(n) < 0.15) & (rest > 3000), rng.integers(5, 40, n) * 100, 0)
    rest -= prop
    wage = np.where((rng.random(n) < 0.55) & (rest > 300), (rest * rng.uniform(0.2, 0.9, n)) // 100 * 100, 0).astype(np.int64)
    rest -= wage
    ratio = rng.uniform(0.30, 0.50, n)
    business = np.where(rest > 0, np.round(rest / (1 - ratio)), 0).astype(np.int64)
    expenses = business - rest
    wage = np.where(rest < 0, wage + rest, wage)  # never negative business income
    business = np.where(rest < 0, 0, business)
    expenses = np.where(rest < 0, 0, expenses)
    deprec = expenses * rng.integers(8, 16, n) // 100
    taxes = np.where(expenses - deprec > 800, rng.choice([0, 0, 0, 200, 300, 500], n), 0)
    costs = expenses - deprec - taxes

    u = rng.random(n)
    dibao, tekun, registered = u < 0.04, (u >= 0.04) & (u < 0.05), (u >= 0.05) & (u < 0.08)
    yes_no = lambda b: np.where(b, "是", "否").astype(object)
    names = _cat(_pick(rng, SURNAMES, n), _pick(rng, GIVEN, n),
                 np.where(rng.random(n) < 0.6, _pick(rng, GIVEN, n), ""))
    phones = _cat("1", _pick(rng, list("358"), n), np.char.zfill(np.char.mod("%d", rng.integers(0, 10**9, n)), 9))
    frame = pd.DataFrame({
        "序号": seq_in_village + 1,
        "县(市、区)": "农安县",
        "乡(镇)": township_names[township_of_village[village_of]],
        "行政村": village_names[village_of],
        "村民小组": _cat(np.char.mod("%d", rng.integers(1, 9, n)).astype(object), "组"),
        "户编号": _cat("2201220", np.char.zfill(np.char.mod("%d", np.arange(n)), 8).astype(object)),
        "户主姓名": names,
        "户主身份证号": ids,
        "联系电话": np.where(rng.random(n) < 0.04, "", phones),
        "家庭人口数(人)": members,
        "家庭常住人口数(人)": residents,
        "工资性收入(元)": wage.astype(np.int64),
        "家庭经营收入(元)": business,
        "财产性收入(元)": prop,
        "转移性收入(元)": transfer,
        "家庭总收入(元)": wage.astype(np.int64) + business + prop + transfer,
        "家庭经营费用支出(元)": costs,
        "生产性固定资产折旧(元)": deprec,
        "税金和上交承包费用(元)": taxes,
        "家庭生产经营性支出(元)": expenses,
        "是否低保户": yes_no(dibao),
        "是否特困人员": yes_no(tekun),
        "是否建档立卡贫困户": yes_no(registered),
        "主要困难": np.where(rng.random(n) < 0.3, _pick(rng, DIFFICULTIES, n), ""),
        "备注": "",
    })
    # About 1 % of rows carry a data error a county would have to fix.
    bad = rng.random(n)
    frame = frame.astype({c: object for c in frame.columns})
    at = lambda lo, hi: (bad >= lo) & (bad < hi)
    frame.loc[at(0, 0.004), "户主身份证号"] = [i[:17] + ("0" if i[17] != "0" else "1")
                                          for i in frame.loc[at(0, 0.004), "户主身份证号"]]
    frame.loc[at(0.004, 0.007), "工资性收入(元)"] = "见备注"
    frame.loc[at(0.007, 0.009), "户主姓名"] = ""
    frame.loc[at(0.009, 0.010), "家庭常住人口数(人)"] = 0
    return frame


# --------------------------------------------------------------------------------------------------
# clean: households built from who lives in them

# Heads' ages (at the end of the survey year): rural heads are old, the young have left.
AGE_BANDS = np.array([(25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 90)])
AGE_BAND_SHARES = [0.07, 0.13, 0.25, 0.27, 0.18, 0.10]
# Registered members by the head's age group (<35, 35-54, 55-64, 65+): elderly couples and widows
# alone, three-generation households rare. Gives about 2.7 members, 2.4 residents.
SIZES_BY_AGE_GROUP = {
    0: ([1, 2, 3, 4, 5], [0.08, 0.20, 0.42, 0.24, 0.06]),
    1: ([1, 2, 3, 4, 5, 6], [0.06, 0.20, 0.36, 0.25, 0.09, 0.04]),
    2: ([1, 2, 3, 4, 5, 6], [0.10, 0.50, 0.20, 0.12, 0.06, 0.02]),
    3: ([1, 2, 3, 4, 5], [0.30, 0.56, 0.08, 0.04, 0.02]),
}
# Heads from elsewhere keep their birthplace's code: 德惠, 榆树, 九台 (its pre-2014 code), 公主岭, 延吉.
HEAD_REGIONS = np.array(["220122", "220183", "220182", "220181", "220381", "222401"])
HEAD_REGION_SHARES = [0.93, 0.02, 0.02, 0.01, 0.01, 0.01]
MOBILE_PREFIXES = np.array(["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                            "152", "155", "156", "157", "158", "159", "166", "176", "177", "180", "181",
                            "182", "186", "187", "188", "189", "198", "199"])
NOTES = np.array(["子女在外务工", "长期患病", "独居老人", "土地已流转", "残疾", "种植大户", "租房居住"])
# Share of villages that leave a whole optional column blank.
VILLAGE_BLANK = {"联系电话": 0.08, "户编号": 0.15, "村民小组": 0.12, "主要困难": 0.35, "备注": 0.85,
                 "家庭人口数(人)": 0.07}
# A courtyard sale (vegetables, eggs) with no cost written down: business income without costs, as
# clerks record it. Realistic and clean; income_without_costs will flag these households.
COURTYARD_SALES_SHARE = 0.002


def _villages(rng: np.random.Generator, n: int):
    """Village and township of every household (villages of 150-450 households, 8-20 to a township),
    names unique within a township, as a county's are."""
    sizes = rng.integers(150, 451, n // 150 + 2)
    village_of = np.repeat(np.arange(len(sizes)), sizes)[:n]
    n_villages = village_of.max() + 1
    per_town = rng.integers(8, 21, n_villages // 8 + 2)
    town_of_village = np.repeat(np.arange(len(per_town)), per_town)[:n_villages]
    n_town = town_of_village.max() + 1
    combos = len(PLACE) ** 2
    town_pick = rng.choice(combos, n_town, replace=combos < n_town)
    town_names = _cat(np.array(PLACE, dtype=object)[town_pick // len(PLACE)],
                      np.array(PLACE, dtype=object)[town_pick % len(PLACE)],
                      np.where(rng.random(n_town) < 0.8, "镇", "乡"))
    # Distinct names within a township: steps of a prime that does not divide the number of names.
    rank = np.arange(n_villages) - np.searchsorted(town_of_village, town_of_village)
    village_pick = (rng.integers(0, combos, n_town)[town_of_village] + rank * 211) % combos
    village_names = _cat(np.array(PLACE, dtype=object)[village_pick // len(PLACE)],
                         np.array(PLACE, dtype=object)[village_pick % len(PLACE)], "村")
    return village_of, town_of_village, town_names, village_names


def _head_ids(rng: np.random.Generator, age: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Valid, distinct 18-character IDs for heads of the given age (on 2019-12-31) and sex."""
    n = len(age)
    region = rng.choice(len(HEAD_REGIONS), n, p=HEAD_REGION_SHARES)
    days_old = np.round(age * 365.25).astype(np.int64) + rng.integers(0, 365, n)
    born = np.datetime64("2019-12-31") - days_old.astype("timedelta64[D]")
    seq = rng.integers(0, 500, n) * 2 + male  # the 17th digit is odd for a man
    key = (region * 100_000 + (born - np.datetime64("1900-01-01")).astype(np.int64)) * 1000 + seq
    while True:  # the same region, birth date and sequence twice: draw that sequence again
        again = pd.Series(key).duplicated().to_numpy()
        if not again.any():
            break
        seq[again] = rng.integers(0, 500, again.sum()) * 2 + male[again]
        key[again] = key[again] // 1000 * 1000 + seq[again]
    ymd = pd.Series(born).dt.strftime("%Y%m%d").to_numpy(dtype=object)
    return _with_check_character(_cat(HEAD_REGIONS.astype(object)[region], ymd, _digits(seq, 3)))


def _round_to(amount: np.ndarray, step: float) -> np.ndarray:
    return np.round(amount / step) * step


def _fen(yuan: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(yuan, dtype=float) * 100).astype(np.int64)


@dataclass(frozen=True)
class CountyShape:
    """What sets one realistic county apart from another; CLEAN is the `clean` profile's."""

    age_band_shares: tuple = tuple(AGE_BAND_SHARES)
    level_mean: float = 1.0  # a household's fortune, log-normal around this
    level_sigma: float = 0.35
    wage_median: float = 16000
    earner_share: float = 0.7  # of the working-age residents at home
    land_per_member: float = 6  # 亩 of contracted land
    yield_per_mu: tuple = (1000, 1400)  # yuan of crops a 亩 in a normal year
    rent_out_share: float = 0.6  # of the households that do not farm
    dibao_odds: tuple = (0.25, 0.03, 0.003)  # for the poorest 10 %, the next 20 %, the rest
    registered_odds: tuple = (0.18, 0.05, 0.008)
    drought_villages: float = 0.0  # share of villages whose crops failed that year


CLEAN = CountyShape()
# A poorer, older county of Jilin's west (白城, 松原: former national poverty counties, rural incomes
# about three quarters of the province's): heads older, fewer wage earners at home and lower wages,
# more land a member at lower yields and more of it rented out, more 低保 and 建档立卡 households, and
# a dry summer that cut the crops of one village in eight to 30–60 % while their costs were spent.
POOR = CountyShape(age_band_shares=(0.04, 0.09, 0.20, 0.28, 0.24, 0.15), level_mean=0.8, level_sigma=0.45,
                   wage_median=12000, earner_share=0.55, land_per_member=9, yield_per_mu=(700, 1000),
                   rent_out_share=0.75, dibao_odds=(0.35, 0.05, 0.005), registered_odds=(0.30, 0.08, 0.01),
                   drought_villages=0.125)


def clean_households(n: int, seed: int = 2019, shape: CountyShape = CLEAN) -> pd.DataFrame:
    """n households of a county with no planted error (see the module docstring), of the given shape."""
    rng = np.random.default_rng(seed)
    u = lambda: rng.random(n)  # a fresh uniform per household
    village_of, town_of_village, town_names, village_names = _villages(rng, n)

    # Who lives there.
    band = rng.choice(len(AGE_BANDS), n, p=list(shape.age_band_shares))
    age = rng.integers(AGE_BANDS[band, 0], AGE_BANDS[band, 1] + 1)
    age_group = np.select([age < 35, age < 55, age < 65], [0, 1, 2], 3)
    members = np.zeros(n, dtype=np.int64)
    for group, (sizes, shares) in SIZES_BY_AGE_GROUP.items():
        at = age_group == group
        members[at] = rng.choice(sizes, at.sum(), p=shares)
    elderly_head = age >= 60
    # Members of 60 or more: the head and spouse of an elderly household, or a parent living in.
    old = np.where(elderly_head, 1 + ((members >= 2) & (u() < 0.85)),
                   np.where(age >= 45, (members >= 3) & (u() < 0.25), (members >= 4) & (u() < 0.15)))
    children = np.where(age < 50, np.maximum(members - old - 2, 0), 0)
    working_age = members - old - children
    # Away six months or more (registered, not resident): young adults working in the cities.
    away = np.where(elderly_head, rng.binomial(members - old, 0.6),
                    rng.binomial(np.maximum(working_age - 1, 0), 0.3))
    residents = members - away
    workers_home = working_age - away

    # A household's fortune lifts all its incomes together.
    level = shape.level_mean * np.exp(rng.normal(-shape.level_sigma ** 2 / 2, shape.level_sigma, n))

    # 工资性收入: residents who work for wages; elderly heads seldom (odd jobs). Whoever does not
    # farm before 60 works for a wage.
    farms = u() < np.select([age < 70, age < 80], [0.88, 0.55], 0.25)
    earners = np.maximum(rng.binomial(workers_home, shape.earner_share), ~farms & (workers_home > 0))
    wage = earners * np.exp(rng.normal(np.log(shape.wage_median), 0.5, n)) * level
    odd_jobs = (workers_home == 0) & (u() < 0.12)
    wage = np.where(odd_jobs, np.exp(rng.normal(np.log(2500), 0.5, n)), wage)
    wage = np.where(u() < 0.85, _round_to(wage, 100), _round_to(wage, 10))

    # 家庭经营收入: farming the contracted land (about 6 亩 a registered member), livestock, a shop;
    # with their costs. Old heads farm less and rent their land out.
    land = _round_to(members * np.exp(rng.normal(np.log(shape.land_per_member), 0.45, n)), 0.5)
    farmed = land * np.where(u() < 0.06, rng.uniform(2, 6, n), 1.0)  # large farmers rent land in
    farmed = np.where(age >= 65, land * rng.uniform(0.3, 1.0, n), farmed)  # the old farm what they can
    crops = farms * farmed * rng.uniform(*shape.yield_per_mu, n) * np.sqrt(level)
    livestock = (u() < 0.3) * farms * np.exp(rng.normal(np.log(18000), 0.6, n)) * level
    shop = (u() < 0.06) * np.exp(rng.normal(np.log(30000), 0.6, n)) * level
    if shape.drought_villages:  # drawn only for such a county, so that `clean` stays as it was
        dry = (rng.random(village_of.max() + 1) < shape.drought_villages)[village_of]
        harvest = np.where(dry, rng.uniform(0.3, 0.6, n), 1.0)
    else:
        harvest = 1.0
    gross = _round_to(crops * harvest + livestock + shop, 10)
    expenses = _round_to(crops * rng.uniform(0.38, 0.58, n) + livestock * rng.uniform(0.55, 0.80, n)
                         + shop * rng.uniform(0.50, 0.75, n), 10)
    depreciation = np.minimum((farms & (u() < 0.18)) * _round_to(rng.uniform(500, 4000, n), 10),
                              _round_to(expenses * 0.4, 10))
    taxes = np.minimum((farms & (u() < 0.03)) * _round_to(rng.uniform(100, 800, n), 10),
                       _round_to(expenses * 0.2, 10))
    costs = expenses - depreciation - taxes
    courtyard = (gross == 0) & (u() < COURTYARD_SALES_SHARE / 0.2)  # about a fifth have no business
    gross = np.where(courtyard, _round_to(rng.uniform(200, 2000, n), 10), gross)

    # 财产性收入: bank interest of tens of yuan (to the fen), land rented out, a few tens for a strip
    # rented to a neighbour, co-operative dividends. Zero for many.
    interest = (u() < 0.45) * np.clip(np.round(np.exp(rng.normal(np.log(35), 1.1, n)), 2), 1, 3000)
    land_rent = (~farms & (u() < shape.rent_out_share)) * _round_to(land * rng.uniform(300, 600, n), 10)
    strip_rent = (farms & (u() < 0.06)) * rng.integers(20, 100, n)
    dividend = (u() < 0.04) * rng.integers(100, 1501, n)
    prop = interest + land_rent + strip_rent + dividend

    # Who is poor enough for 低保/特困/建档立卡: ranked by income per resident before allowances.
    before = (wage + gross - expenses + prop) / residents
    poorest = pd.Series(before).rank(pct=True).to_numpy()
    dibao = u() < np.select([poorest < 0.10, poorest < 0.30], shape.dibao_odds[:2], shape.dibao_odds[2])
    tekun = ~dibao & (members <= 2) & elderly_head & (u() < np.where(poorest < 0.10, 0.08, 0.0))
    registered = u() < np.select([poorest < 0.10, poorest < 0.30], shape.registered_odds[:2],
                               shape.registered_odds[2])

    # 转移性收入: land subsidy (tens to hundreds, to the fen), pensions of members 60 and over, money
    # sent home by members away (transfer income in the statistics), support from children living
    # elsewhere, medical reimbursement, and the allowances.
    subsidy = ((farms | (land_rent > 0)) & (u() < 0.92)) * np.round(rng.uniform(30, 900, n), 2)
    pension = old * np.round(rng.uniform(1300, 2000, n))
    sent_home = ((away > 0) & (u() < 0.9)) * away * _round_to(np.exp(rng.normal(np.log(12000), 0.6, n)), 100)
    support = ((age >= 65) & (away == 0) & (u() < 0.35)) * _round_to(rng.uniform(1000, 8000, n), 100)
    medical = (u() < 0.08) * np.round(np.exp(rng.normal(np.log(1500), 1.0, n)))
    allowance = (dibao * residents * np.round(rng.uniform(150, 360, n)) * 12
                 + tekun * residents * np.round(rng.uniform(380, 540, n)) * 12
                 + registered * _round_to(rng.uniform(500, 4000, n), 10))
    transfer = subsidy + pension + sent_home + support + medical + allowance

    # The sheet, in fen until the last step so that every total is its components' exact sum.
    wage_f, gross_f, prop_f, transfer_f = _fen(wage), _fen(gross), _fen(prop), _fen(transfer)
    costs_f, depreciation_f, taxes_f = _fen(costs), _fen(depreciation), _fen(taxes)
    money = {
        "工资性收入(元)": wage_f, "家庭经营收入(元)": gross_f, "财产性收入(元)": prop_f,
        "转移性收入(元)": transfer_f, "家庭总收入(元)": wage_f + gross_f + prop_f + transfer_f,
        "家庭经营费用支出(元)": costs_f, "生产性固定资产折旧(元)": depreciation_f,
        "税金和上交承包费用(元)": taxes_f, "家庭生产经营性支出(元)": costs_f + depreciation_f + taxes_f,
    }

    male = u() < np.where(elderly_head & (members == 1), 0.45, 0.85)  # widows head many 1-person homes
    names = _cat(_pick(rng, SURNAMES, n), _pick(rng, GIVEN, n), np.where(u() < 0.6, _pick(rng, GIVEN, n), ""))
    mobile = _cat(_pick(rng, MOBILE_PREFIXES, n), _digits(rng.integers(0, 10**8, n), 8))
    landline = _cat("0431-8", _digits(rng.integers(0, 10**7, n), 7))
    no_phone = u() < np.where(age >= 80, 0.25, 0.04)
    phone = np.where(no_phone, "", np.where(u() < 0.02, landline, mobile))
    difficulty = np.where((poorest < 0.3) & (u() < 0.6) | (u() < 0.1), _pick(rng, DIFFICULTIES, n), "")
    town = town_of_village[village_of]
    seq_in_village = np.arange(n) - np.searchsorted(village_of, village_of)
    yes_no = lambda b: np.where(b, "是", "否").astype(object)
    frame = pd.DataFrame({
        "序号": np.arange(1, n + 1),
        "县(市、区)": COUNTY,
        "乡(镇)": town_names[town],
        "行政村": village_names[village_of],
        "村民小组": _cat(_digits(np.minimum(seq_in_village // 40 + 1, 12)), np.where(village_of % 3 == 0, "社", "组")),
        "户编号": _cat(_digits(town + 1, 3), _digits(village_of + 1, 4), _digits(seq_in_village + 1, 4)),
        "户主姓名": names,
        "户主身份证号": _head_ids(rng, age, male.astype(np.int64)),
        "联系电话": phone,
        "家庭人口数(人)": pd.array(members, dtype="Int64"),
        "家庭常住人口数(人)": residents,
        **{header: fen / 100 for header, fen in money.items()},
        "是否低保户": yes_no(dibao),
        "是否特困人员": yes_no(tekun),
        "是否建档立卡贫困户": yes_no(registered),
        "主要困难": difficulty,
        "备注": np.where(u() < 0.05, _pick(rng, NOTES, n), ""),
    })
    # Optional columns some villages leave blank throughout.
    n_villages = village_of.max() + 1
    for column, share in VILLAGE_BLANK.items():
        blank_village = rng.random(n_villages) < share
        frame.loc[blank_village[village_of], column] = pd.NA if column in COUNT_COLUMNS else ""
    return frame


def messy_households(n: int, seed: int = 2019) -> pd.DataFrame:
    """clean, with 财产性收入 blank on every row (no property income counted in the total) and every
    tenth head ID turned into a number by Excel (15 significant digits kept)."""
    frame = clean_households(n, seed)
    frame["家庭总收入(元)"] = (_fen(frame["家庭总收入(元)"]) - _fen(frame["财产性收入(元)"])) / 100
    frame["财产性收入(元)"] = np.nan
    ids = frame["户主身份证号"].to_numpy(dtype=object).copy()
    tenth = np.arange(n) % 10 == 9
    # Excel keeps 15 significant digits and zeroes the rest; str() of that float is
    # '2.20122197001014e+17', as the CSV then holds it.
    ids[tenth] = pd.to_numeric(pd.Series(ids[tenth]).str[:15]).to_numpy(dtype=np.float64) * 1000
    frame["户主身份证号"] = ids
    return frame


def blank_totals_households(n: int, seed: int = 2019) -> pd.DataFrame:
    """clean, with the 家庭总收入 column blank in every row (its components filled)."""
    frame = clean_households(n, seed)
    frame["家庭总收入(元)"] = np.nan
    return frame


def poor_households(n: int, seed: int = 2019) -> pd.DataFrame:
    """A poorer, older, drought-struck county (POOR), with no planted error."""
    return clean_households(n, seed, POOR)


GENERATORS = {"clean": clean_households, "poor": poor_households, "messy": messy_households,
              "blank_totals": blank_totals_households, "sums": clean_households,
              "legacy": legacy_households}


def households(profile: str, n: int, seed: int = 2019) -> pd.DataFrame:
    return GENERATORS[profile](n, seed)


# --------------------------------------------------------------------------------------------------
# Writing the file a county sends

def totals_row(frame: pd.DataFrame) -> dict:
    """The 合计 row counties print under the households: sums of the counts and amounts; a column
    blank in every row stays blank."""
    row = {"序号": "合计"}
    for column in COUNT_COLUMNS + MONEY_COLUMNS:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.notna().any():
            row[column] = int(values.sum()) if column in COUNT_COLUMNS else int(_fen(values.fillna(0)).sum()) / 100
    return row


def money_text(yuan: pd.Series) -> pd.Series:
    """Amounts as a clerk types them: whole yuan without decimals, fen with two; blank stays blank."""
    known = yuan.notna().to_numpy()
    fen = _fen(yuan.fillna(0))
    whole = _digits(np.abs(fen) // 100)
    cents = np.abs(fen) % 100
    text = np.where(cents == 0, whole, whole + "." + _digits(cents, 2))
    text = np.where(fen < 0, "-" + text, text)
    return pd.Series(np.where(known, text, ""), index=yuan.index, dtype=object)


def write_csv(frame: pd.DataFrame, path: Path, totals: dict | None = None) -> None:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == np.float64:  # new profiles' amounts; legacy writes its integers as they are
            out[column] = money_text(out[column])
    if totals is None:  # legacy: the header on the first line, no 合计
        out.to_csv(path, index=False, encoding="utf-8-sig")
        return
    row = {c: (money_text(pd.Series([v]))[0] if isinstance(v, float) else v) for c, v in totals.items()}
    out = pd.concat([out, pd.DataFrame([row], columns=out.columns)], ignore_index=True)
    # As Excel saves a printed sheet: the title and 填报单位 lines padded to the sheet's width.
    padding = "," * (len(HEADERS) - 1)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(f"{TITLE}{padding}\r\n{FILED_BY}{padding}\r\n")
        out.to_csv(fh, index=False, lineterminator="\r\n")


# The totals a county's form adds up (`sums`): each a total's column → its components' columns before it.
SUMMED = {HEADERS.index("家庭总收入(元)"): 4, HEADERS.index("家庭生产经营性支出(元)"): 3}


def write_xlsx(frame: pd.DataFrame, path: Path, totals: dict | None = None, formulas: bool = False) -> None:
    """`formulas`: the totals as =SUM of their components (SUMMED) with their values, saved as Excel
    saves a calculated workbook (no recalculation asked on opening)."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    summed = {c: (xl_col_to_name(c - parts), xl_col_to_name(c - 1)) for c, parts in SUMMED.items()} if formulas else {}
    ws = book.add_worksheet(COUNTY)
    ws.write_string(0, 0, TITLE)
    ws.write_string(1, 0, FILED_BY)
    ws.write_row(2, 0, HEADERS)
    text_cols = [i for i, h in enumerate(HEADERS) if h in TEXT_COLUMNS]
    for r, record in enumerate(frame.itertuples(index=False, name=None), start=3):
        for c, value in enumerate(record):
            if c in summed:
                first, last = summed[c]
                known = not (value is None or (isinstance(value, float) and math.isnan(value)))
                ws.write_formula(r, c, f"=SUM({first}{r + 1}:{last}{r + 1})", None, value if known else 0)
            elif isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            elif value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                continue
            elif c in text_cols and not isinstance(value, float):  # a float in a text column: Excel's ID
                ws.write_string(r, c, str(value))
            else:
                ws.write_number(r, c, value)
    last = 3 + len(frame)
    if totals is None:
        ws.write_string(last, 0, "合计")
    else:
        for c, header in enumerate(HEADERS):
            value = totals.get(header)
            if isinstance(value, str):
                ws.write_string(last, c, value)
            elif value is not None:
                ws.write_number(last, c, value)
    book.close()
    if formulas:  # xlsxwriter asks Excel to recalculate on opening; a saved workbook does not
        import zipfile

        with zipfile.ZipFile(path) as src:
            parts = [(info, src.read(info.filename)) for info in src.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for info, data in parts:
                dst.writestr(info, data.replace(b' fullCalcOnLoad="1"', b"") if info.filename == "xl/workbook.xml"
                             else data)


def survey_path(profile: str, fmt: str, n: int, data: Path) -> Path:
    """The file (the folder, for `villages`: a township's folder of a workbook per village, as a
    city's files arrive) of a profile, format and size."""
    return data / (f"{profile}-v{PROFILE_VERSION[profile]}-{n}" + ("" if fmt == "villages" else f".{fmt}"))


def _write_villages(frame: pd.DataFrame, folder: Path, totals) -> None:
    """A folder per township, an .xlsx per village in it, each with its own 合计 row."""
    for (town, village), part in frame.groupby(["乡(镇)", "行政村"], sort=False):
        (folder / town).mkdir(parents=True, exist_ok=True)
        write_xlsx(part, folder / town / f"{village}.xlsx", None if totals is None else totals_row(part))


def size_mb(path: Path) -> float:
    """A survey file's size, or its folder's files' together."""
    files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
    return sum(f.stat().st_size for f in files) / 1e6


def survey(profile: str, fmt: str, n: int, data: Path) -> Path:
    """The generated file for a profile, format and size, made once into `data` and reused."""
    data.mkdir(parents=True, exist_ok=True)
    path = survey_path(profile, fmt, n, data)
    if not path.exists():
        t = time.perf_counter()
        print(f"generating {path} …", file=sys.stderr, flush=True)
        frame = households(profile, n)
        generated = time.perf_counter() - t
        totals = None if profile == "legacy" else totals_row(frame)
        tmp = path.with_name(path.name + ".part")
        if fmt == "xlsx" and profile == "sums":
            write_xlsx(frame, tmp, totals, formulas=True)
        else:
            {"xlsx": write_xlsx, "csv": write_csv, "villages": _write_villages}[fmt](frame, tmp, totals)
        tmp.replace(path)
        print(f"  {size_mb(path):.0f} MB: households in {generated:.1f} s, "
              f"written in {time.perf_counter() - t - generated:.0f} s", file=sys.stderr)
    return path


# --------------------------------------------------------------------------------------------------
# What a profile looks like, measured

NATIONAL_2019 = {"wages": 6583, "net business": 5762, "net property": 377, "net transfer": 3298}


def describe(frame: pd.DataFrame) -> dict:
    """Key statistics of generated households, from the sheet's own values."""
    num = lambda c: pd.to_numeric(frame[c], errors="coerce")
    members, residents = num("家庭人口数(人)"), num("家庭常住人口数(人)")
    wage, business, prop, transfer = (num(c).fillna(0) for c in MONEY_COLUMNS[:4])
    expenses = num("家庭生产经营性支出(元)").fillna(0)
    net = wage + business + prop + transfer - expenses
    per_capita = net / residents
    valid = residents > 0
    flags = {c: (frame[c] == "是").mean() for c in ("是否低保户", "是否特困人员", "是否建档立卡贫困户")}
    ids = frame["户主身份证号"].astype(str)
    born = pd.to_numeric(ids.str[6:10], errors="coerce")
    n_res = residents[valid].sum()
    return {
        "households": len(frame),
        "mean_members": round(float(members.mean()), 2),
        "members_blank_share": round(float(members.isna().mean()), 3),
        "mean_residents": round(float(residents.mean()), 2),
        "members_share_by_size": {int(k): round(float(v), 3) for k, v in
                                  members.clip(upper=6).value_counts(normalize=True).sort_index().items()},
        "share_with_members_away": round(float((members > residents).mean()), 3),
        "per_resident_yuan": {
            "wages": round(float(wage[valid].sum() / n_res)),
            "net business": round(float((business - expenses)[valid].sum() / n_res)),
            "net property": round(float(prop[valid].sum() / n_res)),
            "net transfer": round(float(transfer[valid].sum() / n_res)),
            "net income": round(float(net[valid].sum() / n_res)),
        },
        "national_2019_per_resident": NATIONAL_2019,
        "per_capita_median": round(float(per_capita[valid].median())),
        "share_per_capita_at_or_below_3218": round(float((per_capita[valid] <= 3218).mean()), 4),
        "share_in_band_3218_4000": round(float(((per_capita > 3218) & (per_capita < 4000))[valid].mean()), 4),
        "share_per_capita_above_100000": round(float((per_capita[valid] > 100000).mean()), 4),
        "share_zero_wages": round(float((wage == 0).mean()), 3),
        "share_zero_business": round(float((business == 0).mean()), 3),
        "share_business_without_costs": round(float(((business > 0) & (expenses == 0)).mean()), 4),
        "share_zero_property": round(float((prop == 0).mean()), 3),
        "share_property_1_to_99": round(float(((prop > 0) & (prop < 100)).mean()), 3),
        "share_property_blank": round(float(num("财产性收入(元)").isna().mean()), 3),
        "share_zero_transfer": round(float((transfer == 0).mean()), 3),
        "share_transfer_1_to_99": round(float(((transfer > 0) & (transfer < 100)).mean()), 3),
        "share_wage_1_to_99": round(float(((wage > 0) & (wage < 100)).mean()), 4),
        "share_depreciation_zero": round(float((num("生产性固定资产折旧(元)").fillna(0) == 0).mean()), 3),
        "share_taxes_zero": round(float((num("税金和上交承包费用(元)").fillna(0) == 0).mean()), 3),
        "share_total_income_blank": round(float(num("家庭总收入(元)").isna().mean()), 3),
        "share_dibao": round(float(flags["是否低保户"]), 4),
        "share_tekun": round(float(flags["是否特困人员"]), 4),
        "share_registered_poor": round(float(flags["是否建档立卡贫困户"]), 4),
        "head_birth_years": [int(born.min()), int(born.max())] if born.notna().any() else None,
        "share_id_not_17_digits_and_check": round(float((~ids.str.fullmatch(r"[0-9]{17}[0-9X]")).mean()), 3),
        "share_phone_blank": round(float((frame["联系电话"] == "").mean()), 3),
        "share_landline": round(float(frame["联系电话"].astype(str).str.startswith("0").mean()), 3),
        "blank_column_share": {c: round(float((frame[c].isna() | (frame[c] == "")).mean()), 3)
                               for c in ("联系电话", "户编号", "村民小组", "主要困难", "备注")},
    }


def main(argv: list[str] | None = None) -> int:
    import json
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=PROFILES, default="clean")
    parser.add_argument("-n", "--households", type=int, default=100_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), help="also write the file into --data")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "edgescreen-bench")
    parser.add_argument("--describe", action="store_true", help="print the profile's key statistics")
    args = parser.parse_args(argv)
    if args.format:
        print(survey(args.profile, args.format, args.households, args.data))
    if args.describe:
        t = time.perf_counter()
        frame = households(args.profile, args.households)
        print(f"generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        print(json.dumps(describe(frame), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
