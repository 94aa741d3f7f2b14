"""`edgescreen register next|record|status|export|history`: the procedure after the screen, on the
register file. Options, calls into edgescreen.register, and printing through the catalogue."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.cells import cell_len

from .. import runtime
from ..catalogue import Phrase
from ..errors import InputError, OutputError
from .common import LangOpt, after_ctrl_c, check_lang, day, day_option, out, run_guarded, say_error, words
from .terminal import Command, Group
from .wrapping import say_prose, visible

register_app = typer.Typer(
    name="register",
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Their help is the catalogue's (opt_register_…, meta_… in data/messages/cli.toml): see terminal.py.
Db = Annotated[Path, typer.Argument(show_default=False)]
DateOpt = Annotated[Optional[dt.datetime], day_option("--date")]


def _say(text: str, style: str = "", keep: Sequence[str] = ()) -> None:
    """A line of the register's reports, wrapped at the terminal's width: continuation lines under
    the line's own text (its leading spaces and two more), a part between " · " and each of `keep`
    (a path written: copied, it must still be one) kept whole."""
    parts = [part.strip() for part in text.split(" · ")] if " · " in text else []
    say_prose(out, text, indent=2, keep=[*parts, *keep], style=style)


@register_app.command("next", cls=Command)
def register_next(
    db: Db,
    date: DateOpt = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    reprint: Annotated[bool, typer.Option("--reprint")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Write the document of every village's next step (民主评议 list, 入户核实 form, 公示, 乡镇审核 …;
    未调查户情况核实表 for the registered households this year's survey did not find).

    Only villages whose previous step is recorded get one; a document already out and not recorded
    is not written again (--reprint: again where the folder does not hold it), and a folder replaced
    keeps those it holds. The folder appears whole or not at all.
    """
    lang = check_lang(lang)
    L = words(lang)
    when = day(date) or dt.date.today()
    folder = out_dir or Path.cwd() / L("next_folder", name=db.stem, date=when.isoformat())

    def job():
        from ..register import issue_documents, opened_register

        from ..register.views import nobody_listed_printed

        with opened_register(db) as reg:
            outcome = issue_documents(reg, folder, when, lang=lang, force=force, reprint=reprint)
            # The villages held back are named in the county's order, read only where there are several.
            return (outcome, nobody_listed_printed(reg) if outcome.written or outcome.reprinted else {},
                    _village_order(reg, lang) if len(outcome.skipped) > 1 else {})

    outcome, nobody, village_order = run_guarded(job, lang)
    from ..register.views import documents_out_items

    documents_out = outcome.out  # `out` is the console
    if outcome.unsurveyed is not None:  # before the forms: a village whose whole survey may be missing
        from ..inputs import shell_word
        from ..register.changes import unsurveyed_command, unsurveyed_sentences

        late = unsurveyed_command(lang, outcome.year, shell_word(str(db)))
        for said in unsurveyed_sentences(outcome.unsurveyed, lang, outcome.year, register=shell_word(str(db))):
            _say(said, "yellow", keep=[late])
    for step, (documents, households, where) in outcome.written.items():
        _say(L("reg_next_written", step=L(f"step_{step}"), documents=documents, households=households,
               folder=str(where)), keep=[str(where)])
        if nobody.get(step):  # a 公示 of nobody (本村无) per village with nobody on its list: said, not wondered at
            _say(L("reg_next_none_listed", count=min(nobody.pop(step), documents)))
    for step, (documents, households, where) in outcome.reprinted.items():
        _say(L("reg_next_reprinted", step=L(f"step_{step}"), documents=documents, households=households,
               folder=str(where)), keep=[str(where)])
        if nobody.get(step):
            _say(L("reg_next_none_listed", count=min(nobody.pop(step), documents)))
    # The documents it kept and let go, a line per step in the procedure's order (as files were found, a
    # --force over 文书/ said 县级复审 first and 民主评议 last).
    for step, (documents, where) in _in_procedure_order(outcome.carried):  # whose each is, said once: here
        kept = documents_out[documents_out["held"].to_numpy(dtype=bool) & documents_out["step"].eq(step).to_numpy()]
        whose = L("list_sep_wide").join(L(f"docs_kept_{i['kind']}", **i) for i in documents_out_items(kept, lang))
        _say(L("reg_next_carried_of" if whose else "reg_next_carried", step=L(f"step_{step}"), documents=documents,
               folder=str(where), whose=whose), keep=[str(where)])
    for step, (documents, where) in _in_procedure_order(outcome.kept_recorded):  # the round's paper trail, never deleted
        _say(L("reg_next_kept_recorded", step=L(f"step_{step}"), documents=documents, folder=str(where)),
             keep=[str(where)])
    for step, (documents, where) in _in_procedure_order(outcome.let_go):  # gone from the folder: said, with why
        _say(L("reg_next_let_go_as_printed", step=L(f"step_{step}"), documents=documents, folder=str(where)),
             keep=[str(where)])
    if outcome.removed:  # the blank copies --force let go (an outside try lost 35 without a word): one line
        parts = [L(key, step=L(f"step_{step}"), count=n, folder=str(where))
                 for step, (of_recorded, of_others, where) in _in_procedure_order(outcome.removed)
                 for key, n in (("reg_next_removed_recorded", of_recorded), ("reg_next_removed_other", of_others)) if n]
        _say(L("reg_next_removed", count=sum(a + b for a, b, _ in outcome.removed.values()),
               parts=L("list_sep_wide").join(parts)), keep=[str(where) for _, _, where in outcome.removed.values()])
    if outcome.no_review:  # villages with nobody to review: done, not forgotten
        from ..outputs.places import place_name

        # Each with its township (a blank one's placeholder, as status names it) and, where households
        # the round could not decide are why, how many: that village waits for a corrected survey.
        places = [L("reg_next_no_review_undecided", place=place, households=f"{n:,}") if n else place
                  for place, n in ((place_name(t, lang, "unknown_township") + place_name(v, lang, "unknown_village"), n)
                                   for t, v, n in outcome.no_review)]
        # A later round's county has hundreds (every village without a new candidate): the first named.
        _say(L("reg_next_no_review", count=len(places), villages=_briefly(places, L, shown=10)), keep=places[:10])
    for line, shown in _held_back(outcome.skipped, village_order, L, lang):  # a line per reason alike
        _say(line, "yellow", keep=shown)
    if not outcome.written and not outcome.reprinted:
        _say(outcome.due_later.render(lang) if outcome.due_later is not None else L("reg_next_nothing"))
    if not outcome.reprinted:  # --reprint, just used, printed again every document out it could not find
        # The documents out not said kept above: where the folder holds them (nothing written), said
        # so; where it does not, --reprint is the advice for a file lost.
        held = documents_out["held"].to_numpy(dtype=bool)
        here = documents_out[held] if outcome.out_dir is None else documents_out.iloc[:0]
        for said, key in ((here, "reg_next_out_here"), (documents_out[~held], "reg_next_out_elsewhere")):
            listed = L("list_sep_wide").join(L(f"docs_out_{item['kind']}", **item)
                                             for item in documents_out_items(said, lang))
            if listed:
                _say(L(key, listed=listed, folder=str(folder)), "dim", keep=[str(folder)])
    printed = {**outcome.written, **outcome.reprinted}
    if printed:  # last, as the next thing to do (as screen ends): print, fill in, record
        from ..catalogue import messages
        from ..inputs import shell_word

        from ..register.procedure import procedure
        from ..register.rounds import path_from_here

        # How the step's documents are filled in (民主评议's at the meeting), where one step was printed;
        # and where they go, by their steps' scope: the villages, the townships (乡镇审核), the county.
        how = f"reg_next_how_{next(iter(printed))}" if len(printed) == 1 else "reg_next_how"
        scopes = {procedure()[step].scope for step in printed}
        then = "reg_next_then" if scopes == {"village"} else \
            f"reg_next_then_{scopes.pop()}" if len(scopes) == 1 else "reg_next_then_mixed"
        _say(L(then, how=L(how if how in messages().labels else "reg_next_how")))
        # The commands to copy: one line each, never wrapped (a terminal's own wrapping copies back whole);
        # the register as it was given, each folder's documents by a pattern the shell (or click) expands,
        # from where the clerk is (the default folder is made under it: its absolute path wrapped at 80 columns).
        for where in dict.fromkeys(where for _, _, where in printed.values()):
            documents = shell_word(path_from_here(where)) + os.sep + "*.xlsx"
            out.print("  " + L("reg_next_record_command", register=shell_word(str(db)), documents=documents),
                      markup=False, highlight=False, soft_wrap=True)


def _in_procedure_order(said: dict) -> list:
    """{step: …}'s items in the procedure's order (entry, exit, not surveyed); a step of none (measures) last."""
    from ..register.procedure import procedure

    proc = procedure()
    order = {step.id: i for i, step in enumerate(proc.all_steps)}
    return sorted(said.items(), key=lambda item: order.get(item[0], len(order)))


def _held_back(skipped: list, village_order: dict[str, int], L, lang: str) -> list[tuple[str, list[str]]]:
    """The villages `register next` held back, a line per reason alike, with the villages it names
    (kept whole when wrapped). Alike is the same wording apart from the village: the same step, the
    one before it and the same day (a county's 300 villages read a line per day a period ends, not
    300 lines). The villages in the county's order (_village_order), the first named and how many in
    all (_briefly); one village's line as it reads alone. The lines by their day, the first due first."""
    gathered: dict[tuple, tuple] = {}
    for phrase in skipped:
        key = (phrase.key, tuple((k, v) for k, v in phrase.params.items() if k != "village"))
        gathered.setdefault(key, (phrase, []))[1].append(phrase.params["village"])
    at = len(village_order)
    lines = []
    for phrase, places in sorted(gathered.values(), key=lambda item: str(item[0].params.get("date", ""))):
        places = sorted(dict.fromkeys(places), key=lambda place: village_order.get(place, at))
        if len(places) > 1:
            phrase = Phrase(phrase.key, **{**phrase.params, "village": _briefly(places, L)})
        lines.append((phrase.render(lang), places[:3]))
    return lines


# A form's outcomes that recorded something now (counted as 登记; the next steps follow them).
RECORDED_NOW = ("recorded", "amended", "empty")


@register_app.command("record", cls=Command)
def register_record(
    db: Db,
    files: Annotated[list[Path], typer.Argument(show_default=False)],
    amend: Annotated[bool, typer.Option("--amend")] = False,
    reason: Annotated[Optional[str], typer.Option("--reason")] = None,
    all_problems: Annotated[bool, typer.Option("--all-problems")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Record filled documents: each row checked, then all files at once, or nothing.

    Exit 2 with every problem listed (file, sheet, cell) if any file has one: an edited name or ID,
    a word that is not a decision, a missing reason, a date out of order, an unknown document.
    Recording the same document again changes nothing.
    """
    lang = check_lang(lang)
    L = words(lang)

    def job():
        from ..register import opened_register, record_documents
        from ..register.db import UPGRADE_ON_WRITE
        from ..register.steps import document_files
        from ..register.views import last_printed

        documents, locks = document_files(files)
        for lock in locks:  # Excel's ~$ file of an open document: said, not read
            _say(L("reg_record_lock_file", file=lock.name), "dim")
        try:
            # An older register upgraded only by a record that writes: one refused leaves it as the
            # offices' older edgescreen still opens it.
            with opened_register(db, upgrade=UPGRADE_ON_WRITE) as reg:
                outcomes = record_documents(reg, documents, lang=lang, amend=amend, reason=reason)
                # The gathered lines name their villages in the register's order, read only where there are any;
                # the exit's last step recorded: the day its households left, as history and status say it.
                # Where the latest next printed: the folder the advice at the end names again.
                return (outcomes, _village_order(reg, lang) if _gathered_notes(outcomes) else {},
                        _exits_recorded(reg, outcomes, lang), last_printed(reg))
        except InputError as refused:
            if all_problems and refused.every is not None:  # each file, not the first ones
                raise refused.in_full() from None
            raise _refusal_as_listed(refused) from None

    # A refusal lists every problem: wrapped at the terminal's width, the files' names kept whole.
    keep = [str(f) for f in files] + [Path(f).name for f in files]
    try:
        outcomes, village_order, exits, printed = run_guarded(job, lang, keep=keep)
    except runtime.Interrupted as stop:
        if runtime.saved():  # after the register saved: the program says that it did
            raise
        after_ctrl_c(stop)
        say_error(L("reg_record_interrupted"))
        raise typer.Exit(stop.exit_code) from None
    # Forms no village has filled in yet (as printed): passed over, said in one line where there are several.
    not_filled = [o for o in outcomes if o.status == "not_filled"]
    # The office's copies as printed of forms recorded from the villages' filled ones (文书/ given whole).
    printed_copies = [o for o in outcomes if o.status == "printed_copy"]
    gathered = _gathered_notes(outcomes, village_order)
    # A county's folder: the files with nothing to act on are in the totals below, not a line each.
    brief = len(outcomes) > RECORD_EACH_AT_MOST
    passed = 0
    for o in outcomes:
        step = L(f"step_{o.step}")
        if o.status == "printed_copy" and len(printed_copies) > 1:
            continue
        if o.status in ("in_period", "void", "earlier_round", "printed_copy"):  # passed over, its note saying why (a publicity
            # still up, a form every household of which a late township's survey found, last year's recorded)
            for note in o.notes:
                _say(note.render(lang), "dim")
            continue
        if o.status == "copy":  # the same file given twice: read once
            _say(L("reg_record_copy", file=o.file, other=o.notes[0], step=step, place=o.place), "dim")
            continue
        notes = [note for note in o.notes if _gathered_key(note) not in gathered]
        if brief and o.status in ("recorded", "unchanged", "empty") and not notes:
            passed += 1
            continue
        if o.status == "not_filled":
            if len(not_filled) == 1:
                _say(L("reg_record_not_filled", file=o.file, step=step, place=o.place), "dim")
        elif o.status == "unchanged":
            _say(L("reg_record_unchanged", file=o.file, step=step, place=o.place), "dim")
        elif o.status == "empty":
            _say(L("reg_record_measures_empty", file=o.file, place=o.place), "dim")
        elif o.step == "measures" and o.status == "recorded":
            _say(L("reg_record_measures", file=o.file, place=o.place, households=f"{o.households:,}",
                   events=f"{o.events:,}"))
        elif o.step == "measures":  # some rows change a measure held (o.removed of them), the others are new
            _say(L("reg_record_measures_changed", file=o.file, place=o.place, households=f"{o.households:,}",
                   changed=f"{o.removed:,}", new=f"{o.events - o.removed:,}"), "yellow")
        elif o.status == "amended":
            _say(L("reg_record_amended", file=o.file, step=step, place=o.place, events=f"{o.events:,}"), "yellow")
        elif o.step == _last_exit_step() and o.households > o.removed:  # they have left, from its last day
            _say(L("reg_record_exit_left_file", file=o.file, step=step, place=o.place, households=f"{o.households:,}",
                   kept=f"{o.removed:,}", leaving=f"{o.households - o.removed:,}", since=_since(exits, [o.place], L,
                                                                                             "reg_record_exit_since")))
        elif o.step.startswith("exit_"):  # of the exit procedure: those turned down stay on the register
            _say(L("reg_record_exit_file", file=o.file, step=step, place=o.place, households=f"{o.households:,}",
                   kept=f"{o.removed:,}"))
        elif o.step.startswith("gone_"):  # 未调查户核实: its no (户已不存在) is off the register
            from ..outputs.places import issuer_places

            # One village's form: its place's word (a 社区's 仍在本社区), told by the name it ends with.
            _say(L("reg_record_gone_file", file=o.file, step=step, place=o.place, households=f"{o.households:,}",
                   gone=f"{o.removed:,}", here=f"{o.households - o.removed:,}",
                   this_place=issuer_places("", o.place, lang)["this_place"]))
        elif not o.households:  # a list of nobody (本村无): its posting and any 漏评 are what it records
            _say(L("reg_record_file_nobody", file=o.file, step=step, place=o.place))
        elif not o.removed:  # every household stays on the list: no "(其中未通过、移出名单 0 户)" on each village
            _say(L("reg_record_file_all_kept", file=o.file, step=step, place=o.place, households=f"{o.households:,}"))
        else:
            _say(L("reg_record_file", file=o.file, step=step, place=o.place, households=f"{o.households:,}",
                   removed=f"{o.removed:,}"))
        for note in notes:
            _say("  " + note.render(lang), "yellow")
    if passed:
        _say(L("reg_record_passed", count=f"{passed:,}"), "dim")
    if len(not_filled) > 1:
        _say(L("reg_record_not_filled_many", count=f"{len(not_filled):,}",
               files=L("list_sep").join(o.file for o in not_filled)), "dim")
    if len(printed_copies) > 1:
        _say(L("reg_record_printed_copies", count=f"{len(printed_copies):,}",
               files=L("list_sep").join(o.file for o in printed_copies)), "dim")
    for note, places in gathered.items():  # said once for the villages it concerns
        _say(L(f"reg_record_gathered_{note[0]}", **dict(note[1]), count=f"{len(places):,}",
               villages=_briefly(places, L)),
             "yellow")
    # The totals of a step: a folder's, or the county's form; and a single 公告's, whose file line does not
    # say from when its households are on the register (在册自 …), as several villages' total does.
    if len(outcomes) > 1 or _of_many_villages(outcomes) or _announcement_recorded(outcomes):
        for line in _step_totals(outcomes, L, lang, exits):
            _say(line)
    if len(outcomes) > 1:  # a folder of a township's forms: the count at the end, and what comes next
        # An earlier round's form recorded before changes nothing, as one of this round recorded again.
        counts = Counter("recorded" if o.status in RECORDED_NOW else
                         "unchanged" if o.status in ("earlier_round", "printed_copy") else o.status for o in outcomes)
        parts = [L(f"reg_record_count_{status}", count=f"{counts[status]:,}")
                 for status in ("recorded", "unchanged", "in_period", "not_filled", "copy", "void") if counts[status]]
        _say(L("reg_record_total", files=f"{len(outcomes):,}", parts=L("list_sep").join(parts)), "bold")
    # Last, after one file as after a folder (as next and status end): the commands that show how far each
    # village is and print what is due next, on the register as given and into the documents folder the
    # latest next printed into (文书/, wherever the files recorded were copied), found as _next_folder says.
    if not any(o.status in RECORDED_NOW for o in outcomes):
        return  # nothing recorded (a form not filled in yet): the next step is to fill it, said above
    from ..inputs import shell_word

    register = shell_word(str(db))
    _say(L("reg_record_then"))
    out.print("  " + L("reg_record_status_command", register=register), markup=False, highlight=False,
              soft_wrap=True)
    _advise_next(db, printed, files, L, "reg_record_next_command")


def _advise_next(db: Path, printed: tuple[dict[str, set[str]], str | None], files: Sequence[Path], L,
                 plain: str) -> None:
    """The `register next` to copy: into the documents folder the latest next printed into, with --force
    (it is there to replace, keeping what it holds); the register's default folder where no next has printed
    yet; and where its folder cannot be told, the command without -o and a line to give it (without it, next
    makes a new folder by the day's date: an outside try's 4-乡镇审核 went there, the other steps in 文书/).
    --date is not guessed: the clerk who gave it before knows the day, and today is the default."""
    from ..inputs import shell_word

    folder, untold = _next_folder(*printed, db, files)
    register = shell_word(str(db))
    command = L(plain, register=register) if folder is None else \
        L("reg_record_next_folder_command", register=register, folder=shell_word(folder))
    out.print("  " + command, markup=False, highlight=False, soft_wrap=True)
    if untold:
        _say(L("reg_next_folder_untold"), "dim")


def _next_folder(printed: dict[str, set[str]], kept: str | None, db: Path,
                 files: Sequence[Path]) -> tuple[str | None, bool]:
    """(The documents folder the latest `register next` printed `printed` into, from where the clerk is;
    whether there was one that cannot be told). Next keeps the folder with its changeset (`kept`), but the
    work folder may have been copied or moved since: it is the one holding those files under their step folders, as printed or as recorded (a folder of a round before holds files of
    the same names: by name only where none is found by content), looked for among the folders beside the
    ones the files recorded came from (交回/ beside 文书/), beside the register and here. Two holding them
    (文书/ and a copy of it) are told apart only by the files given from one (_documents_folder); none found,
    the files' own documents folder stays the advice. Never the folder the clerk is in, or one holding it."""
    given = _documents_folder(files) if files else None
    if not printed:  # no next has printed yet: its default folder is no other one
        return given, False
    from ..inputs import file_sha256
    from ..register.rounds import path_from_here

    # The folder next kept with its changeset (views.last_printed), where it still holds what it printed:
    # the one of several found near that holds them, or the one where none is near; a copy beside the
    # register (the work folder copied whole) is found first, and the old place is not written into.
    kept_at = Path(kept).resolve() if kept is not None and Path(kept).is_dir() and any(
        (Path(kept) / name).is_file() for name in printed) else None
    near = {Path.cwd().resolve(), db.resolve().parent}
    near |= {(Path(f) if Path(f).is_dir() else Path(f).parent).resolve().parent for f in files}
    steps = {name.split("/")[0] for name in printed if "/" in name}
    named: dict[Path, list[Path]] = {}  # a folder holding files of those names: those files
    for place in sorted(near):
        try:
            folders = [p for p in place.iterdir() if p.is_dir() and any((p / step).is_dir() for step in steps)]
        except OSError:  # a folder not to be read (permissions): nothing found there
            continue
        for folder in folders:
            held = [folder / name for name in printed if (folder / name).is_file()]
            if held:
                named[folder] = held
    same = {folder for folder, held in named.items()
            if any(file_sha256(path) in printed[path.relative_to(folder).as_posix()] for path in held)}
    found = same or set(named)
    given_at = Path(given).resolve() if given else None
    if given_at in found or (given_at is not None and not found):
        return given, False
    if kept_at is not None and (kept_at in found or not found):
        found = {kept_at}
    if len(found) != 1:
        return None, True
    folder = found.pop()
    if Path.cwd().resolve().is_relative_to(folder):  # --force would replace the folder the clerk is in
        return None, True
    return path_from_here(folder), False


def _documents_folder(files: Sequence[Path]) -> str | None:
    """The folder `register next -o` printed the files given into: 文书 of 文书/4-乡镇审核/x.xlsx, of
    文书/4-乡镇审核/ or of 文书/ given whole, where every file given says the same one (from where the
    clerk is); else None (a measures folder, files copied elsewhere, the current folder itself)."""
    from ..register.procedure import procedure
    from ..register.rounds import path_from_here

    steps = procedure().step_folders()

    def printed_into(path: Path) -> Path | None:
        if path.is_dir() and any(p.is_dir() and p.name.casefold() in steps for p in path.iterdir()):
            return path
        folder = path if path.is_dir() else path.parent
        return folder.parent if folder.name.casefold() in steps else None

    found = {printed_into(Path(f)) for f in files}
    folder = found.pop() if len(found) == 1 else None
    # Never the folder the clerk is in, or one holding it (../4-乡镇审核/*.xlsx): --force would replace it.
    return None if folder is None or Path.cwd().resolve().is_relative_to(folder.resolve()) else path_from_here(folder)


# A batch of more files than a township's folder holds (a county's hundred villages at once): a line for
# each file with something to act on (a note, an amendment, one passed over), the others counted; a
# township's folder (tens of villages) reads a line per file, as a screen of them fits a terminal.
RECORD_EACH_AT_MOST = 30
# Notes alike on many files, said once for all the villages they concern (a county's hundred 公示 with
# no 张贴日期 said it three hundred lines over; 170 villages posting a day late, 690 lines): their words
# reg_record_gathered_{key}, one line per note alike (the same step and days).
GATHERED_NOTES = ("rp_pub_no_posting_date", "rp_pub_posted_late", "rp_posted_late", "rp_exit_posted_late")


def _gathered_key(note) -> tuple | None:
    key = getattr(note, "key", None)
    return (key, tuple(note.params.items())) if key in GATHERED_NOTES else None


def _gathered_notes(outcomes, village_order: dict[str, int] | None = None) -> dict[tuple, list[str]]:
    """{(note key, its params): the places of the files recorded with it}, for GATHERED_NOTES alike on
    two files or more (one village's stays on its own file's line, as it reads there). The places in
    `village_order` (_village_order), not the files' (合隆镇-东兴村 before the survey's first, 前岗村);
    one it lacks after them, as read."""
    gathered: dict[tuple, list[str]] = {}
    for o in outcomes:
        if o.status in ("in_period", "void", "copy"):  # their notes say why they were passed over
            continue
        for note in o.notes:
            if getattr(note, "key", None) in GATHERED_NOTES:
                gathered.setdefault(_gathered_key(note), []).append(o.place)
    order = village_order or {}
    return {key: sorted(places, key=lambda place: order.get(place, len(order)))
            for key, places in gathered.items() if len(places) > 1}


def _village_order(reg, lang) -> dict[str, int]:
    """{a village as a recorded file's line names it (township and village): its number in the
    register's order}: the latest round's survey's (db.round_villages, as `register status` has them),
    then the villages only earlier rounds surveyed."""
    from ..outputs.places import place_name
    from ..register import db

    latest = db.latest_round(reg)
    places = [*(db.round_villages(reg, int(latest["id"])) if latest else []), *db.surveyed_villages(reg)]
    named = (f"{place_name(t, lang, 'unknown_township')}{place_name(v, lang, 'unknown_village')}" if v or not t
             else place_name(t, lang, "unknown_township") for t, v in dict.fromkeys(places))
    return {name: i for i, name in enumerate(dict.fromkeys(named))}


def _briefly(places: list[str], L, shown: int = 3) -> str:
    """Villages named briefly: all of a few, else the first `shown` and how many in all."""
    names = L("list_sep").join(places[:shown])
    return names if len(places) <= shown else L("rp_villages_more", places=names, count=f"{len(places):,}")


def _announcement_recorded(outcomes) -> bool:
    """A 公告 recorded: its households are on the register from its last day, which the total line says."""
    from ..register.procedure import MEASURES_STEP, procedure

    return any(o.status in ("recorded", "amended") and o.step != MEASURES_STEP
               and procedure()[o.step].kind == "announcement" for o in outcomes)


def _of_many_villages(outcomes) -> bool:
    """One form of a township or of the county recorded (县级复审's one file): its step's total line
    says, as a folder's does, how many stay on the list, which its file's line does not."""
    from ..register.procedure import MEASURES_STEP, procedure

    return any(o.status in ("recorded", "amended") and o.step != MEASURES_STEP and procedure()[o.step].scope != "village"
               for o in outcomes)


def _last_exit_step() -> str | None:
    """The exit procedure's last step (procedure.toml's last exit_step): once it is recorded, the
    households it kept on its list have left the register."""
    from ..register.procedure import procedure

    steps = procedure("exit").ids
    return steps[-1] if steps else None


def _exits_recorded(reg, outcomes, lang) -> dict[str, tuple[str, str]]:
    """views.exit_days where the exit's last step was recorded (read only then), else nothing."""
    if not any(o.step == _last_exit_step() and o.status in ("recorded", "amended") for o in outcomes):
        return {}
    from ..register.views import exit_days

    return exit_days(reg, lang)


def _since(days: dict[str, tuple[str, str]], places: Sequence[str], L, key: str) -> str:
    """From when, over `places` (their (first, last) days): one day, or the first and the last (`key`)."""
    known = [days[p] for p in places if p in days]
    if not known:
        return "—"
    first, last = min(d[0] for d in known), max(d[1] for d in known)
    return first if first == last else L(key, first=first, last=last)


def _step_totals(outcomes, L, lang, exits: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """A line per step recorded, in the procedure's order: its households, those kept on the list and
    those it took off, by the word that took them off (不同意, 不属实, 异议成立 …); the 公告's, on the
    register from its villages' last day; the exit's last step's, off it from theirs (`exits`,
    views.exit_days). What a clerk otherwise adds up over a hundred villages' lines."""
    from ..register.procedure import procedure

    proc = procedure()
    done = [o for o in outcomes if o.status in ("recorded", "amended") and o.step != "measures"]
    lines = []
    for step in proc.all_steps:
        mine = [o for o in done if o.step == step.id]
        if not mine:
            continue
        households, removed = sum(o.households for o in mine), sum(o.removed for o in mine)
        name = L(f"step_{step.id}")
        if step.kind == "announcement":
            days = sorted({o.date for o in mine if getattr(o, "date", None)})
            since = days[0] if len(days) == 1 else L("reg_record_total_since", first=days[0], last=days[-1]) \
                if days else "—"
            lines.append(L("reg_record_total_announcement", step=name, households=f"{households:,}", since=since))
        elif step.id == _last_exit_step():  # its yes has taken the household off the register, its no kept it
            key = "reg_record_total_exit_left" if households > removed else "reg_record_total_exit_none_left"
            lines.append(L(key, step=name, households=f"{households:,}", leaving=f"{households - removed:,}",
                           kept=f"{removed:,}", since=_since(exits or {}, [o.place for o in mine], L,
                                                             "reg_record_total_exit_since")))
        elif step.id.startswith("exit_"):  # its no keeps the household on the register
            lines.append(L("reg_record_total_exit", step=name, households=f"{households:,}",
                           leaving=f"{households - removed:,}", kept=f"{removed:,}"))
        elif step.id.startswith("gone_"):
            lines.append(L("reg_record_total_gone", step=name, households=f"{households:,}", gone=f"{removed:,}",
                           here=f"{households - removed:,}"))
        else:
            word = step.decision.no(lang) if step.decision is not None else L("objection_upheld")
            lines.append(L("reg_record_total_step", step=name, households=f"{households:,}",
                           kept=f"{households - removed:,}", removed=f"{removed:,}",
                           why=L("reg_record_total_why", word=word) if removed else ""))
    # The measure forms: what their rows recorded, and the households still without any (a blank form's).
    forms = [o for o in outcomes if o.step == "measures" and o.status in ("recorded", "amended", "unchanged", "empty")]
    if forms:
        lines.append(L("reg_record_total_measures", measures=sum(o.events for o in forms if o.status != "unchanged"),
                       changed=sum(o.removed for o in forms if o.status != "unchanged"),
                       without=sum(getattr(o, "without", 0) for o in forms)))
    return lines


def _refusal_as_listed(refused):
    """record's refusal with its headline agreeing with the lines below it: where rows alike are one
    line (第 4-10 行(7 户)), how many lines list the problems counted (an outside try read "36 处问题"
    above 6 lines)."""
    listed = len(refused.params.get("problems", ())) if refused.key == "record_refused" else 0
    if not 0 < listed < refused.params.get("count", 0):
        return refused
    return InputError("record_refused_listed", **refused.params, listed=listed)


# The whole report, a line per village, per household and per objection, while it is about a screen
# (a few villages, a handful of households: as many lines as a terminal shows, 50); past it, a county's
# hundred villages and thousands of households scrolled what needs doing out of sight: the overview per
# township then, and what needs doing gathered, the lists whole in 进度.xlsx.
STATUS_WHOLE_AT_MOST = 40


@register_app.command("status", cls=Command)
def register_status(
    db: Db,
    xlsx: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    as_of: Annotated[Optional[dt.datetime], day_option("--as-of")] = None,
    lang: LangOpt = "zh",
) -> None:
    """Each village's step, its dates, the households at each step, what is overdue, and who left the list."""
    lang = check_lang(lang)
    L = words(lang)

    def job():
        from ..register import opened_register, status_report, write_status

        from ..register.views import last_printed

        with opened_register(db, upgrade=False) as reg:  # a look: an older file read as it is
            report = status_report(reg, lang=lang, today=day(as_of))
            printed = last_printed(reg)  # the folder its advice names
        if xlsx is not None:
            write_status(report, xlsx, lang)
        return report, printed

    report, printed = run_guarded(job, lang)
    _say(L("reg_status_title", county=report.county, round=int(report.round["id"]), year=int(report.round["year"])),
         "bold")
    from ..register.views import round_rules_line

    # The rule set and bounds that decided the round, as screen said them; its file's name kept whole.
    _say(round_rules_line(report.round, lang), keep=[Path(str(report.round.get("rules_file") or "-")).name])
    if _whole_status_items(report) > STATUS_WHOLE_AT_MOST:
        _status_overview(report, L, lang, xlsx, db, printed)
        return
    _village_lines(report.villages, L, "reg_status_village")
    _without_candidates(report, lang)
    _undecided(report, lang)
    if len(report.removed):
        _say(L("reg_status_removed"), "bold")
        _removed_lines(report.removed, L)
    _objection_lines(report, L, upheld_only=False)
    if report.exit_villages is not None and len(report.exit_villages):
        _say(L("reg_status_exit_title"), "bold")
        _village_lines(report.exit_villages, L, "reg_status_exit_village")
        if len(report.exit_removed):
            _say(L("reg_status_kept"), "bold")
            _removed_lines(report.exit_removed, L)
    if report.gone_villages is not None and len(report.gone_villages):
        _say(L("reg_status_gone_title", year=int(report.round["year"])), "bold")
        _village_lines(report.gone_villages, L, "reg_status_gone_village")
        if len(report.gone):
            _say(L("reg_status_gone"), "bold")
            for r in report.gone.itertuples():
                _say(L("reg_status_gone_household", name=r.head_name, id=r.masked_id, place=f"{r.township}{r.village}",
                       date=r.date, reason=r.reason or ""))
    _print_day(report, lang)
    remarks = report.village_remarks
    if remarks is not None and len(remarks):  # a village's remark is in no household's line above
        from ..outputs.publicity import format_date

        _say(L("reg_status_village_remarks"), "bold")
        for r in remarks.itertuples():
            # Its day worded as the lines above word theirs (2019年11月25日), not ISO.
            date = format_date(dt.date.fromisoformat(r.date), lang) if r.date else ""
            _say(L("reg_status_village_remark", place=f"{r.township}{r.village}", step=r.step, date=date,
                   remark=r.remark, file=r.file), keep=[f"{r.township}{r.village}"])
    if report.registered:
        _say(L("reg_status_gaps", registered=report.registered, days=report.coverage_days), "bold")
        from ..outputs.places import issuer_places

        listed = report.gap_households
        for g in report.gaps.itertuples():
            # A line of one place says its own word (本村, a 社区's 本社区).
            here = issuer_places(g.township, g.village, lang)["this_place"] if g.awaits_survey else ""
            _say(L("reg_status_gap_village", village=f"{g.township}{g.village}", households=g.households,
                   none=g.no_measure, unfit=g.unfit) + _gap_notes(g, L, report.year, here),
                 "yellow" if g.gaps or g.unsurveyed or g.below_line or g.unjudged else "")
            if waiting := _waiting_note(g, L):  # under the line: how long the longest has waited
                _say(waiting, "yellow")
            mine = listed[(listed["township"] == g.township) & (listed["village"] == g.village)]
            for h in mine.itertuples():
                _say(L("reg_status_gap_household", name=h.head_name, id=h.masked_id, gap=h.support_gap_said), "dim")
    if xlsx is not None:
        _say(L("reg_status_written", path=str(xlsx)), keep=[str(xlsx)])
    _measures_due(report, L, db)


def _measures_due(report, L, db: Path) -> None:
    """Where households on the register are past the days without a measure (纳入超过 30 天仍无帮扶措施):
    the command that prints the villages' measure forms, on the register as given; last, as the next
    thing to do."""
    if not report.registered or not int(report.gaps["no_measure"].sum()):
        return
    from ..inputs import shell_word

    _say(L("reg_status_measures_due", count=f"{int(report.gaps['no_measure'].sum()):,}", days=report.coverage_days))
    out.print("  " + L("reg_status_measures_command", register=shell_word(str(db))),
              markup=False, highlight=False, soft_wrap=True)


def _whole_status_items(report) -> int:
    """The lines of the whole report, about: one per village, household and objection of each list."""
    lists = [report.villages, report.removed, report.omissions, report.omissions_removed, report.exit_also,
             report.exit_villages, report.exit_removed, report.gone_villages, report.gone, report.nobody_listed]
    if report.registered:
        lists += [report.gaps, report.gap_households]
    return sum(len(found) for found in lists if found is not None)


def _without_candidates(report, lang: str, shown: int | None = None) -> None:
    """The villages with no candidate: those untouched named (all, or the first `shown`), those whose
    第一次公示 (本村无) is out or done a line each with its state; in a county's overview (`shown`) the
    公示 of nobody, of these and of the villages with nobody left, counted per township instead."""
    from ..register.views import in_wan_lines, unjudged_only_line, without_candidates_line

    L = words(lang)
    if report.without_candidates:  # screened with nobody to review: done, not forgotten
        places = [t + v for t, v in report.without_candidates]
        _say(without_candidates_line(report.without_candidates, lang, shown), keep=places[:shown])
    if report.unjudged_only:  # nobody to review as yet: households awaiting a corrected survey
        _say(unjudged_only_line(report.unjudged_only, lang), "yellow", keep=[t + v for t, v, _ in report.unjudged_only])
    for line, (t, v, _) in zip(in_wan_lines(report.in_wan, lang), report.in_wan):  # held: its survey looks in 万元
        _say(line, "yellow", keep=[t + v])
    nobody = report.nobody_listed
    if shown is not None:
        _none_listed_townships(report, L)
    elif nobody is not None and len(nobody):
        _say(L("status_none_listed_title", step=L("step_publicity1")), "bold")
        for v in nobody.itertuples():
            _say(L("reg_status_none_listed_village", place=f"{v.township}{v.village}", state=v.state)
                 + (f" · {L('st_issued')} {v.issued}" if v.issued else ""), keep=[f"{v.township}{v.village}"])
            if v.overdue:
                _say(f"    {L('st_overdue')}: {v.overdue}", "red")


def _undecided(report, lang: str, shown: int | None = None) -> None:
    """The households the round could not decide (数据有误,待核实), of every village: counted per village,
    each named with its row of the survey (a county's overview, `shown`: the first villages and the count,
    each household in 进度.xlsx), then what to do now (views.undecided_route)."""
    found = report.undecided
    if found is None or not len(found):
        return
    from ..register.views import undecided_line, undecided_route

    L = words(lang)
    places = (found["township"] + found["village"]).drop_duplicates().tolist()
    _say(undecided_line(found, lang, shown), "bold", keep=places[:shown])
    if shown is None:
        for (township, village), mine in found.groupby(["township", "village"], sort=False):  # a line per village
            _say(L("reg_status_undecided_village", place=township + village,
                   households=L("list_sep").join(mine["said"])), "yellow", keep=[township + village, *mine["file"]])
    _say(undecided_route(report, lang), "yellow", keep=["edgescreen screen … --register", "--add-to-round"])


def _none_listed(report):
    """The villages of the entry track whose 第一次公示 says 本村无, out or done: with candidates all
    taken off (report.villages) and with none (report.nobody_listed); township, state, overdue, none_listed."""
    import pandas as pd

    columns = ["township", "village", "state", "overdue", "none_listed"]
    parts = [found.loc[found["none_listed"].ne("").to_numpy(dtype=bool), columns]
             for found in (report.villages, report.nobody_listed) if found is not None and "none_listed" in found]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _none_listed_townships(report, L) -> None:
    """A county's 公示 of nobody (本村无) in a line: how many out and recorded, per township."""
    found = _none_listed(report)
    if not len(found):
        return
    counts = found.groupby(["township", "none_listed"], sort=False).size().unstack(fill_value=0) \
        .reindex(columns=["out", "done"], fill_value=0)
    townships = [L("reg_status_none_listed_township", township=t or L("unknown_township"), counts=L("list_sep").join(
        L(f"reg_status_none_listed_{kind}", count=f"{n:,}") for kind, n in (("out", c.out), ("done", c.done)) if n))
        for t, c in zip(counts.index, counts.itertuples())]
    _say(L("reg_status_none_listed_townships", count=f"{len(found):,}", step=L("step_publicity1"),
           done=f"{int(counts['done'].sum()):,}", out=f"{int(counts['out'].sum()):,}",
           per_township=L("list_sep_wide").join(townships)), keep=[str(t) for t in counts.index])


def _print_day(report, lang: str, shown: int | None = None) -> None:
    """How many villages' publicity is counted from the print day (no 张贴日期 recorded), a line per step:
    the villages all named, or (`shown`) the first few and the count, all of them in 进度.xlsx."""
    if report.print_day is not None and len(report.print_day):
        from ..register.views import print_day_lines

        places = (report.print_day["township"] + report.print_day["village"]).tolist()
        for line in print_day_lines(report.print_day, lang, shown):
            _say(line, "yellow", keep=places)


def _objection_lines(report, L, upheld_only: bool) -> None:
    """The objections about a household not listed (漏评; at an exit's posting, one that should leave too):
    each, or (`upheld_only`) those upheld, which call for something, and how many were not."""
    # Those naming a household a step took off are apart in the report (views.status_report), as 进度.xlsx
    # has them, each with its step and day (taken_off), dismissed ones too.
    for found, title in ((report.omissions, "reg_status_omissions"),
                         (report.omissions_removed, "reg_status_omissions_removed"),
                         (report.exit_also, "reg_status_exit_also")):
        if found is None or not len(found):
            continue
        _say(L(title), "bold")
        upheld = found["upheld"].to_numpy(dtype=bool)
        for o in (found[upheld] if upheld_only else found).itertuples():
            said = getattr(o, "taken_off", "") or o.next
            _say(L("reg_status_omission", name=o.head_name, place=f"{o.township}{o.village}", step=o.step, date=o.date,
                   result=o.result, content=o.content) + (L("reg_status_next", next=said) if said else ""),
                 "yellow" if o.upheld else "")
        if upheld_only and not upheld.all():
            _say(L("reg_status_not_upheld", count=int((~upheld).sum())), "dim")


def _gap_notes(g, L, year, here: str = "") -> str:
    """What a line of support gaps adds to its counts: measures ended, households not surveyed …
    `here`: the line's place's own word (本村, 本社区); none for a township's line, of several places."""
    return (L("reg_status_gap_ended", count=g.ended) if g.ended else "") + (
        L("reg_status_gap_unsurveyed", year=year, count=g.unsurveyed) if g.unsurveyed else "") + (
        L("reg_status_gap_awaits_survey", count=g.awaits_survey,
          still=L("gap_still_in_place", place=here) if here else L("gap_still_there")) if g.awaits_survey else "") + (
        L("reg_status_gap_below_line", count=g.below_line) if g.below_line else "") + (
        L("reg_status_gap_unjudged", count=g.unjudged) if g.unjudged else "")


def _waiting_note(g, L, township: bool = False) -> str:
    """Of a line's households without a measure past the days: a village's, since when the one waiting
    longest entered and how many a year or more (a line of its own, under the village's); a township's
    (its villages summed), how many a year or more, added to its line. 逾期无措施 counted a week late and
    two years forgotten alike."""
    if not g.no_measure:
        return ""
    if township:
        return L("reg_status_gap_waiting_year_township", count=f"{g.waiting_year:,}") if g.waiting_year else ""
    return L("reg_status_gap_waiting", date=g.waiting_since, days=f"{g.waiting_days:,}") + (
        L("reg_status_gap_waiting_year", count=f"{g.waiting_year:,}") if g.waiting_year else "")


def _status_overview(report, L, lang: str, xlsx: Optional[Path], db: Path,
                     printed: tuple[dict[str, set[str]], str | None]) -> None:
    """A county's status in a screen: a line per township of each track, then what needs doing, gathered
    (the villages overdue, the objections upheld, the townships with support gaps), then where the lists
    are whole (进度.xlsx)."""
    import pandas as pd

    from ..register.procedure import procedure

    _township_lines(report.villages, L, "reg_status_township", procedure().ids, lang)
    _without_candidates(report, lang, shown=3)
    _undecided(report, lang, shown=3)
    tracks = [report.villages]
    if report.exit_villages is not None and len(report.exit_villages):
        _say(L("reg_status_exit_title"), "bold")
        _township_lines(report.exit_villages, L, "reg_status_exit_township", procedure("exit").ids, lang)
        tracks.append(report.exit_villages)
    if report.gone_villages is not None and len(report.gone_villages):
        _say(L("reg_status_gone_title", year=int(report.round["year"])), "bold")
        _township_lines(report.gone_villages, L, "reg_status_gone_township", procedure("gone").ids, lang)
        tracks.append(report.gone_villages)
    # The documents out, whose and since when, as next counts them (a township's form one, of its villages):
    # the township lines say only the steps done (进度.xlsx says 「乡镇审核」文书已发出 of each village).
    from ..register.views import documents_out_lines

    out_now = report.documents_out
    for line in documents_out_lines(out_now[~out_now["none_listed"].to_numpy(dtype=bool)], lang):
        _say(line)
    late = pd.concat([v[v["overdue"].astype(bool).to_numpy()] for v in tracks])
    # The 公示 of nobody (本村无) overdue, counted per township: a later round has hundreds of them.
    nobody = _none_listed(report)
    nobody = nobody[nobody["overdue"].astype(bool).to_numpy()]
    if "none_listed" in late:
        late = late[late["none_listed"].fillna("").eq("").to_numpy(dtype=bool)]
    if len(late) or len(nobody):
        # Villages, counted and named once: one overdue in the entry and the exit procedure has its states on
        # one line (a county's 99 villages read 逾期的村(共 198 个), a line per procedure's document).
        places = (late["township"] + late["village"]).to_numpy(dtype=object)
        states = pd.Series([L("reg_status_overdue_state", state=state, overdue=overdue)
                            for state, overdue in zip(late["state"], late["overdue"])], dtype=object)
        states = states.groupby(places, sort=False).agg(L("list_sep_wide").join)
        villages = set(states.index) | set(nobody["township"] + nobody["village"])
        _say(L("reg_status_overdue_title", count=f"{len(villages):,}"), "bold")
        for place, said in states.items():
            _say(L("reg_status_overdue_village", place=place, states=said), "red", keep=[place])
        if len(nobody):
            per_township = nobody.groupby("township", sort=False).size()
            townships = [L("reg_status_overdue_none_listed_township", township=t or L("unknown_township"), count=f"{n:,}")
                         for t, n in per_township.items()]
            _say(L("reg_status_overdue_none_listed", step=L("step_none_listed", step=L("step_publicity1")),
                   count=f"{len(nobody):,}", townships=L("list_sep").join(townships)), "red", keep=townships)
    _objection_lines(report, L, upheld_only=True)
    _print_day(report, lang, shown=3)
    if report.registered:
        _say(L("reg_status_gaps", registered=f"{report.registered:,}", days=report.coverage_days), "bold")
        # The villages' longest wait is no sum: a township's line counts those waiting a year or more.
        per_township = report.gaps.drop(columns=["waiting_since", "waiting_days"]).groupby(
            "township", sort=False, dropna=False).sum(numeric_only=True)
        short = per_township[(per_township[["gaps", "unsurveyed", "below_line", "unjudged"]] > 0).any(axis=1).to_numpy()]
        for township, g in zip(short.index, short.itertuples()):
            _say(L("reg_status_gap_township", township=township or L("unknown_township"),
                   households=f"{g.households:,}", none=f"{g.no_measure:,}", unfit=f"{g.unfit:,}")
                 + _gap_notes(g, L, report.year) + _waiting_note(g, L, township=True), "yellow")
        if not len(short):
            _say(L("reg_status_gaps_none"))
    lists = [L(key, count=f"{len(found):,}") for found, key in (
        (report.removed, "reg_status_list_removed"), (report.exit_removed, "reg_status_list_kept"),
        (report.gone, "reg_status_list_gone"),
        (report.gap_households if report.registered else None, "reg_status_list_gaps"),
        (report.undecided, "reg_status_list_undecided"),
        (report.village_remarks, "reg_status_list_village_remarks")) if found is not None and len(found)]
    lists = L("reg_status_lists_with", lists=L("list_sep").join(lists)) if lists else ""
    if xlsx is None:
        _say(L("reg_status_lists_option", lists=lists))
    else:
        _say(L("reg_status_lists_written", path=str(xlsx), lists=lists), keep=[str(xlsx)])
    if any("due" in v and v["due"].fillna("").astype(bool).any() for v in tracks):
        # Last, as the next thing to do (as screen and next end): the command that prints what is due,
        # into the folder the latest next printed into, as after record.
        _say(L("reg_status_next_due"))
        _advise_next(db, printed, (), L, "reg_status_next_command")
    _measures_due(report, L, db)


def _township_lines(villages, L, key: str, steps: Sequence[str], lang: str) -> None:
    """A line per township: its villages, households, and how many villages have done which step
    (the furthest first); then the county's total of those figures (`key`_total). Its places are
    counted as 村, 社区, or 村(社区) where it has both."""
    from ..outputs.places import this_place_words

    order = {L(f"step_{s}"): i for i, s in enumerate(steps)}
    # A village whose 公示 saying 本村无 is recorded is at that step (views._progress_rows).
    order |= {L("step_none_listed", step=L(f"step_{s}")): i for i, s in enumerate(steps)}
    done = villages.assign(at=villages["last_step"].map(order).where(villages["begun"].to_numpy(dtype=bool), -1))
    # Not begun, its first step's document out: counted so, not 未开始 beside a form the village holds
    # (its own line says both: 未开始 · 「民主评议」文书已发出,待登记).
    out_first = ~done["begun"].to_numpy(dtype=bool) & done["issued"].fillna("").astype(str).ne("").to_numpy()
    done.loc[out_first, "last_step"] = L("st_not_started_out", step=L(f"step_{steps[0]}"))
    # Which of its places are 社区 (本社区): a 街道 of one 社区 counts 1 个社区, not 1 个村.
    done["community"] = this_place_words(done, lang) != L("this_place_village")

    def places(mine) -> str:
        return L("reg_status_places_either" if mine["community"].any() and not mine["community"].all() else
                 "reg_status_places_community" if mine["community"].any() else "reg_status_places_village")

    for township, mine in done.groupby("township", sort=False, dropna=False):  # a line per township: a few dozen
        at = mine.groupby(["at", "last_step", "begun"], sort=False, dropna=False).size().sort_index(level=0, ascending=False)
        word = places(mine)
        steps_done = [L("reg_status_township_step", last=L("reg_status_last", step=last) if begun else last, count=n,
                        places=word) for (_, last, begun), n in at.items()]
        candidates, remaining = int(mine["candidates"].sum()), int(mine["remaining"].sum())
        _steps_line(L(key, township=township, villages=len(mine), places=word, candidates=f"{candidates:,}",
                      remaining=f"{remaining:,}", left=f"{candidates - remaining:,}",
                      steps=L("list_sep").join(steps_done)), steps_done)
    # The county's figures, summed: what a clerk otherwise adds up over the township lines.
    candidates, remaining = int(villages["candidates"].sum()), int(villages["remaining"].sum())
    total = L(f"{key}_total", villages=f"{len(villages):,}", places=places(done), candidates=f"{candidates:,}",
              remaining=f"{remaining:,}", left=f"{candidates - remaining:,}")
    _say(total, "bold")
    # What register next prints now, a line per step: how many villages of each township (进度.xlsx says
    # 待发出「…」文书 of each village); the township lines say only the steps done.
    due = done[done["due"].fillna("").astype(str).ne("").to_numpy()]
    lead = total[:len(total) - len(total.lstrip(" "))]  # an exit's lines are indented under their title
    for step, mine in due.groupby("due", sort=False):
        per_township = mine.groupby("township", sort=False, dropna=False).size()
        townships = [L("reg_status_due_township", township=t or L("unknown_township"), count=f"{n:,}")
                     for t, n in per_township.items()]
        _say(lead + L("reg_status_due", step=L(f"step_{step}"), count=f"{len(mine):,}", places=places(mine),
                      townships=L("list_sep").join(townships)), keep=townships)


def _steps_line(text: str, steps: Sequence[str]) -> None:
    """A township's line, on one line where it fits; else its figures, then under them " · " and the
    steps, continued under the first step, each step whole: the steps read as a list, and no line
    ends in "·" (at 80 columns most did, the steps alone on the next line)."""
    figures, _, listed = text.partition(" · ")
    lead = text[:len(text) - len(text.lstrip(" "))]
    if cell_len(visible(text)) > out.width:
        text = f"{figures}\n{lead}  · {listed}"
    say_prose(out, text, indent=2, keep=[figures.strip(), *steps])


def _village_lines(villages, L, key: str) -> None:
    township = None
    for v in villages.itertuples():
        if v.township != township:
            township = v.township
            _say(township, "bold")
        # "已完成「民主评议」", or "未开始" as it is, never "已完成「未开始」"
        last = L("reg_status_last", step=v.last_step) if v.begun else v.last_step
        # Its 公示 (本村无) recorded: the state says 已完成「第一次公示(本村无)」 with its day; not twice.
        said = f"{key}_none_listed" if v.none_listed == "done" else key
        line = L(said, village=v.village, candidates=v.candidates, last=last, remaining=v.remaining, state=v.state)
        _say(line + (f" · {L('st_issued')} {v.issued}" if v.issued else ""))
        if v.overdue:
            _say(f"    {L('st_overdue')}: {v.overdue}", "red")


def _removed_lines(removed, L) -> None:
    for r in removed.itertuples():
        _say(L("reg_status_left", name=r.head_name, id=r.masked_id, place=f"{r.township}{r.village}", step=r.step,
               date=r.date, reason=r.reason or ""))


def _workbook_of_register(db: Path, path: Path, force: bool, lang: str, write):
    """`write(register)` into the workbook `path`, refused where it exists without --force."""

    def job():
        from ..register import opened_register

        if path.exists() and not force:
            raise OutputError("output_file_exists", path=str(path))
        with opened_register(db, upgrade=False) as reg:  # a look: an older file read as it is
            return write(reg)

    return run_guarded(job, lang)


@register_app.command("export", cls=Command)
def register_export(
    db: Db,
    output: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    no_mask: Annotated[bool, typer.Option("--no-mask")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    township: Annotated[Optional[str], typer.Option("--township")] = None,
    village: Annotated[Optional[str], typer.Option("--village")] = None,
    as_of: Annotated[Optional[dt.datetime], day_option("--as-of")] = None,
    lang: LangOpt = "zh",
) -> None:
    """Write the 花名册 (登记造册): the registered households, county → township → village."""
    lang = check_lang(lang)
    L = words(lang)
    from ..outputs.places import safe_stem

    # Named after the township and village as typed (东风村/二组, 红旗村:一社): made a name Windows takes.
    path = output or Path.cwd() / L("export_file", name=safe_stem(db.stem + (township or "") + (village or "")))

    def write(reg):
        from ..register import export_register
        from ..register.registry import registered_there
        from ..register.views import left_households

        count = export_register(reg, path, mask=not no_mask, lang=lang, today=day(as_of), township=township,
                                village=village)
        if count:
            return count, None, None
        # Of an empty one, the households that were on it and left: how, to say where they are listed;
        # and of a place asked for, those on the register while surveyed there (a village merged away).
        left = left_households(reg, township=township, village=village, as_of=day(as_of))
        there = registered_there(reg, township, village, as_of=day(as_of)) if township or village else None
        return count, left, there

    count, left, there = _workbook_of_register(db, path, force, lang, write)
    _say(L("reg_export_done", count=f"{count:,}", path=str(path)), keep=[str(path)])
    if not count:  # an empty 花名册: why, and where to look
        from ..inputs import shell_word
        from ..outputs.publicity import format_date

        register = shell_word(str(db))
        status = f"edgescreen register status {register}"
        history = f"edgescreen register history {register} --id"
        place = (township or "") + (village or "")
        when = L("reg_export_as_of", date=format_date(day(as_of), lang)) if as_of else L("reg_export_now")
        if there is not None and not there["household"].isin(left["household"]).all():
            # Registered here once, elsewhere now or gone since (合村并组: listed under the new village):
            # not "never on the register".
            _say(_moved_away(there, place, when, register, L), "yellow", keep=[history])
        elif len(left):  # there were households, and they left: how many each way, and where they are
            text = L("reg_export_all_left", where=L("reg_export_where", place=place) if place else "", when=when,
                     count=len(left))
            exited, gone = int(left["left_by"].eq("exit").sum()), int(left["left_by"].eq("gone").sum())
            if exited:
                text += L("reg_export_left_exited", count=exited, register=register)
            if gone:
                text += L("reg_export_left_gone", count=gone)
            _say(text, "yellow", keep=[status, history])
        elif place:  # a place of the register none of whose households has entered (others have)
            _say(L("reg_export_nobody_place", place=place, register=register), "yellow", keep=[status])
        else:
            _say(L("reg_export_nobody", register=register), "yellow", keep=[status])
    if no_mask:  # whole IDs and phones: whose copy it is, said (a township's is still its office's own)
        _say(L("reg_export_unmasked"), "yellow")


def _moved_away(there, place: str, when: str, register: str, L) -> str:
    """An empty roster of a place whose households were on the register while surveyed there (`there`,
    registry.registered_there): how many, the villages where those on it now are listed, how many left."""
    now = there[there["on_register"].astype(bool).to_numpy()]
    places = (now["township"] + now["village"]).value_counts(sort=True)  # the most first
    went = [L("reg_export_moved_now", places=L("list_sep").join(
        L("reg_export_moved_place", place=p, count=f"{n:,}") for p, n in places.items()))] if len(now) else []
    off = there[~there["on_register"].astype(bool).to_numpy()]
    for way, key in (("exit", "reg_export_moved_exited"), ("gone", "reg_export_moved_gone")):
        if n := int(off["left_by"].eq(way).sum()):
            went.append(L(key, count=f"{n:,}"))
    return L("reg_export_moved", where=L("reg_export_where", place=place), when=when, count=f"{len(there):,}",
             went=L("list_sep_wide").join(went), register=register)


@register_app.command("measures", cls=Command)
def register_measures(
    db: Db,
    date: DateOpt = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Write each village's form of support measures (帮扶措施登记表), to record with register record."""
    lang = check_lang(lang)
    L = words(lang)
    when = day(date) or dt.date.today()
    folder = out_dir or Path.cwd() / L("measures_folder", name=db.stem, date=when.isoformat())

    def job():
        from ..register import issue_measure_forms, opened_register, round_rules

        with opened_register(db) as reg:
            return issue_measure_forms(reg, folder, when, round_rules(reg).rules, lang=lang, force=force)

    outcome = run_guarded(job, lang)
    if outcome.out_dir is None:
        _say(L("reg_measures_nobody"))
        return
    _say(L("reg_measures_written", forms=outcome.forms, households=outcome.households, measures=outcome.measures,
           folder=str(outcome.out_dir)), keep=[str(outcome.out_dir)])
    if outcome.later:  # on the register only from after the forms' day: on none of them, and when to print theirs
        since = outcome.later_from if outcome.later_from == outcome.later_to else \
            L("reg_record_total_since", first=outcome.later_from, last=outcome.later_to)
        _say(L("reg_measures_later", count=f"{outcome.later:,}", since=since, date=when.isoformat()), "yellow")
    if outcome.carried:  # forms still out that the folder replaced held as printed: kept in it, at their place
        _say(L("reg_next_carried", step=L("step_measures"), documents=outcome.carried, folder=str(outcome.out_dir)),
             keep=[str(outcome.out_dir)])
    if outcome.kept_recorded:  # filled forms recorded: the paper trail, kept as register next keeps its own
        _say(L("reg_next_kept_recorded", step=L("step_measures"), documents=outcome.kept_recorded,
               folder=str(outcome.out_dir)), keep=[str(outcome.out_dir)])
    # Last, as the next thing to do (as register next ends): the forms filled in are recorded, the
    # register as given, the folder from where the clerk is, by a pattern the shell (or click) expands.
    from ..inputs import shell_word
    from ..register.rounds import path_from_here

    _say(L("reg_measures_then"))
    forms = shell_word(path_from_here(outcome.out_dir)) + os.sep + "*.xlsx"
    out.print("  " + L("reg_next_record_command", register=shell_word(str(db)), documents=forms),
              markup=False, highlight=False, soft_wrap=True)


@register_app.command("trend", cls=Command)
def register_trend(
    db: Db,
    output: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    no_mask: Annotated[bool, typer.Option("--no-mask")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Write the income of the register's households over the years (收入变化.xlsx)."""
    lang = check_lang(lang)
    L = words(lang)
    path = output or Path.cwd() / L("trend_file", name=db.stem)

    def write(reg):
        from ..register import write_income_trend

        return write_income_trend(reg, path, mask=not no_mask, lang=lang)

    trend = _workbook_of_register(db, path, force, lang, write)
    if trend is None:
        _say(L("reg_trend_nobody"))
        return
    _say(L("reg_trend_done", count=len(trend.households), years=L("list_sep").join(map(str, trend.years)),
           path=str(path)), keep=[str(path)])


def _when(at, lang: str) -> str:
    """A moment the register recorded (ISO, with its offset) as a clerk reads a time: 2026年12月5日 10:51,
    in this computer's time zone; what does not read as one, as stored."""
    import datetime as dt

    from ..outputs.summary import clerk_time

    try:
        return clerk_time(dt.datetime.fromisoformat(str(at)), lang)
    except ValueError:
        return str(at)


@register_app.command("history", cls=Command)
def register_history(
    db: Db,
    head_id: Annotated[str, typer.Option("--id")],
    name: Annotated[Optional[str], typer.Option("--name")] = None,
    lang: LangOpt = "zh",
) -> None:
    """One household's whole trail: each screening, then every recorded fact with who, when and from which file."""
    lang = check_lang(lang)
    L = words(lang)

    from ..money import fen_text  # loads pandas: not for --help

    def job():
        from ..register import event_words, household_history, measure_words, opened_register
        from ..register.views import history_rounds

        with opened_register(db, upgrade=False) as reg:  # a look: an older file read as it is
            trails = household_history(reg, head_id, name)
        return [(t, event_words(t.events, lang), measure_words(t.measures, lang), history_rounds(t, lang))
                for t in trails]

    for i, (trail, events, measures, (left, outcome, unsurveyed)) in enumerate(run_guarded(job, lang)):
        if i:
            out.print()
        last = trail.screened.iloc[-1]
        _say(L("reg_history_head", name=last["head_name"] or "", id=last["head_id"] or "",
               place=f"{last['township'] or ''}{last['village'] or ''}", group=last["grp"] or "", key=trail.household),
             "bold")
        if trail.member_relation is not None:  # asked by a member's ID: whose household it is
            _say(L("reg_history_member", id=head_id, name=last["head_name"] or "",
                   relation=trail.member_relation or L("blank"),
                   years=L("list_sep").join(map(str, trail.member_years))), "yellow")
        for m in trail.members_elsewhere.itertuples() if trail.members_elsewhere is not None else ():
            _say(L("reg_history_member_elsewhere", id=m.member_id, relation=m.relation or L("blank"),
                   years=L("list_sep").join(map(str, m.years)), name=m.other_head, place=m.other_place,
                   other_relation=m.other_relation or L("blank")))
        for g in trail.gone.itertuples() if trail.gone is not None else ():
            # Surveyed again after it (found, decided anew): its leaving is past, not where it stands now.
            again = trail.screened["round_date"].astype(str).gt(str(g.on)).any()
            _say(L("reg_history_gone_before" if again else "reg_history_gone", date=g.on,
                   reason=g.reason if isinstance(g.reason, str) else ""), "dim" if again else "yellow")
        if left:  # 已退出, and since when
            _say(left, "yellow")
        # The rounds in their order, one not surveyed among them (1, 2, 3, not 1, 3, then 2); a round a late
        # township's survey joined: its screening, then its 本年未调查 answered (认定见上).
        rounds = sorted([(int(s.round), s) for s in trail.screened.itertuples()] + list(unsurveyed.items()),
                        key=lambda item: item[0])
        for r, s in rounds:
            if isinstance(s, str):  # a round whose survey did not list it while it was on the register
                _say(s, "yellow")
                continue
            per_capita = fen_text(s.per_capita_fen) or ""
            other = (s.head_name or "") != (last["head_name"] or "") or (s.head_id or "") != (last["head_id"] or "")
            head = L("reg_history_round_head", name=s.head_name or "", id=s.head_id or "") if other else ""
            _say(L("reg_history_round", round=s.round, year=s.year, date=s.round_date, status=L(s.status), head=head,
                   per_capita=per_capita, file=s.source_file, row=s.row,
                   sheet=L("reg_history_sheet", sheet=s.sheet) if s.sheet else ""))  # a CSV has none
            if r in outcome:  # what the register decided of it that round (changes.xlsx's words)
                _say(outcome[r])
        if events.empty:
            _say(L("reg_history_none"), "dim")
        for e in events.itertuples():
            change = f"{e.old} → {e.new}" if e.old else e.new
            _say(L("reg_history_event", effective=e.effective, step=e.step, field=e.field, change=change))
            source = L("reg_history_source", who=e.who, at=_when(e.at, lang), command=e.command, file=e.file)
            _say(source + (" · " + L("hist_amended", reason=e.reason) if e.reason else ""), "dim")
        _measure_lines(measures, L, lang)


# A measure's values as measure_words gives them, with the label each is named by in a change.
_MEASURE_FIELDS = (("measure", "reg_history_measure_what"), ("start", "measure_start"), ("end", "measure_end"),
                   ("amount", "measure_amount"), ("person", "support_person"))


def _measure_lines(measures, L, lang: str) -> None:
    """A household's measures, each once as it stands, counted as measures: under each, when and from
    which file it was recorded, then each later row that replaced it (an end date filled in, an
    --amend) as a change, what it changed, when and from which file. Every row of the register is
    said; a measure changed later is one measure, not two (a county head counts them)."""
    if not len(measures):
        return
    rows = measures.to_dict("records")
    # measure_words numbers the rows 1… and gives each replaced row the number of the one replacing it.
    later = {n: int(r["replaced"]) - 1 for n, r in enumerate(rows) if r["replaced"]}
    replacing = set(later.values())
    chains = []
    for first in (n for n in range(len(rows)) if n not in replacing):
        chain = [first]
        while chain[-1] in later and len(chain) <= len(rows):
            chain.append(later[chain[-1]])
        chains.append(chain)
    chains.sort(key=lambda chain: chain[-1])  # as the rows stand: by start, then as recorded
    changed = sum(len(chain) > 1 for chain in chains)
    _say(L("reg_history_measures", count=len(chains),
           changed=L("reg_history_measures_changed", count=changed) if changed else ""), "bold")
    for n, chain in enumerate(chains, start=1):
        m = rows[chain[-1]]
        details = [L("reg_history_measure_end", end=m["end"]) if m["end"] else "",
                   L("reg_history_measure_amount", amount=m["amount"]) if m["amount"] else ""]
        _say(L("reg_history_measure", n=n, start=m["start"], measure=m["measure"], details="".join(details),
               person=m["person"]))
        for i, at in enumerate(chain):
            r = rows[at]
            if i:  # a later row: what it changed of the one before
                before = rows[chain[i - 1]]
                changes = [L("mp_field_change", what=L(label), old=before[k] or L("blank"), new=r[k] or L("blank"))
                           for k, label in _MEASURE_FIELDS if before[k] != r[k]]
                _say(L("reg_history_measure_change", changes=L("list_sep_wide").join(changes)))
            source = L("reg_history_source", who=r["who"], at=_when(r["at"], lang), command=r["command"],
                       file=r["file"])
            _say(" · ".join([source, *([L("hist_amended", reason=r["reason"])] if r["reason"] else [])]), "dim")


__all__ = ["register_app"]
