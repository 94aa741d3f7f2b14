"""Builders for the spot-check tests: a small county survey with its 填表人 (a column, or only the
sheet's footer line), and the blind forms filled in as verifiers do, with openpyxl into the same file.

Imported by name (`from spotcheck_builders import ...`). The filling reuses the sample-data script's
own (sample_data/spotcheck_round.py), so the tests fill forms exactly as the README's round does."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import itertools
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from edgescreen.cli import app
from survey_builders import HEADERS, built_once, household, make_id

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("spotcheck_round", ROOT / "sample_data" / "spotcheck_round.py")
spotcheck_round = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(spotcheck_round)
LABELS = spotcheck_round.LABELS
pages_of = spotcheck_round.pages_of

_serial = itertools.count(100)


def _identity(prefix: str) -> dict:
    """A head's name and an ID of their own: the ID's three-digit serial runs out after 1,000
    households, so the birth date moves on a day each thousand (the honest-rounds test builds 360)."""
    n = next(_serial)
    birth = (dt.date(1970, 1, 1) + dt.timedelta(days=n // 1000)).strftime("%Y%m%d")
    return {"户主姓名": f"{prefix}{n}", "户主身份证号": make_id(birth=birth, serial=n % 1000)}


def candidate(village: str, enumerator: str, township: str = "合隆镇", **overrides) -> dict:
    """A clean candidate: 3 residents, wage 10,000 → 3,333.33 per person."""
    return household(**{"乡(镇)": township, "行政村": village, **_identity("候"), "填表人": enumerator,
                        **overrides})


def above(village: str, enumerator: str, township: str = "合隆镇", **overrides) -> dict:
    """A clean household above the limit: 3 residents, wage 30,000 → 10,000 per person."""
    return household(**{"乡(镇)": township, "行政村": village, **_identity("高"), "工资性收入": 30000,
                        "填表人": enumerator, **overrides})


def write_survey(path: Path, sheets: dict[str, list[dict]], *, column: bool = True,
                 footer: dict[str, str] | None = None, county: str | None = None) -> Path:
    """A survey workbook: a header row, one row per household; the 填表人 column when `column`,
    and `footer` {sheet: name} a '填表人:name  审核人:…' line two rows below the households;
    a 县(市、区) column naming `county` on every row, when given."""
    headers = HEADERS + (["填表人"] if column else []) + (["县(市、区)"] if county else [])
    if county:
        sheets = {name: [{**r, "县(市、区)": county} for r in rows] for name, rows in sheets.items()}
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for c, h in enumerate(headers):
            ws.write_string(0, c, h)
        for r, record in enumerate(rows, start=1):
            for c, h in enumerate(headers):
                value = record.get(h, "")
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value)
                elif value != "":
                    ws.write_string(r, c, str(value))
        if footer and name in footer:
            ws.write_string(len(rows) + 2, 0, f"填表人:{footer[name]}    审核人:王审核")
    book.close()
    return path


def sample_rows(sample_dir: Path) -> list[dict]:
    with open(sample_dir / "sample.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def fill(path: Path, values: dict[int, dict], *, save_as: Path | None = None,
         identity: dict[tuple[int, str], object] | None = None) -> Path:
    """Fill pages of one form: `values` {核查序号: {field name: value}} (field names as LABELS keys);
    `identity` {(核查序号, printed label): value} overwrites printed identity cells."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    pages = pages_of(ws)
    for seq, fields in values.items():
        for name, value in fields.items():
            ws.cell(*pages[seq][LABELS[name]]).value = value
    for (seq, printed), value in (identity or {}).items():
        for row in ws.iter_rows():
            for c in row:
                if c.value == printed and c.row >= pages[seq]["核查序号"][0]:
                    ws.cell(c.row, c.column + 1).value = value
                    break
            else:
                continue
            break
    target = save_as or path
    wb.save(target)
    return target


def same_as_recorded(**changes) -> dict:
    """A verified page agreeing with the builders' clean households' defaults (wage 10,000, 3 of 3)."""
    values = {"members": 3, "residents": 3, "wage_income": 10000, "business_income": 0, "property_income": 0,
              "transfer_income": 0, "business_costs": 0, "depreciation": 0, "taxes_fees": 0, "is_dibao": "否",
              "is_tekun": "否", "is_registered_poor": "否", "verifier": "王核查",
              "verify_date": dt.date.today().isoformat()}
    values.update(changes)
    return values


def uneven_county(path: Path) -> Path:
    """A county where precision mode's proportional allocation draws nobody from some strata:
    大村 20 candidates and 40 others, 中村 1 candidate and 40 others, 小村 only 2 others. At
    --margin 0.3 the candidates get n = 8 (all 大村's: 中村's one gets n = 0) and the others n = 10
    (5 + 5 + 0: 小村 has nobody drawn)."""
    rows = ([candidate("大村", "甲") for _ in range(20)] + [above("大村", "乙") for _ in range(40)]
            + [candidate("中村", "丙")] + [above("中村", "丁") for _ in range(40)]
            + [above("小村", "戊") for _ in range(2)])
    return write_survey(path, {"合隆镇": rows})


@pytest.fixture(autouse=True)
def chinese_words(monkeypatch):
    """Autouse in each module that imports it: the words as a clerk reads them, whatever EDGESCREEN_LANG
    the machine has."""
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def run(*args, code=0):
    """The command line, as a clerk types it: asserts the exit code and that no traceback shows."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


# A county small enough to compute by hand: 前岗村 4 candidates (甲) and 12 above (乙), 东兴村 2
# candidates (丙) and 3 above (丁).
def small_county(path: Path, **kw) -> Path:
    rows = ([candidate("前岗村", "甲") for _ in range(4)] + [above("前岗村", "乙") for _ in range(12)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)])
    return write_survey(path, {"合隆镇": rows}, **kw)


def draw(tmp: Path, name="抽查", *extra):
    """`edgescreen sample` of the screen in tmp/筛查 into tmp/name."""
    return run("sample", tmp / "筛查", "-o", tmp / name, *extra)


def three_villages_drawn_twice(tmp: Path) -> None:
    """Three villages of 合隆镇 (2 candidates and 3 others each) screened into tmp/筛查, sampled into
    tmp/抽查 (seed 11) and again into tmp/另一次 (seed 12): forms of two draws of one screen."""
    rows = ([candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙") for _ in range(3)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)]
            + [candidate("新立村", "戊") for _ in range(2)] + [above("新立村", "己") for _ in range(3)])
    run("screen", write_survey(tmp / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp / "筛查")
    draw(tmp, "抽查", "--seed", "11")
    draw(tmp, "另一次", "--seed", "12")


def screened_small_county(tmp: Path) -> Path:
    """small_county written to tmp/农安县.xlsx and screened into tmp/筛查: once per worker, a copy
    each (survey_builders.built_once; the households' names and IDs those of the first made)."""
    def build():
        run("screen", small_county(tmp / "农安县.xlsx"), "-o", tmp / "筛查")
    built_once("small_county screened", tmp, build)
    return tmp


def screened_and_drawn(tmp: Path, unlisted_rate: str = "0.25") -> Path:
    """small_county screened into tmp/筛查 and sampled into tmp/抽查 (seed 11, every candidate)."""
    def build():
        screened_small_county(tmp)
        draw(tmp, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", unlisted_rate)
    built_once(("small_county screened and drawn", unlisted_rate), tmp, build)
    return tmp


def fill_all(sample: Path, out: Path, changed: dict | None = None) -> list[Path]:
    """Every page filled as recorded (candidates wage 10,000, the others 30,000); `changed`
    {(village, stratum word, n-th of that stratum): {field: value}} for the verifiers' findings."""
    out.mkdir(exist_ok=True)
    seen: dict[tuple, int] = {}
    by_form: dict[str, dict[int, dict]] = {}
    for r in sample_rows(sample):
        key = (r["行政村"], r["抽样层"])
        seen[key] = seen.get(key, 0) + 1
        values = same_as_recorded(wage_income=10000 if r["抽样层"] == "候选户" else 30000)
        values.update((changed or {}).get((*key, seen[key]), {}))
        by_form.setdefault(r["核查表"], {})[int(r["核查序号"])] = values
    return [fill(sample / form, pages, save_as=out / Path(form).name) for form, pages in by_form.items()]


TWO_VILLAGES_NAMES = ["王淑华", "李国富", "张玉兰", "刘长海", "陈桂芝", "杨德胜", "赵春花", "孙宝山"]


def two_villages_given_back(tmp: Path, unlisted_rate: str, found: dict[str, dict]) -> Path:
    """其塔木镇's 双岗村 (4 candidates, 4 above) and 太平村 (2 and 3) screened into tmp/筛查, every
    candidate drawn and the others at `unlisted_rate` (seed 830466120974113) into tmp/抽查, each page
    filled as recorded (candidates wage 10,000, the others 30,000) but the households in `found` (head's
    name → what the verifier found instead: fields changed, or a page of verify_notes alone, 查无此户)
    and given back into tmp/交回, which is returned."""
    names = TWO_VILLAGES_NAMES
    rows = ([candidate("双岗村", "马填表", 户主姓名=n) for n in names[:4]]
            + [above("双岗村", "牛填表", 户主姓名=n) for n in names[4:]]
            + [candidate("太平村", "高填表", 户主姓名=n) for n in ("周建国", "吴凤琴")]
            + [above("太平村", "高填表", 户主姓名=n) for n in ("郑永山", "冯秀兰", "褚金生")])
    run("screen", write_survey(tmp / "九台区2019.xlsx", {"其塔木镇": rows}), "-o", tmp / "筛查")
    run("sample", tmp / "筛查", "-o", tmp / "抽查", "--seed", "830466120974113", "--listed-rate", "1",
        "--unlisted-rate", unlisted_rate)
    pages: dict[str, dict[int, dict]] = {}
    for r in sample_rows(tmp / "抽查"):
        values = same_as_recorded(wage_income=10000 if r["抽样层"] == "候选户" else 30000)
        if r["户主姓名"] in found:
            values = found[r["户主姓名"]] if "verify_notes" in found[r["户主姓名"]] else {**values, **found[r["户主姓名"]]}
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = values
    (tmp / "交回").mkdir()
    for form, values in pages.items():
        fill(tmp / "抽查" / form, values, save_as=tmp / "交回" / form.split("/")[-1])
    return tmp / "交回"
