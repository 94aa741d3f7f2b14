"""A small county taken onto the register in one go (every step's document filled with yes and
recorded), and the measure forms filled as a clerk fills them: for the tests of the years after
(issue 16). Imported by name (`from years_builders import ...`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from register_builders import fill, meeting
from survey_builders import built_once, household, write_workbook
from edgescreen.cli import app

runner = CliRunner()
STEPS = {"review": ("2019-11-21", "1-民主评议"), "verify": ("2019-11-26", "2-入户核实"),
         "publicity1": ("2019-12-01", "3-第一次公示"), "township_review": ("2019-12-08", "4-乡镇审核"),
         "publicity2": ("2019-12-11", "5-第二次公示"), "county_review": ("2019-12-18", "6-县级复审"),
         "announcement": ("2019-12-21", "7-公告")}
REGISTERED_ON = "2019-12-27"  # the announcement's last day


def run(*args, code: int = 0, columns: int = 400):
    # A wide terminal by default: the tests read what is said; test_*_wrap_* read how it wraps at 80.
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})
    assert result.exit_code == code, result.output
    return result


def survey(path: Path, people: list[dict]) -> Path:
    """A survey of `people`: dicts of household() overrides, keyed by canonical header."""
    return write_workbook(path, [household(**p) for p in people])


def fill_step(step: str, path: Path, year: int = 2019) -> None:
    """Fill a step's document with yes, dated in `year` as STEPS are in 2019."""
    if step == "review":
        fill(path, default=("同意", ""), form=meeting(f"{year}-11-25"))
    elif step == "verify":
        fill(path, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": f"{year}-11-27"})
    elif step == "township_review":
        fill(path, default=("通过", ""), form={"审核日期": f"{year}-12-10", "审核人姓名": "李明"})
    elif step == "county_review":
        fill(path, default=("通过", ""), form={"复审日期": f"{year}-12-20", "复审人姓名": "赵科长"})
    elif step == "announcement":
        fill(path, form={"张贴日期": f"{year}-12-21", "张贴人": "李会计"})


def enter_everyone(tmp: Path, db: Path, year: int = 2019, turned_down: dict[str, tuple[str, str]] | None = None) -> None:
    """Take every candidate of the latest round (screened before {year}-11-21) through the whole entry
    procedure, all yes: on the register from {year}-12-27. `turned_down`: heads the 民主评议 says 不同意 to,
    {head's name: (the reason, the meeting's day)}."""
    for step, (date, folder) in STEPS.items():
        out = tmp / f"docs-{year}-{step}"
        run("register", "next", db, "--date", date.replace("2019", str(year)), "-o", out)
        docs = sorted((out / folder).glob("*.xlsx"))
        for doc in docs:
            if step == "review" and turned_down:
                ws = openpyxl.load_workbook(doc)["评议名单"]
                table = [[c.value for c in r] for r in ws.iter_rows()]
                header = next(r for r in table if "户主姓名" in r)
                seq = {r[header.index("户主姓名")]: r[header.index("序号")] for r in table if r[header.index("户主姓名")]}
                day = next(iter(turned_down.values()))[1]
                fill(doc, decisions={seq[name]: ("不同意", why) for name, (why, _) in turned_down.items() if name in seq},
                     default=("同意", ""), form=meeting(day))
            else:
                fill_step(step, doc, year)
        run("register", "record", db, *docs)


def members_file(path: Path, by_head: dict) -> Path:
    """A members table of its own (issue 14's reader), to give the screen among its inputs: each
    member linked to its household by the head's ID; `by_head` {head ID: [(ID, relation, 劳动技能)]}."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("家庭成员")
    ws.write_row(0, 0, ["户主身份证号", "姓名", "与户主关系", "身份证号", "劳动技能"])
    r = 1
    for head, people in by_head.items():
        for m, relation, labour in people:
            ws.write_row(r, 0, [head, f"成员{r}", relation, m, labour])
            r += 1
    book.close()
    return path


def register_everyone(tmp: Path, people: list[dict], db: Path | None = None, inputs: tuple = ()) -> Path:
    """Screen `people` (and `inputs`, a members file) as the 2019 round (dated 2019-11-20) into a new
    register and take every candidate through the whole procedure, all yes: they are on the register
    from 2019-12-27."""
    db = db or tmp / "农安县.db"

    def build() -> Path:
        source = survey(tmp / "2019.xlsx", people)
        run("screen", source, *inputs, "-o", tmp / "out2019", "--register", db, "--date", "2019-11-20")
        enter_everyone(tmp, db)
        return db

    # The same people taken onto a register in the same folder's layout: once per worker, a copy each
    # (survey_builders.built_once). A members file given is the test's own, made before: made anew.
    if inputs or not db.is_relative_to(tmp):
        return build()
    return built_once(("register_everyone", repr(people), str(db.relative_to(tmp))), tmp, build)


class MeasureForm:
    """A measure form opened as a clerk opens it: the table found by the header naming 户主姓名."""

    def __init__(self, path: Path):
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.ws = self.book.worksheets[0]
        for row in self.ws.iter_rows():
            texts = ["" if c.value is None else str(c.value) for c in row]
            if "户主姓名" in texts:
                self.header = row[0].row
                self.cols = {t: c.column for t, c in zip(texts, row) if t}
                break

    def letter(self, header: str) -> str:
        """The column letter of a header, as a refusal names its cells."""
        return get_column_letter(self.cols[header])

    def rows_of(self, name: str) -> list[int]:
        return [r for r in range(self.header + 1, self.ws.max_row + 1)
                if self.ws.cell(r, self.cols["户主姓名"]).value == name]

    def measure_row(self, name: str) -> int:
        """The row of the household's first measure as printed (its first row with a 帮扶类型)."""
        return next(r for r in self.rows_of(name) if self.ws.cell(r, self.cols["帮扶类型"]).value)

    def write(self, row: int, **values) -> None:
        for header, value in values.items():
            self.ws.cell(row, self.cols[{"金额": "金额(元)"}.get(header, header)]).value = value

    def add(self, name: str, **values) -> int:
        """A measure for `name`: into its first empty row, or a copy of its row inserted below."""
        rows = self.rows_of(name)
        empty = [r for r in rows if not self.ws.cell(r, self.cols["帮扶类型"]).value]
        if empty:
            r = empty[0]
        else:
            r = rows[-1] + 1
            self.ws.insert_rows(r)
            for key in ("序号", "村民小组", "户主姓名", "身份证号"):
                self.ws.cell(r, self.cols[key]).value = self.ws.cell(rows[-1], self.cols[key]).value
        self.write(r, **values)
        return r

    def save(self, path: Path | None = None) -> Path:
        self.book.save(path or self.path)
        return path or self.path


def matched_by(db: Path, key: str = "previous_head_id", round_id: int = 2) -> dict:
    """{the registered head (its `key`: previous_head_id or previous_head_name): how the round matched
    it (round_changes.matched_by)}, of the households the round had a previous head for."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return dict(con.execute(f"select {key}, matched_by from round_changes where round = ? and {key} is not null",
                                (round_id,)).fetchall())
    finally:
        con.close()


def as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def exit_to_publicity(db: Path, tmp: Path, objections: list[tuple]) -> None:
    """The exit procedure on `db` from its review (all 同意, 2020-11-25) and visit (all 属实, 2020-11-27)
    to its publicity (2020-11-30), recorded with `objections` (户主姓名, content, outcome, date)."""
    notice = exit_publicity_form(db, tmp)
    fill(notice, objections=objections)
    run("register", "record", db, notice)


def exit_publicity_form(db: Path, tmp: Path) -> Path:
    """The exit procedure on `db` from its review (all 同意, 2020-11-25) and visit (all 属实, 2020-11-27)
    to its publicity's form (printed 2020-11-30), not yet filled in."""
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp / "exit-1")
    review = sorted((tmp / "exit-1" / "退出1-民主评议").glob("*.xlsx"))
    fill(review[0], default=("同意", ""), form=meeting("2020-11-25"))
    run("register", "record", db, review[0])
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp / "exit-2")
    verify = sorted((tmp / "exit-2" / "退出2-入户核实").glob("*.xlsx"))
    fill(verify[0], default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
    run("register", "record", db, verify[0])
    run("register", "next", db, "--date", "2020-11-30", "-o", tmp / "exit-3")
    return sorted((tmp / "exit-3" / "退出3-公示").glob("*.xlsx"))[0]

