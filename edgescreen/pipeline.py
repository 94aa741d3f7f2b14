"""The screen: read → normalise → compute → check → classify, over one DataFrame.

    from edgescreen import screen
    result = screen(["survey.xlsx"])            # a notebook can stop here and look
    result.ledger                               # one row per household, in input order

The sums are computed before the checks because the logical checks (totals that disagree, an
implausible per-capita) are about those sums; the decision uses both. Each stage is a plain
function over the households frame, which carries its provenance (file, sheet, Excel row).

With a 家庭成员 sheet among the inputs, its members are linked to the households before these are
parsed (a blank 家庭常住人口数 may be counted from them), and checked against them after the
household checks. With rosters (信息比对), every person is matched by ID after the checks; the
rule set says what a match does, and an authoritative one decides the exclusion. Without members
and rosters, none of this runs and the screen is as it ever was."""

from __future__ import annotations

import datetime as dt
import numbers
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .checks import check_form_places, check_households, check_members
from .classify import classify
from .compute import compute
from .dates import typed_day
from .inputs import Found, folder_inputs, input_labels
from .catalogue import use_target
from .errors import InputError, UsageError, given_lang  # noqa: F401 (given_lang: one of the library's given_*)
from .issues import IssueLog
from .marks import check_marks, struck_households
from .members import (joined_rows, read_members, residents_blank, residents_blank_hints, residents_from_members,
                      say_linked_by_near_id, type_member_sheets)
from .normalise import Elsewhere, here, normalise
from .read import (FileSource, InputFile, Later, ReadJob, WorkbookSource, amounts_in_wan, columns_table, now,
                   read_inputs, survey_job, unread_formulas)
from .result import Result
from .rosters import FLAGS_COLUMN, RosterSpec, check_rosters, match_rosters, read_rosters, roster_job
from .rules import LoadedRules, load_rules
from .totals import check_total_rows


# Households up to which the money columns may be parsed in another process (normalise's `elsewhere`).
MOST_ROWS_PARSED_ELSEWHERE = 300_000



# A library call's arguments as a notebook types them, checked before anything is read or written
# (the command line has parsed its own already; these pass its values through unchanged).

def given_paths(paths: str | os.PathLike | Iterable[str | os.PathLike], *, empty: str = "no_survey_given",
                not_paths: str = "paths_argument_not_paths") -> list[Path]:
    """One path (text or Path) is one input, never its characters; none at all is refused. What is no
    path is refused naming what it is: a DataFrame (its column names would be taken for files), bytes,
    an open file, None. `empty`, `not_paths`: the words saying what to give (surveys by default)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif not _paths_iterable(paths):
        raise UsageError(not_paths, kind=_kind(paths))
    found = []
    for p in paths:
        if not isinstance(p, (str, os.PathLike)):
            raise UsageError(not_paths, kind=_kind(p))
        found.append(Path(p))
    if not found:
        raise UsageError(empty)
    return found


def given_path(value: object, name: str) -> Path:
    """One path to write or read (a file's, a folder's): text or Path."""
    if not isinstance(value, (str, os.PathLike)):
        raise UsageError("argument_not_a_path", name=name, kind=_kind(value))
    return Path(value)


def _paths_iterable(value: object) -> bool:
    """A list, tuple, set or generator of paths may be; a table, text as bytes, an open file or None never."""
    return (isinstance(value, Iterable) and not isinstance(value, (bytes, bytearray, memoryview, pd.DataFrame))
            and not hasattr(value, "read"))


def _kind(value: object) -> str:
    """What a value is, as a notebook names it: DataFrame, bytes, BufferedReader, None."""
    return "None" if value is None else type(value).__name__


def given_day(value: object, name: str) -> dt.date | None:
    """A date argument: a date, a datetime (its day) or text as a clerk types a day (2019-12-01,
    2019/12/1, 2019年12月1日: dates.typed_day, the core's one reader)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = typed_day(value.strip()) if isinstance(value, str) else None
    if day is None:
        raise UsageError("argument_not_a_day", name=name, value=repr(value))
    return day


def given_year(value: object) -> int | None:
    """An income year: a whole number, or one typed as text ("2019")."""
    if value is None:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        year = int(value)
    elif isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        year = int(value.strip())
    else:
        raise UsageError("argument_not_a_year", value=repr(value))
    refuse_future_year(year)
    return year


def refuse_future_year(year: int | None, key: str = "year_argument_in_future") -> None:
    """An income year after this one is a slip (2030 for 2020): its survey cannot exist yet, the bounds
    would be the last year's carried on, and a register given the round would refuse every real year
    after it as earlier. Refused, naming this year; `key`: the words (the command line's say --year)."""
    this_year = dt.date.today().year
    if year is not None and year > this_year:
        raise UsageError(key, year=year, this_year=this_year)


def given_flag(value: object, name: str) -> bool:
    """A yes-or-no argument: True or False (numpy's too). Text is refused: "no" is truthy, and
    include_hidden="no" would read the hidden sheets."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise UsageError("argument_not_a_flag", name=name, value=repr(value))


def given_id(value: object, name: str = "head_id") -> str:
    """An ID number: text, or a whole number (an ID typed without quotes, or read so by pandas)."""
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    raise UsageError("argument_not_an_id", name=name, value=repr(value))


def screen(
    paths: str | Path | Iterable[str | Path],
    rules: str | Path | LoadedRules = "changchun-2019",
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    progress: Callable[[Path, InputFile], None] | None = None,
    stage: Callable[[str], None] | None = None,
    workbooks: WorkbookSource | None = None,
    include_hidden: bool = False,
    rosters: RosterSpec | str | Sequence[RosterSpec | str] = (),
    reads: Callable[[list[ReadJob]], FileSource] | None = None,
    found: Found | None = None,
    elsewhere: Elsewhere = here,
) -> Result:
    """Screen survey files (or folders of them) and return the decisions. Raises EdgescreenError
    subclasses for problems the user must fix (unreadable file, missing column, bad rules).
    `progress` is called after each file is read, `stage` after each stage with its name.
    `workbooks`: where parsed workbooks come from (see read.WorkbookSource; by default each is
    parsed when its turn comes). Hidden sheets are skipped (and named in the file facts) unless
    `include_hidden`. `rosters`: other departments' rosters to match (RosterSpec, or 'KIND=FILE').
    `found`: the inputs as folder_inputs found them, where the caller has (else found here).
    `elsewhere`: where the money columns may be parsed meanwhile (normalise.Elsewhere; the command
    line passes its helper process)."""
    paths, year, as_of = given_paths(paths), given_year(year), given_day(as_of, "as_of")
    include_hidden = given_flag(include_hidden, "include_hidden")
    if isinstance(rosters, (str, RosterSpec)):  # one roster, not its characters
        rosters = [rosters]
    started = dt.datetime.now().astimezone()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        if stage is not None:
            stage(name)

    loaded = rules if isinstance(rules, LoadedRules) else load_rules(rules)
    use_target(loaded.rules.target_words())  # what is screened for, as the words name it from now on
    bounds = loaded.bounds(year)
    as_of_given = as_of is not None
    as_of = as_of or dt.date.today()
    specs = [s if isinstance(s, RosterSpec) else RosterSpec.parse(s) for s in rosters]
    given = found if found is not None else folder_inputs(paths, rosters=[s.path for s in specs])
    files = given.files

    # A members sheet is typed and checked on its own rows where its file is read (member_rows).
    finish = (type_member_sheets, (loaded.rules, as_of))
    labels = input_labels(files)
    source = reads([survey_job(p, loaded.rules, include_hidden, finish, labels[p]) for p in files]
                   + [roster_job(s) for s in specs]) if reads is not None else None
    cells, member_sheets, inputs = read_inputs(files, loaded.rules, progress=progress, workbooks=workbooks,
                                               include_hidden=include_hidden, files=source, finish=finish,
                                               found=given, labels=labels)
    lap("read")
    if not len(cells):  # a blank form: nothing to decide, and "no issue found" would say it is ready
        raise InputError("no_household_rows", files=[labels[p] for p in files])
    members = residents = None

    def link_members() -> None:
        nonlocal members, residents
        rows = joined_rows([now(sheet) for sheet in member_sheets])
        members = read_members(rows, cells, columns_table(inputs, members=True), loaded.rules, as_of)
        residents = residents_from_members(members, cells)
        lap("members")

    # The members count a household's residents only where its 家庭常住人口数 is blank. With none
    # blank they are linked after the households' own checks, and a members table the helper
    # process is still typing (read.Later) is waited for only then.
    early = bool(member_sheets) and bool(residents_blank(cells).any())
    if early:
        link_members()
    found = None
    if specs:
        listed = read_rosters(specs, loaded.rules, as_of=as_of, files=source)
        lap("read_rosters")
    log = IssueLog(cells)
    # Not while a members table is still coming (read.Later): the helper types it first. Nor for a
    # province's file: the helper's copy of a column and its parse would add to this process's peak
    # (300 MB more at a million households, measured) for at most a second of a minute's run.
    free = not any(isinstance(sheet, Later) for sheet in member_sheets) and len(cells) <= MOST_ROWS_PARSED_ELSEWHERE
    by_members = residents_blank_hints(members, cells) if members is not None and residents is not None else None
    households = normalise(cells, log, loaded.rules, unread_formulas(cells, inputs), residents_from=residents,
                           residents_listed=by_members,
                           in_wan=amounts_in_wan(cells, inputs), elsewhere=elsewhere if free else here)
    lap("normalise")
    households = compute(households, loaded.rules)
    lap("compute")
    head_birth, head_keys = check_households(households, log, loaded.rules, as_of, bounds,
                                             struck=struck_households(households, inputs))
    check_form_places(households, log, inputs)
    check_marks(households, log, inputs)  # rows struck through, cells' comments
    check_total_rows(households, cells, inputs)
    lap("check")
    if member_sheets and not early:
        link_members()
    member_sheets = []  # what was read is the members' now
    if members is not None:
        members.head_birth, members.head_keys = head_birth, head_keys
    if specs:
        found = match_rosters(listed, households, members)
        households[FLAGS_COLUMN] = found.flags()
    if members is not None:
        borne_out = found.borne_out(households["risk"]) if found is not None else None
        check_members(households, members, log, loaded.rules, as_of, borne_out)
        say_linked_by_near_id(households, members, log)
    if found is not None:
        check_rosters(households, found, log, members)
        lap("match_rosters")
    if members is not None:
        members.slim()
    households = classify(households, log.codes(), loaded.rules, bounds,
                          authoritative=found.authoritative() if found is not None else None)
    if found is not None and "status_without_rosters" in households:
        found.changed = int((households["status"] != households["status_without_rosters"]).sum())
    lap("classify")
    options = {"year": bounds.year, "as_of": as_of.isoformat(), **({"include_hidden": True} if include_hidden else {})}
    if specs:
        options["rosters"] = [f"{s.kind}={s.path}" for s in specs]
    return Result(households=households, cells=cells, log=log, columns=columns_table(inputs), inputs=inputs,
                  loaded_rules=loaded, bounds=bounds, as_of=as_of, as_of_given=as_of_given, started=started,
                  finished=dt.datetime.now().astimezone(), timings=timings, options=options,
                  members=members, rosters=found, left_out=given.left_out)


__all__ = ["screen"]
