"""What the terminal says around a command, in the user's language: help, usage errors, the streams.

typer and click word their help and their usage errors in English, and typer's releases move those
strings about (recent ones bundle their own click and build messages in f-strings). So edgescreen does
not translate their strings: its own click classes, `Command` and `Group`, write the help from the
catalogue ([labels] help_*, opt_*, meta_* in data/messages/cli.toml) and word each usage error from
what the exception carries (the option, the parameter, the command typed), through [errors].

The language is known before click parses: `Group.main` reads --lang (or EDGESCREEN_LANG) from the
raw arguments, so `--help` and a mistyped option already speak it.
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
import unicodedata
from contextvars import ContextVar
from pathlib import Path

import typer
from rich.cells import cell_len
from typer.core import TyperCommand, TyperGroup

from ..catalogue import Phrase, label, messages
from ..errors import UsageError
from ..rules import FIRST_YEAR, LAST_YEAR
from .common import OUTPUT_FOLDER_PARAM, day_does_not_exist, err, holds_current_folder, parse_day, say_error
from .wrapping import say_prose, wrap
from .language import lang_of

try:  # typer ≥ 0.26 carries its own click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on the real click
    from click import exceptions as click_errors

# click < 8.2 prints the help itself when a group is called alone; later ones raise this.
_NO_ARGS_IS_HELP = getattr(click_errors, "NoArgsIsHelpError", ())
_lang: ContextVar[str | None] = ContextVar("edgescreen_lang", default=None)
HELP_WIDTH = 100  # wider help is hard to read, whatever the terminal


def current_lang() -> str:
    return _lang.get() or lang_of([])


def safe_streams() -> None:
    """A character the console or file cannot encode (a Chinese Windows `> 说明.txt` is GBK; a rare
    name may not be in GBK at all) is written as '?' instead of ending the run with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "errors", "") or "strict") == "strict":
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream that cannot change: leave it
                pass


def stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf") or encoding == "gb18030"


# -- the catalogue's words for commands and parameters ------------------------------------------

def command_key(ctx) -> str:
    """'screen', 'rules_show' …; the root is 'edgescreen' (whatever the program was called)."""
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.command.name or ctx.info_name)
        ctx = ctx.parent
    return "_".join(reversed(names)).replace("-", "_") or "edgescreen"


def _entry(*keys: str) -> str | None:
    """The first of `keys` the catalogue has ([labels])."""
    labels = messages().labels
    return next((k for k in keys if k in labels), None)


def command_help(key: str, lang: str) -> str:
    found = _entry(f"help_{key}")
    return label(found, lang) if found else ""


def _name(param) -> str:
    """The parameter's name in the catalogue's keys; the help option is 'help' whatever click calls it."""
    return "help" if {"-h", "--help"} & set(param.opts) else param.name


def param_help(param, key: str, lang: str) -> str:
    found = _entry(f"opt_{key}_{_name(param)}", f"opt_{_name(param)}")
    if found is None:  # an option without words yet (tests/test_terminal.py names it): its own help
        return param.help or ""
    return label(found, lang, default=param.default)


def metavar(param, key: str, lang: str) -> str:
    """What stands for the value: 文件夹, 年度 … (FOLDER, YEAR …); '…' after one that takes several."""
    if getattr(param, "is_flag", False):
        return ""
    found = _entry(f"meta_{key}_{_name(param)}", f"meta_{_name(param)}")
    word = label(found, lang) if found else (param.name or "").upper()
    return word + ("…" if param.nargs == -1 or getattr(param, "multiple", False) else "")


def option_names(param) -> str:
    names = sorted([*param.opts, *param.secondary_opts], key=lambda o: (o.startswith("--"), o))
    return ", ".join(names)


def usage_line(ctx, lang: str) -> str:
    """用法:edgescreen screen [选项] 调查表… (Usage: edgescreen screen [OPTIONS] SURVEY…)."""
    command = ctx.command
    key = command_key(ctx)
    pieces = [ctx.command_path, label("help_options_metavar", lang)]
    for param in command.get_params(ctx):
        if param.param_type_name == "argument" and not getattr(param, "hidden", False):
            word = metavar(param, key, lang)
            pieces.append(word if param.required else f"[{word}]")
    if isinstance(command, TyperGroup):
        pieces.append(label("help_command_metavar", lang))
    return label("help_usage", lang, usage=" ".join(pieces))


def render_help(ctx, lang: str, width: int | None = None) -> str:
    """The whole help of a command or group, as text: usage, what it does, arguments, options,
    commands."""
    width = width or min(HELP_WIDTH, max(40, _terminal_width()))
    command, key = ctx.command, command_key(ctx)
    lines = wrap(usage_line(ctx, lang), width, indent=4)
    text = command_help(key, lang)
    if text:
        lines += ["", *wrap(text, width)]

    def section(title: str, rows: list[tuple[str, str]]) -> None:
        if not rows:
            return
        lines.extend(["", label(title, lang)])
        left = min(max(cell_len(a) for a, _ in rows), width // 3)
        for a, b in rows:
            shown = wrap(b, width - left - 4)
            if cell_len(a) > left:  # a long option stands on its own line
                lines.append("  " + a)
                lines.extend(" " * (left + 4) + line for line in shown)
                continue
            lines.append("  " + a + " " * (left - cell_len(a) + 2) + (shown[0] if shown else ""))
            lines.extend(" " * (left + 4) + line for line in shown[1:])

    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [(metavar(p, key, lang), param_help(p, key, lang)
                  + (label("help_required", lang) if p.required else ""))
                 for p in params if p.param_type_name == "argument"]
    options = [((option_names(p) + " " + metavar(p, key, lang)).strip(), param_help(p, key, lang))
               for p in params if p.param_type_name == "option"]
    section("help_arguments", arguments)
    section("help_options", options)
    if isinstance(command, TyperGroup):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                full = command_help(f"{key}_{name}" if key != "edgescreen" else name, lang)
                rows.append((name, full.split("\n", 1)[0]))
        section("help_commands", rows)
    return "\n".join(line.rstrip() for line in lines)


def _terminal_width() -> int:
    return shutil.get_terminal_size().columns


# -- usage errors -----------------------------------------------------------------------------

def _typed_option(args: list[str], param) -> tuple[str | None, str | None]:
    """(the name, the value) option `param` was typed with the last time (-o or --out=…), as click saw
    it; (None, None) where it was not typed."""
    typed = value = None
    names = [*param.opts, *param.secondary_opts]
    for i, arg in enumerate(args):
        if arg in names and i + 1 < len(args):
            typed, value = arg, args[i + 1]
        for name in names:
            if name.startswith("--") and arg.startswith(name + "="):
                typed, value = name, arg.split("=", 1)[1]
    return typed, value


# Characters a tired clerk types for another that looks the same: the digit for the letter (-0 for -o,
# --0ut), the letter for the digit. Keyboard neighbours are not taken: of the three short options
# (-o -r -h) nearly every letter is a neighbour of one, and a wrong guess says less than the help.
_LOOKALIKES = str.maketrans("01", "ol")


def _unslipped(text: str) -> str:
    """`text` as the clerk meant it to look: a full-width letter of an input method half-width (NFKC),
    lower case (Caps Lock, Shift), 0 and 1 the letters they look like."""
    return unicodedata.normalize("NFKC", text).lower().translate(_LOOKALIKES)


def close_options(typed: str, ctx) -> list[str]:
    """The command's options spelled like `typed` (--yaer: --year, --0ut: --out); none when none is
    close (click's own guess offered --out for --bogus), and the help then says where to look."""
    if ctx is None:
        return []
    names = [o for p in ctx.command.get_params(ctx) for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]
    bare = {n.lstrip("-"): n for n in names}
    word = typed.lstrip("-")
    close = [*difflib.get_close_matches(word, list(bare), n=3, cutoff=0.7),
             *difflib.get_close_matches(_unslipped(word), list(bare), n=3, cutoff=0.7)]
    return [bare[n] for n in dict.fromkeys(close)][:3]


def lookalike_short_options(typed: str, ctx) -> list[str]:
    """The command's one-letter options that `typed` (-0, -O, -ｏ) is one lookalike slip from: the digit
    0 for the letter o, a capital, an input method's full-width letter (_unslipped)."""
    if ctx is None or len(typed) != 2 or typed.startswith("--"):
        return []
    names = [o for p in ctx.command.get_params(ctx) for o in p.opts if len(o) == 2 and o != typed]
    return [o for o in names if _unslipped(o[1]) == _unslipped(typed[1])]


def _is_day(param) -> bool:
    """A date option (common.day_option): its parser, in the typer that carries its own click or in
    an older one on click's."""
    info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
    return parse_day in (getattr(info, "parser", None), getattr(getattr(param, "type", None), "func", None))


# click's refusal of a path argument it may not read (typer checks that a path given is readable).
_NOT_READABLE = re.compile(r"^(?:file|directory|path) '(.*)' is not readable\.?$", re.S | re.I)


def usage_error(exc, args: list[str], lang: str) -> UsageError:
    """A click usage error in the catalogue's words."""
    ctx = getattr(exc, "ctx", None)
    key = command_key(ctx) if ctx is not None else "edgescreen"
    if isinstance(exc, UnknownCommand):
        close = difflib.get_close_matches(exc.name, list(exc.commands), n=1, cutoff=0.6)
        return UsageError("usage_no_such_command", name=exc.name, commands=exc.commands,
                          suggestion=Phrase("usage_did_you_mean", options=close) if close else "")
    if isinstance(exc, OptionAsValue):
        example = _entry(f"eg_{key}_{_name(exc.param)}", f"eg_{_name(exc.param)}")
        return UsageError("usage_option_value_is_option", option=exc.option, given=exc.given,
                          what=metavar(exc.param, key, lang).rstrip("…"), example=Phrase(example) if example else "")
    if isinstance(exc, WideDash):
        return UsageError("usage_wide_dash", typed=exc.typed, meant=exc.meant)
    if isinstance(exc, OutputHere):
        example = _entry(f"eg_new_folder_{key}") or "eg_new_folder"
        return UsageError("usage_output_holds_here" if exc.above else "usage_output_is_here",
                          option=exc.option, value=exc.value, example=Phrase(example))
    if isinstance(exc, click_errors.NoSuchOption):
        typed = exc.option_name
        if not typed.startswith("--"):  # click reads -force as -f -o -r -c -e and names -f: name what was typed
            typed = next((a for a in args if a.startswith("-") and len(a) > 2 and not a.startswith("--")
                          and typed[1:] in a[1:] and "=" not in a), typed)
        if Path(typed).exists():  # -合隆镇.xlsx: a file or folder here whose name begins with "-", and how to give it
            return UsageError("usage_option_is_folder" if Path(typed).is_dir() else "usage_option_is_file", option=typed)
        # -0 for -o (or -0结果, the space forgotten): the one-letter option it looks like first.
        lookalike = lookalike_short_options(exc.option_name, ctx) if typed.startswith(exc.option_name) else []
        close = list(dict.fromkeys([*lookalike, *close_options(typed, ctx)]))
        return UsageError("usage_no_such_option", option=typed,
                          suggestion=Phrase("usage_did_you_mean", options=close) if close else "")
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        param = exc.param
        if param.param_type_name == "argument":
            return UsageError("usage_missing_argument", what=metavar(param, key, lang).rstrip("…"))
        return UsageError("usage_missing_option", option=option_names(param))
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        param = exc.param
        unreadable = _NOT_READABLE.search(getattr(exc, "message", "") or "")
        if unreadable:  # a path the clerk may not read: named, with the reason, as the reader names one
            return UsageError("file_cannot_open", file=unreadable.group(1), reason=Phrase("os_no_permission"))
        why_key = _entry(f"bad_{key}_{_name(param)}", f"bad_{_name(param)}") or (
            "bad_day" if _is_day(param) else "bad_value")
        typed = _typed_option(args, param)[1] if param.param_type_name == "option" else None
        if why_key == "bad_day" and typed is not None and day_does_not_exist(typed):
            why_key = "bad_day_missing"  # written as a date is, but no such day: how to write it is no help
        name = option_names(param) if param.param_type_name == "option" else metavar(param, key, lang)
        return UsageError("usage_bad_value", option=name, value=f" {typed}" if typed is not None else "",
                          why=Phrase(why_key, first=FIRST_YEAR, last=LAST_YEAR))
    if isinstance(exc, click_errors.BadOptionUsage):
        takes_none = "does not take" in exc.message
        param = next((p for p in (ctx.command.get_params(ctx) if ctx is not None else ())
                      if exc.option_name in (*p.opts, *p.secondary_opts)), None)
        if not takes_none and param is not None:  # what it takes, as its help's metavar names it: 登记簿 (如 农安县.db)
            example = _entry(f"eg_{key}_{_name(param)}", f"eg_{_name(param)}")
            return UsageError("usage_option_needs_what", option=exc.option_name, what=metavar(param, key, lang),
                              example=Phrase(example) if example else "")
        return UsageError("usage_option_takes_no_value" if takes_none else "usage_option_needs_value",
                          option=exc.option_name)
    message = getattr(exc, "message", str(exc))
    extra = re.search(r"unexpected extra argument\S* \((.*)\)", message)
    if extra:
        # A day typed without its option (register next 农安县.db 2019-12-17), where the command has --date.
        dated = next((p for p in (ctx.command.get_params(ctx) if ctx is not None else ())
                      if p.param_type_name == "option" and "--date" in p.opts), None)
        typed_day = next((w for w in extra.group(1).split() if _is_typed_day(w)), None) if dated else None
        return UsageError("usage_extra_arguments", args=extra.group(1),
                          hint=Phrase("usage_extra_is_date", day=typed_day) if typed_day else "")
    if "Missing command" in message and ctx is not None:
        return UsageError("usage_missing_command", commands=list(ctx.command.list_commands(ctx)))
    return UsageError("usage_other", detail=message)


def show_usage_error(exc, args: list[str], lang: str) -> None:
    """Usage line, the message, and where help is: on stderr."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        say_prose(err, usage_line(ctx, lang), indent=4)
    say_error(usage_error(exc, args, lang).message(lang))
    # A value missing at the end (screen x.xlsx -o) comes without the command's context: named from
    # the words typed, so that the help pointed to is the command's.
    command = next((a for a in args if not a.startswith("-")), None)
    path = ctx.command_path if ctx is not None else f"edgescreen {command}" if command else "edgescreen"
    say_prose(err, label("help_try", lang, command=path))


def typed_context(root, args: list[str], prog_name: str):
    """The context of the command `args` name (edgescreen register history …), as far as they name
    one: the words that are no option, each the name of a command of the group before it."""
    ctx = root.context_class(root, info_name=prog_name)
    for word in args:
        if word.startswith("-"):
            continue
        found = ctx.command.get_command(ctx, word) if isinstance(ctx.command, TyperGroup) else None
        if found is None:
            break
        ctx = found.context_class(found, info_name=word, parent=ctx)
    return ctx


def _is_typed_day(word: str) -> bool:
    """Whether a word reads as a day, as a date option takes it (common.parse_day)."""
    try:
        parse_day(word)
    except ValueError:
        return False
    return True


# Dashes a Chinese input method types where the clerk meant '-' (——register, －o, —o): the em dash
# (Shift+- gives two), the full-width hyphen-minus, the en dash.
_WIDE_DASHES = "—－–"


def refuse_wide_dashes(ctx, args: list[str]) -> None:
    """A word that is one of the command's options but for its dashes typed with a Chinese input
    method (——register, －o): said as that option, not looked for as a file of that name."""
    options = [p for p in ctx.command.get_params(ctx) if p.param_type_name == "option"]
    names = {o for p in options for o in (*p.opts, *p.secondary_opts)}
    for word in args:
        if word == "--":
            return
        if not word or word[0] not in _WIDE_DASHES:
            continue
        head, eq, rest = word.partition("=")
        dashes = len(head) - len(head.lstrip(_WIDE_DASHES))
        name = head[dashes:]
        meant = next((o for o in (f"--{name}", f"-{name}") if o in names), None)
        if meant is not None:
            raise WideDash(ctx, word, meant + eq + rest)


def refuse_option_as_value(ctx, args: list[str]) -> None:
    """An option that takes a value, followed by one of the command's own options (-o --force): the
    value forgotten, never a folder named --force. click takes any next word as the value, so the run
    went on (a folder --force made, the replacement asked for not done), or refused the word after as
    an input without naming what was missing. The same typed in one word (--out=--force, -o--force,
    -o=--force, which click reads as a folder named =--force) is refused alike. A value that only starts
    with '-' (-5, ./-x.xlsx) is no option's name and stays a value. A group's own options come before
    its command's name: its scan ends there."""
    options = [p for p in ctx.command.get_params(ctx) if p.param_type_name == "option"]
    names = {o for p in options for o in (*p.opts, *p.secondary_opts)}
    valued = {o: p for p in options if not getattr(p, "is_flag", False) and not getattr(p, "count", False)
              for o in p.opts}
    words = iter(args)
    for word in words:
        if word == "--" or (not ctx.allow_interspersed_args and not word.startswith("-")):
            return
        option, value = _valued_option(word, valued, names)
        if option is None:
            continue
        if value is None:  # its value is the next word
            value = next(words, None)
        elif option.startswith("-") and not option.startswith("--"):
            value = value.removeprefix("=")  # -o=--force: the '=' of the long form typed after the short
        if value is not None and value.startswith("-") and (value in names or value.split("=", 1)[0] in names):
            raise OptionAsValue(ctx, option, valued[option], value)


def short_option_equals(ctx, args: list[str]) -> list[str]:
    """`args` with a one-letter option that takes a value written with '=' as the long form is (-o=结果)
    read as -o 结果: click keeps the '=' in the value, and made a folder named =结果. Up to "--"."""
    valued = {o for p in ctx.command.get_params(ctx) if p.param_type_name == "option"
              and not getattr(p, "is_flag", False) and not getattr(p, "count", False) for o in p.opts if len(o) == 2}
    out: list[str] = []
    for k, word in enumerate(args):
        if word == "--":
            return out + args[k:]
        if word[:2] in valued and word[2:3] == "=" and len(word) > 3 and (not out or out[-1] not in valued):
            out += [word[:2], word[3:]]
        else:
            out.append(word)
    return out


def _valued_option(word: str, valued: dict, names: set[str]) -> tuple[str | None, str | None]:
    """(the option taking a value that `word` names, the value typed in the same word or None), as click
    reads it: -o, --out=x, -ox, and a short one after one-letter flags (-vo x); (None, None) for a word
    naming no such option."""
    if word in valued:
        return word, None
    if word.startswith("--"):
        name, eq, value = word.partition("=")
        return (name, value) if eq and name in valued else (None, None)
    if not word.startswith("-") or len(word) < 3:
        return None, None
    for i, letter in enumerate(word[1:], start=2):
        if f"-{letter}" in valued:
            return f"-{letter}", word[i:] or None
        if f"-{letter}" not in names:  # no option of the command: click says so
            break
    return None, None


def refuse_output_here(ctx, args: list[str]) -> None:
    """An output folder that is the current folder or holds it (common.holds_current_folder): refused
    before the run, which would end saying the folder is in use, whatever the clerk closed."""
    folder = ctx.params.get(OUTPUT_FOLDER_PARAM)
    if folder is None or not holds_current_folder(folder):
        return
    param = next(p for p in ctx.command.get_params(ctx) if p.name == OUTPUT_FOLDER_PARAM)
    name, typed = _typed_option(args, param)
    raise OutputHere(ctx, name or max(param.opts, key=len), typed if typed is not None else str(folder),
                     Path(folder).resolve() != Path.cwd().resolve())


class OptionAsValue(click_errors.UsageError):
    """An option's value forgotten: the word after it one of the command's options (worded by `usage_error`)."""

    def __init__(self, ctx, option: str, param, given: str):
        super().__init__(f"option {option} followed by option {given}", ctx)
        self.option, self.param, self.given = option, param, given


class WideDash(click_errors.UsageError):
    """An option typed with a Chinese input method's dashes (worded by `usage_error`)."""

    def __init__(self, ctx, typed: str, meant: str):
        super().__init__(f"option {meant} typed as {typed}", ctx)
        self.typed, self.meant = typed, meant


class OutputHere(click_errors.UsageError):
    """-o naming the current folder (`above`: a folder that holds it), worded by `usage_error`."""

    def __init__(self, ctx, option: str, value: str, above: bool):
        super().__init__(f"output folder {value} is or holds the current folder", ctx)
        self.option, self.value, self.above = option, value, above


class UnknownCommand(click_errors.UsageError):
    """A command name the group does not have (worded by `usage_error`, not by click)."""

    def __init__(self, ctx, name: str):
        super().__init__(f"no such command {name!r}", ctx)
        self.name = name
        self.commands = list(ctx.command.list_commands(ctx))


# -- the classes typer builds the commands from -----------------------------------------------

class _Parsing:
    """What every command and group refuses in its command line before it runs, whatever it is: an
    option followed by another where its value should be, an output folder that holds the current one."""

    def parse_args(self, ctx, args):
        if not ctx.resilient_parsing:
            refuse_wide_dashes(ctx, args)
            refuse_option_as_value(ctx, args)
            args[:] = short_option_equals(ctx, args)
        typed = list(args)  # click consumes the list it parses
        rest = super().parse_args(ctx, args)
        if not ctx.resilient_parsing:
            refuse_output_here(ctx, typed)
        return rest


class Command(_Parsing, TyperCommand):
    """A command whose help is the catalogue's, in the user's language."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(render_help(ctx, current_lang()) + "\n")


class Group(_Parsing, TyperGroup):
    """A group of commands: its help is the catalogue's, and as the program's root its `main` knows
    the language before parsing, words usage errors itself, and writes safely to any console."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(render_help(ctx, current_lang()) + "\n")

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None \
                and not ctx.resilient_parsing:
            raise UnknownCommand(ctx, name)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        # args None: click reads sys.argv itself (and on Windows expands *.xlsx, which cmd does not)
        raw = list(sys.argv[1:] if args is None else args)
        lang = lang_of(raw)
        token = _lang.set(lang)
        safe_streams()
        try:
            try:
                returned = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                        standalone_mode=False, **extra)
                code = returned if isinstance(returned, int) else 0
            except _NO_ARGS_IS_HELP as exc:  # `edgescreen` alone: the help
                sys.stdout.write(exc.ctx.get_help() + "\n")
                code = 2
            except click_errors.UsageError as exc:
                if isinstance(exc, click_errors.BadOptionUsage) and exc.ctx is None:
                    # click's parser says a value missing without the command: found from the words typed
                    exc.ctx = typed_context(self, raw, prog_name or self.name or "edgescreen")
                show_usage_error(exc, raw, lang)
                code = exc.exit_code
            except click_errors.ClickException as exc:  # pragma: no cover - none of ours raise others
                say_error(UsageError("usage_other", detail=exc.format_message()).message(lang))
                code = exc.exit_code
            except typer.Abort:
                say_error(UsageError("usage_aborted").message(lang))
                code = 1
        finally:
            _lang.reset(token)
        if standalone_mode:
            sys.exit(code)
        return code
