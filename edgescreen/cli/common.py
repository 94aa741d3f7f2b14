"""What every command shares: the consoles, how a library error becomes a message and an exit code,
and the options several commands declare alike.

Exit status: 0 ran; 1 error-level issues found under --strict (or by `check`); 2 bad usage or an
input that cannot be read, with a short message and no traceback (EDGESCREEN_DEBUG=1 shows one). A
reader that stops reading (`| head`, a pager quit early) changes none of it (ReaderMayLeave): the
command goes on to its end, its outputs written whole, and says its status as it would have.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import signal
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.segment import Segment

from ..catalogue import label
from ..errors import EdgescreenError, UsageError
from .language import lang_given, lang_word
from .wrapping import CONTROL, Named, names_in, visible, wrap

class _Console(Console):
    """rich's Console, with the text it writes (never its own styles: control segments) made visible."""

    def _render_buffer(self, buffer) -> str:
        return super()._render_buffer(
            Segment(visible(s.text), s.style, s.control) if not s.control and CONTROL.search(s.text) else s
            for s in buffer)


# Of each kind of a sheet's note (places read from a title, amounts in 万元 …), how many sheets the
# terminal names one by one before it counts the rest (quality.xlsx's 文件情况 has every one): a city's
# 300 village files named each, 440 lines from screen and 700 from check.
NOTES_OF_A_KIND_SAID = 3


# No emoji codes: a name or a value a clerk typed (合隆镇:one:5, a sheet called :fire:) is said as typed.
out = _Console(emoji=False)
err = _Console(stderr=True, emoji=False)


class ReaderMayLeave:
    """sys.stdout or sys.stderr for a reader that may stop reading (`| head -2`, a pager quit early):
    once it has gone, what is written goes nowhere (the descriptor pointed at os.devnull), never a
    BrokenPipeError, so the command finishes its work (a screen's outputs are written whole) and
    ends with its own status. Not a SIGPIPE's end (status 141): that would abandon a run half-way
    through its writing for a display nobody reads, and tell a script's `set -o pipefail` that a
    complete run failed. Everything else is the stream's own."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            if not _reader_gone(exc):
                raise
            self._to_nowhere()
            return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            if not _reader_gone(exc):
                raise
            self._to_nowhere()

    def _to_nowhere(self) -> None:
        """Point the stream's descriptor at os.devnull; what it still holds for the reader goes there."""
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
            self._stream.flush()
        except (OSError, ValueError):  # no descriptor of its own (a stream in memory): nothing more to do
            pass

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _reader_gone(exc: OSError) -> bool:
    """A write to a pipe whose reader has closed it: EPIPE (Windows says EINVAL)."""
    return isinstance(exc, BrokenPipeError) or (os.name == "nt" and exc.errno == errno.EINVAL)


def reader_may_leave() -> None:
    """From now on a reader of stdout or stderr that stops reading ends nothing (ReaderMayLeave).
    Called by the command line's entry point only: the streams of a test's CliRunner stay its own."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, ReaderMayLeave):
            setattr(sys, name, ReaderMayLeave(stream))


# Options shared by several commands, declared once. Their help is the catalogue's (opt_<name>,
# meta_<name> in data/messages/cli.toml), in the language of --lang: see terminal.py.
Inputs = Annotated[list[Path], typer.Argument(show_default=False)]
RulesOpt = Annotated[str, typer.Option("--rules", "-r")]
YearOpt = Annotated[Optional[int], typer.Option("--year")]


# A date option as the documents take a date: 2019-12-20, 2019/12/20, 2019.12.20, 2019年12月20日
# or 20191220. Digits alone are a date only as eight of them: strptime would read 2019120 as
# 2019-01-20, so they never reach it.
DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _day_text(value) -> str:
    """A day as typed, its full-width characters plain (2019－12－02, ２０１９/12/2: a Chinese input method's)."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_day(value) -> dt.datetime:
    """A date option's value as a datetime (day() makes it a date); ValueError where it is not one
    of DAY_FORMATS' spellings (the terminal then says how to write it: bad_day)."""
    if isinstance(value, dt.datetime):
        return value
    text = _day_text(value)
    if not (text.isdigit() and len(text) != 8):
        for spelling in DAY_FORMATS:
            try:
                return dt.datetime.strptime(text, spelling)
            except ValueError:
                continue
    raise ValueError(text)


# A date written in one of DAY_FORMATS' shapes, whatever its numbers: year, month, day.
DAY_SHAPE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))")


def day_does_not_exist(value) -> bool:
    """Whether `value` is spelled as a date is (2019-02-29, 2020/2/30), its month one of the twelve,
    but its month has no such day: parse_day refuses it, and the terminal says the day does not
    exist, not how to write a date."""
    shape = DAY_SHAPE.fullmatch(_day_text(value))
    if shape is None:
        return False
    year, month, day = int(shape[1]), int(shape[2] or shape[4]), int(shape[3] or shape[5])
    if not 1 <= month <= 12:  # month 13 is more likely a slip of the order (2019-13-01 for 2019-01-13)
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return True
    return False


def day_option(*names: str):
    """A date option (--date, --as-of …), parsed by parse_day."""
    return typer.Option(*names, parser=parse_day)


AsOfOpt = Annotated[Optional[dt.datetime], day_option("--as-of")]
LangOpt = Annotated[str, typer.Option("--lang", envvar="EDGESCREEN_LANG")]
IncludeHiddenOpt = Annotated[bool, typer.Option("--include-hidden")]
# 信息比对 (issue 14): KIND=FILE, repeatable; parsed by the library (rosters.RosterSpec).
RosterOpt = Annotated[Optional[list[str]], typer.Option("--roster", show_default=False)]


def words(lang: str):
    """The catalogue's labels in `lang`, as a function: L("key", **params). Each knows the names it
    inserts (wrapping.Named), which say_prose keeps whole."""
    def say(key: str, /, **params) -> str:
        return Named(label(key, lang, **params), names_in(params))
    return say


def render(text, lang: str) -> str:
    """A Phrase (or plain text) as the words to print."""
    return text.render(lang) if hasattr(text, "render") else str(text)


def say_marked(console: Console, lead: str, style: str, message: str, keep: Iterable[str] = ()) -> None:
    """`message` after `lead` (edgescreen:, 注意:) shown in `style`, wrapped at the console's width
    (wrapping.wrap), each paragraph's later lines under its first; `keep`: names never broken."""
    lines = wrap(f"{lead} {message}", console.width, indent=2, keep=keep)
    # escape: a message may quote [table] names or file names such as [2019]调查.xlsx, not markup
    console.print(f"[{style}]{escape(lead)}[/]" + escape(lines[0][len(lead):]), highlight=False, soft_wrap=True)
    for line in lines[1:]:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def after_ctrl_c(stop) -> None:
    """A line break after the ^C a terminal echoes for Ctrl-C, so that what is said next has its own line."""
    if getattr(stop, "signum", None) == signal.SIGINT and sys.stderr.isatty():
        sys.stderr.write("\n")


def say_error(message: str, keep: Iterable[str] = ()) -> None:
    """The message on stderr after 'edgescreen:' (say_marked); `keep`: names never broken (files, places)."""
    say_marked(err, "edgescreen:", "bold red", message, keep)


def fail(error: EdgescreenError, lang: str, code: int = 2, keep: Iterable[str] = ()) -> typer.Exit:
    """Say `error` in `lang` on stderr (say_error), the names it inserts (files, sheets, places, people:
    wrapping.names_in) kept whole with `keep`; the Exit to raise with `code`. An input not found that
    the shell cut at its spaces is said with the whole path to quote (spaced_path)."""
    message, names = error.message(lang), [*keep, *names_in(error.params)]
    whole = spaced_path(error)
    if whole is not None:
        message += label("input_missing_spaced", lang, path=whole)
        names += [f'"{whole}"', whole]
    say_error(message, names)
    return typer.Exit(code)


def click_context():
    """(the running command's click context or None, click's ParameterSource): what the clerk typed, as
    click parsed it."""
    try:  # typer ≥ 0.26 carries its own click (as terminal.py imports it)
        from typer._click.core import ParameterSource
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older typer on the real click
        from click import get_current_context
        from click.core import ParameterSource
    return get_current_context(silent=True), ParameterSource


def spaced_path(error: EdgescreenError) -> str | None:
    """Of an input not found (input_missing), the path it makes joined by spaces with the arguments typed
    after it, where that is a file or folder: 农安县 2019年 边缘户调查 unquoted reaches the command as three
    arguments, the first not found. None where there is no such path (or no command's arguments)."""
    if error.key != "input_missing":
        return None
    ctx, _ = click_context()
    missing = str(error.params.get("path", ""))
    for given in (ctx.params.values() if ctx is not None else ()):
        typed = [str(p) for p in given] if isinstance(given, (list, tuple)) else []
        if missing not in typed:
            continue
        at = typed.index(missing)
        for end in range(at + 2, len(typed) + 1):  # the shortest path that exists: 2019年.xlsx may follow it
            joined = " ".join(typed[at:end])
            if Path(joined).exists():
                return joined
    return None


def run_guarded(fn, lang: str = "zh", keep: Iterable[str] = ()):
    """Call fn, turning the library's own errors into a message in `lang` (say_error, `keep` names whole)
    and exit 2."""
    from .. import runtime

    def told(key: str, params: dict) -> None:  # a wait the library tells of (the register's lock)
        say_marked(err, "edgescreen:", "yellow", label(key, lang, **params), [*keep, *names_in(params)])

    try:
        with runtime.waits_told_to(told):
            return fn()
    except EdgescreenError as exc:
        raise fail(exc, lang, keep=keep) from None
    except (KeyboardInterrupt, typer.Exit):
        raise
    except Exception as exc:  # a bug: say so briefly; the traceback may hold personal data
        if os.environ.get("EDGESCREEN_DEBUG"):
            raise
        raise fail(EdgescreenError("internal_error", kind=type(exc).__name__), lang) from None


def example_figure_warnings(result, lang: str) -> None:
    """A threshold in force that is its rules file's example (the shipped monitoring figure), not the
    county's own: said on stderr (run.json records it too)."""
    from ..rule_files import examples_in_force
    from ..rules import is_shipped

    # A shipped rule set: start the county's own file from it; the county's own file (copied from one,
    # the example left in): change it there (rules new --from would not find it by its id).
    path = result.loaded_rules.path
    shipped = is_shipped(path)
    for w in examples_in_force(result.rule_set, result.bounds):
        words = label("example_figure_in_use", lang, rules=result.rule_set.id, **w.params) if shipped else \
            label("example_figure_in_own_file", lang, file=str(path), **w.params)
        say_marked(err, label("warning_prefix", lang), "yellow", words, keep=[str(path)])
    # A county's own file that kept a shipped rule set's id over other figures: its outputs would name
    # that rule set (as rules check says).
    from ..rule_files import shipped_id_taken

    taken = shipped_id_taken(result.loaded_rules)
    if taken is not None:
        say_marked(err, label("warning_prefix", lang), "yellow", taken.render(lang), keep=[str(path)])
    # An income year after every bound's own: the last year's figures carried on (changchun-2019 has no
    # 2020 line, on purpose: the national line then reached 4000), said rather than assumed.
    from ..money import yuan_figure

    bounds = result.bounds
    since = max(v.effective for v in (bounds.lower, bounds.upper) if v is not None)
    if bounds.year > since.year:
        lower = yuan_figure(bounds.lower.value) if bounds.lower is not None else ""
        # A rule set without a lower bound (monitoring) says its upper alone, not 高于 — 元.
        words = label("figures_carried_on" if lower else "figures_carried_on_no_lower", lang, year=bounds.year,
                      rules=result.rule_set.id, since=since.isoformat(), lower=lower,
                      upper=yuan_figure(bounds.upper.value))
        say_marked(err, label("warning_prefix", lang), "yellow", words, keep=[str(path)])


def check_lang(lang: str) -> str:
    """zh or en (lang_word: EN and zh_CN too); else refused, naming EDGESCREEN_LANG where the value came
    from it and not from --lang."""
    word = lang_word(lang)
    if word is None:
        from_env = lang_given(sys.argv[1:]) is None and os.environ.get("EDGESCREEN_LANG") == lang
        raise fail(UsageError("lang_env_unknown" if from_env else "lang_unknown", value=repr(lang)), "zh")
    return word


def check_year(year: int | None, lang: str) -> None:
    """An income year after this one is a slip (2030 for 2020): its survey cannot exist yet, and the
    run would print 2030年度 on every list under the last year's figures. Refused, naming this year, by
    the library's own check (pipeline.refuse_future_year) in the words of --year."""
    from ..pipeline import refuse_future_year  # at need: the pipeline loads pandas

    try:
        refuse_future_year(year, "year_in_future")
    except UsageError as exc:
        raise fail(exc, lang) from None


# The parameter that names a command's output folder (-o of screen, check, sample, backcheck, register
# next, register measures); the others' -o names a file.
OUTPUT_FOLDER_PARAM = "out_dir"


def holds_current_folder(folder: Path) -> bool:
    """Whether the output folder `folder` is the folder the command runs in, or one that holds it (-o .,
    -o .., its own full path), both resolved. A run's folder is put in place by renaming, and the
    system will not rename the folder it runs in ("in use", which closing Excel never helps); replacing
    one that holds it would delete what the clerk works among."""
    try:
        here, there = Path.cwd().resolve(), Path(folder).resolve()
    except OSError:  # a name the system cannot look at: the command says what is wrong with it
        return False
    return there == here or there in here.parents


def day(value: dt.datetime | None) -> dt.date | None:
    """A date option (typer parses it as a datetime) as a date."""
    return value.date() if value else None


# Villages named, at most, in the line on households that look typed wholly in 万元.
WAN_VILLAGES_SAID = 3


def wan_households_line(result, lang: str) -> str:
    """A warning with a consequence said where the verdict is read: households whose amounts look typed
    wholly in 万元 (amount_unit_suspect on the total) are decided on the figures as typed, below the
    poverty line, a village typed so every one of them. '' where there is none."""
    import pandas as pd  # loaded by the run already

    # From the index of issues, without their text: a million warnings rendered cost 2 s and 400 MB.
    index = result.issue_index
    if index.empty:
        return ""
    at = index["hh"].to_numpy()[((index["code"] == "amount_unit_suspect").to_numpy(dtype=bool)
                                 & (index["hint"].astype("string") == "unit_household").fillna(False).to_numpy(dtype=bool))]
    if not len(at):
        return ""
    households = result.households
    whole = pd.DataFrame({k: households[k].fillna("").astype(str).to_numpy(dtype=object)[at] for k in ("township", "village")})
    counts = whole.groupby(["township", "village"], sort=False).size().sort_values(ascending=False, kind="stable")
    villages = label("list_sep", lang).join(label("wan_village", lang, township=t, village=v, count=f"{n:,}")
                                            for (t, v), n in counts.head(WAN_VILLAGES_SAID).items())
    more = len(counts) - WAN_VILLAGES_SAID
    return label("wan_households", lang, count=f"{len(whole):,}", villages=villages,
                 more=label("wan_villages_more", lang, count=more) if more > 0 else "")
