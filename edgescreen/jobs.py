"""The jobs behind the commands, as library functions a notebook can call too:

    from edgescreen.jobs import screen_into, check
    done = screen_into(["合隆镇.xlsx"], "out/")     # screen, and write the output folder
    outcome = check(["合隆镇.xlsx"])                 # write 合隆镇-质量报告/ beside the input
    outcome.errors, outcome.warnings, outcome.exit_code

Each refuses an output folder it may not write before reading anything, so a clerk is not told after
a long run. A `runtime.Session` started by the caller (the command line starts one before pandas
loads) lends its read-ahead and its helper process; without one, everything runs in this process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Lang, Lines, Phrase, messages
from .checks import load_region_codes
from .inputs import Found, folder_inputs
from .outputs.folder import check_target, reserved
from .outputs.quality import QualityReport
from .outputs.write import (
    check_report_target,
    default_out_dir,
    default_report_dir,
    prepare_writers,
    write_check_report,
    write_outputs,
)
from .pipeline import given_day, given_flag, given_lang, given_paths, given_year, screen
from .read import InputFile
from .result import Result
from .errors import InputError, UsageError
from .rules import DEFAULT_RULES, FIRST_YEAR, LAST_YEAR, LoadedRules, load_rules
from .rosters import RosterSpec
from .runtime import Session, calls_elsewhere, held_once_saved


def roster_specs(rosters: Sequence[RosterSpec | str]) -> list[RosterSpec]:
    """The rosters asked for, each 'KIND=FILE' parsed and its file there: said before anything is read."""
    specs = [r if isinstance(r, RosterSpec) else RosterSpec.parse(r) for r in rosters]
    # Every roster not there, in one refusal (a clerk with ten rosters puts them right in one go).
    missing = [InputError("roster_missing", path=str(spec.path), roster=Phrase(f"roster_name_{spec.kind}"))
               for spec in specs if not spec.path.is_file()]
    if len(missing) == 1:
        raise missing[0]
    if missing:
        raise InputError("files_refused", count=len(missing), problems=Lines(missing))
    return specs


@dataclass
class ScreenOutcome:
    """What `screen_into` decided and where it wrote it."""

    result: Result
    out_dir: Path
    recorded: object = None  # register.rounds.RoundRecorded, with --register
    # With request_list: the 信息比对申请名单 written (its path in out_dir) and the people it lists.
    request_list: Path | None = None
    request_people: int = 0


def _warm_up() -> None:
    """What the run needs later, loaded while the first workbook parses: the report template,
    stdnum's region table and the message catalogue."""
    prepare_writers()
    load_region_codes()
    messages()  # the catalogue parsed and validated now, not when the decision first needs a severity


def screen_into(
    paths: str | Path | Iterable[str | Path],
    out_dir: str | Path | None = None,
    *,
    rules: str | Path | LoadedRules = DEFAULT_RULES,
    year: int | None = None,
    as_of: dt.date | None = None,
    lang: Lang = "zh",
    mask: bool = True,
    publicity_start: dt.date | None = None,
    force: bool = False,
    progress: Callable[[Path, InputFile], None] | None = None,
    stage: Callable[[str], None] | None = None,
    session: Session | None = None,
    include_hidden: bool = False,
    register: str | Path | None = None,
    round_date: dt.date | None = None,
    rosters: Sequence[RosterSpec | str] = (),
    found: Found | None = None,
    request_list: bool = False,
    leave_unfinished: bool = False,
    add_to_round: bool = False,
) -> ScreenOutcome:
    """Screen survey files and write every output into `out_dir` (default: <first input>-edgescreen
    in the current folder). `progress` hears each file read, `stage` each step done. Hidden sheets
    are read only with `include_hidden`. With `register` (a register file, made the first time), the
    screen is also recorded there as a round dated `round_date` (default today), in one transaction
    with the outputs: both or neither. `rosters` ('KIND=FILE' or RosterSpec): other departments'
    rosters to match every member against (信息比对). `found`: the inputs as the command line found
    them (inputs.folder_inputs), else found here. `request_list`: also write the 信息比对申请名单 to
    send to the departments (outputs/request.py), in the folder's 信息比对/. `leave_unfinished`: begin a
    new round of the register even where villages are part-way through the last one (refused without).
    `add_to_round`: a late township's survey added to the register's latest round, not a new round
    (register.rounds.joining_round)."""
    paths, lang, year = given_paths(paths), given_lang(lang), given_year(year)
    as_of, round_date = given_day(as_of, "as_of"), given_day(round_date, "round_date")
    publicity_start = given_day(publicity_start, "publicity_start")
    mask, force = given_flag(mask, "mask"), given_flag(force, "force")
    leave_unfinished, add_to_round = given_flag(leave_unfinished, "leave_unfinished"), given_flag(add_to_round, "add_to_round")
    if publicity_start is not None and not FIRST_YEAR <= publicity_start.year <= LAST_YEAR:
        raise UsageError("date_out_of_range", option="--publicity-start", date=publicity_start.isoformat(),
                         first=FIRST_YEAR, last=LAST_YEAR)
    specs = roster_specs(rosters)
    found = found if found is not None else folder_inputs(paths, rosters=[s.path for s in specs])
    files = found.files
    target = Path(out_dir) if out_dir is not None else default_out_dir(paths[0])
    # The register and the rules file are inputs too: an output folder holding one would delete it.
    check_target(target, files + [s.path for s in specs] + _rules_file(rules)
                 + ([Path(register)] if register is not None else []), force)
    # The register is opened (and checked) before anything is read: a bad one is said at once.
    pending = None
    if add_to_round and register is None:
        raise UsageError("add_to_round_needs_register")
    if register is not None:  # the register's modules load only for a run that records a round
        from .register.rounds import RoundTarget, changes_writer
        rules = rules if isinstance(rules, LoadedRules) else load_rules(rules)
        # --year left out: the rule set's year, checked against the years the register holds.
        # --year given: never earlier than a year the register already holds.
        # The survey files and the rule set: the latest round's very files again are told so, not refused
        # for its villages part-way (the advice of that refusal would begin a round of the same files).
        pending = RoundTarget(register, round_date, default_year=rules.bounds().year if year is None else None,
                              year=year, leave_unfinished=leave_unfinished, add_to_round=add_to_round,
                              inputs=files, rules_sha256=rules.sha256, rules=rules)
        if add_to_round:  # the round's own date: ages, summary.xlsx and the documents as the round's
            round_date = pending.round_date
    if round_date is not None and as_of is None:
        as_of = round_date  # a round dated --date was surveyed then: ages at that day, as the register's
    try:
        with reserved(target):  # from the start: a second run into the same folder is refused at once
            _warm_up()
            result = screen(paths, rules, year=year, as_of=as_of, progress=progress, stage=stage,
                            workbooks=session.workbooks if session else None, include_hidden=include_hidden,
                            rosters=specs, reads=session.reads if session else None, found=found,
                            elsewhere=calls_elsewhere(session.helper if session else None))

            request = None
            if request_list:  # its writers load only for a run that asks for it
                from .outputs.request import RequestOutput
                request = RequestOutput(result, lang)

            def write(extra=(), before_place=None) -> ScreenOutcome:
                extra = [*extra, *([(request.name, request)] if request is not None else [])]
                written = write_outputs(result, target, lang=lang, mask=mask, force=force,
                                        publicity_start=publicity_start, progress=stage,
                                        helper=session.helper if session else None, extra=extra,
                                        before_place=before_place)
                if request is None:
                    return ScreenOutcome(result=result, out_dir=written)
                return ScreenOutcome(result=result, out_dir=written, request_list=written / request.name,
                                     request_people=request.people or 0)

            if pending is not None:  # the day the register records it screened on: summary.xlsx says it too
                result.options["round_date"] = pending.round_date.isoformat()
                # Kept in a register: the village lists are the county's working lists, not the meeting's form.
                result.options["register"] = str(register)
            if pending is not None and pending.join_round is not None:  # a late township's: said as such
                result.options["add_to_round"] = pending.join_round
            if pending is None:
                return write()
            with held_once_saved(), pending.recording(result, lang) as recorded:
                # With earlier rounds: the round against the register (issue 16), beside the outputs.
                # The round committed before the folder is put in place: a commit that fails (a full
                # disk) leaves no folder of a round the register does not hold.
                done = write(changes_writer(result, lang=lang, mask=mask), before_place=pending.reg.commit)
            done.recorded = recorded
            return done
    finally:
        if pending is not None:
            pending.close()


@dataclass
class CheckOutcome:
    """What `check` found and where it wrote the report."""

    result: Result
    report: QualityReport
    out_dir: Path

    @property
    def errors(self) -> int:
        return self.report.errors

    @property
    def warnings(self) -> int:
        return self.report.warnings

    @property
    def households(self) -> int:
        return self.report.counts["households"]

    @property
    def counts(self) -> dict:
        """households, errors, warnings, households_with_errors, files, and issues per code."""
        by_code = self.report.by_code["total"]
        return {**self.report.counts, "by_code": {c: int(n) for c, n in by_code.items() if n}}

    @property
    def exit_code(self) -> int:
        """0 with no error-level issue (a member row's included), 1 with some (2, an unreadable input,
        is raised as InputError)."""
        return 1 if self.errors or self.result.member_error_count else 0


def _rules_file(rules: str | Path | LoadedRules) -> list[Path]:
    """The rules file given, where one is (not a bundled rule set named by its id)."""
    if isinstance(rules, LoadedRules):
        return [rules.path]
    return [Path(rules)] if Path(rules).suffix.lower() == ".toml" else []


def check(
    paths: str | Path | Iterable[str | Path],
    rules: str | Path | LoadedRules = DEFAULT_RULES,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    out_dir: str | Path | None = None,
    lang: Lang = "zh",
    force: bool = False,
    progress: Callable[[Path, InputFile], None] | None = None,
    session: Session | None = None,
    include_hidden: bool = False,
    rosters: Sequence[RosterSpec | str] = (),
    found: Found | None = None,
) -> CheckOutcome:
    """Read every input, run every check, write the quality report (default: <first input>-质量报告
    beside the first input). Raises EdgescreenError subclasses for inputs that cannot be read and
    report folders that cannot be written. Hidden sheets are read only with `include_hidden`. `found`:
    the inputs as the command line found them (inputs.folder_inputs), else found here."""
    paths, lang, year, as_of = given_paths(paths), given_lang(lang), given_year(year), given_day(as_of, "as_of")
    specs = roster_specs(rosters)
    found = found if found is not None else folder_inputs(paths, rosters=[s.path for s in specs])
    files = found.files
    target = Path(out_dir) if out_dir is not None else default_report_dir(paths[0], lang)
    check_report_target(target, files + [s.path for s in specs] + _rules_file(rules), force)
    with reserved(target):
        _warm_up()
        result = screen(paths, rules, year=year, as_of=as_of, progress=progress,
                        workbooks=session.workbooks if session else None, include_hidden=include_hidden,
                        rosters=specs, reads=session.reads if session else None, found=found,
                        elsewhere=calls_elsewhere(session.helper if session else None))
        report = write_check_report(result, target, lang=lang, force=force,
                                    helper=session.helper if session else None)
    return CheckOutcome(result=result, report=report, out_dir=target)


__all__ = ["screen_into", "ScreenOutcome", "check", "CheckOutcome", "default_out_dir", "default_report_dir"]
