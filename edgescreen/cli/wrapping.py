"""Text wrapped at the terminal's width by edgescreen itself: left to the terminal, a line breaks
anywhere, inside "quality.xlsx", "2016-01-01" or a masked ID. Help, errors and reports all use `wrap`.

A line may break between two Chinese characters and at a space; never inside an ASCII word, a
number, a date, an ID, a file name (低保对象名单.xlsx), an option with its value (--year 2019) or a
command (edgescreen rules list), a short name in corner quotes (「工资性收入(万元)」) or in a list
(陈家店村、东风村第三村民小组), a name a message inserts (names_in, given as keep); a number keeps
its unit (第 613 行, 2800元); never before a closing mark, nor after an opening one (、。 stay with the
word before them, as printed text does). Chinese text ends a line at a mark, a space or before an
opening bracket where one lies within a quarter of the line; inside a run of characters only where it
would otherwise end far short, and then never with one character left before its mark (日 | 计,).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePath

from rich.cells import cell_len

from ..linebreaks import NO_BREAK_AFTER, NO_BREAK_BEFORE

_STOP = r"\s,。、;:?!()「」『』《》【】…"  # where a name mixing Chinese and ASCII ends
_PIECE = rf"[^{_STOP}=/\\:.]+"
_NAME = rf"{_PIECE}(?:[=/\\:.]{_PIECE})*[=/\\:.][A-Za-z0-9_-]*[A-Za-z0-9]"  # 低保=名单.xlsx, 县.xlsx:镇:12
_COMMAND = r"edgescreen(?: [a-z]{3,10}){0,2}(?: -h\b)?"  # a command as typed, up to its subcommand
_OPTION = rf"--?[a-z][a-z-]* (?:[\x21-\x7e]+|{_NAME})(?=\s|$|[{_STOP}])"  # --year 2019, --roster 低保=x.csv
# A short name in corner quotes (a header, a village: 「工资性收入(万元)」) stays whole; a long quotation may break.
# So does a short word to type in straight quotes (--reason "补填张贴日期"): no quote alone at a line's end.
_QUOTED = r'「[^「」\s]{1,14}」|"[^"\s]{1,14}"'
# An item of a list joined with 、 (villages, townships, sheets: 陈家店村、东风村第三村民小组) stays whole when
# short, as a name in corner quotes does: from the mark before it (or the start of its run) to the next mark.
_ITEM_CHAR = rf"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f{_STOP}{re.escape(''.join(NO_BREAK_BEFORE + NO_BREAK_AFTER))}]"
_ITEM = rf"(?<!{_ITEM_CHAR}){_ITEM_CHAR}{{1,14}}(?=、)|(?<=、){_ITEM_CHAR}{{1,14}}(?!{_ITEM_CHAR})"
# A comma, colon … after a Chinese character is Chinese punctuation, a place to break, not the start of a
# run of ASCII: 按印发日计,2019-12-12 read ",2019-12-12" as one word and carried 计 down with it.
_CN_MARK = r"(?<=[^\x00-\x7f])[,;:!?]"
_TOKEN = re.compile(rf"\s+|{_QUOTED}|{_COMMAND}|{_OPTION}|{_NAME}|{_ITEM}|{_CN_MARK}|[\x21-\x7e]+|.")
_NO_LINE_START = set(NO_BREAK_BEFORE)
_NO_LINE_END = set(NO_BREAK_AFTER)

# A control character in what a clerk typed (an ESC sequence in a name or a note, a BEL) is shown as its
# picture (␛, ␇), never sent to the terminal to act on: it could clear the screen or overwrite a line.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def visible(text: str) -> str:
    """`text` with its control characters as their pictures, one cell each, as the terminal shows them."""
    return CONTROL.sub(lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text)


def _cjk(ch: str) -> bool:
    return ch >= "\u2e80" and ch not in _NO_LINE_START and ch not in _NO_LINE_END


def _ascii(ch: str) -> bool:
    return "\x21" <= ch <= "\x7e"


def _glue(tokens: list[str]) -> list[str]:
    """Tokens joined where no line may break: around marks, a number with its unit, and two pieces
    of one run of ASCII with no space between them (a name's pattern may end inside a number:
    2.20122197005019e | +17)."""
    glued: list[str] = []
    held = False  # the last piece ends in a space that is no break: the next token joins it
    for i, tok in enumerate(tokens):
        prev = glued[-1] if glued else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok.isspace():
            # 第 613 行, 读入 5,265 人: one space between a number and Chinese is not a break
            # A " · " between the parts of a line ends none: a line breaks before the dot, the part after
            # it going down with it (a line ending in "·" reads as cut off).
            held = bool(prev) and tok == " " and bool(after) and (
                (prev[-1].isdigit() and _cjk(after[0])) or (_cjk(prev[-1]) and after[0].isdigit())
                or (prev == "·" and not after.isspace()))
            if held:
                glued[-1] += tok
            else:
                glued.append(tok)
        elif prev and not prev.isspace() and (held or tok[0] in _NO_LINE_START or prev[-1] in _NO_LINE_END
                                              or (prev[-1].isdigit() and len(tok) == 1 and _cjk(tok))  # 2800元
                                              or (_ascii(prev[-1]) and _ascii(tok[0])  # 2.2012…e+17
                                                  and not _after_cn_mark(prev))):
            glued[-1] += tok
            held = False
        else:
            glued.append(tok)
            held = False
    return glued


def _after_cn_mark(piece: str) -> bool:
    """`piece` ends in a comma, colon … standing after a Chinese character (计,): a place to break."""
    return len(piece) > 1 and piece[-1] in ",;:!?" and not _ascii(piece[-2])


def _tokens(text: str, token: re.Pattern, names: re.Pattern | None) -> list[str]:
    """`text`'s tokens, each name to keep whole (`names`) a token of its own wherever it stands: found
    first, so that no longer piece takes it in (已写出:/home/clerk/农安县.xlsx was read as one name from 已写出
    on, ending inside the path, which then broke)."""
    if names is None:
        return token.findall(text)
    out: list[str] = []
    for i, part in enumerate(names.split(text)):
        out += [part] if i % 2 else token.findall(part)
    return out


def wrap(text: str, width: int, indent: int = 0, keep: Iterable[str] = ()) -> list[str]:
    """`text` in lines of at most `width` cells (Chinese characters count two), each paragraph
    (line of `text`) on its own; continuation lines of a paragraph keep its leading spaces, plus
    `indent`. The strings of `keep` (names: people, places, files) are never broken; a piece longer
    than a line stands whole on a line of its own, longer than `width`."""
    width = max(width, 10)
    names = sorted({k for k in keep if k and not k.isspace()}, key=len, reverse=True)
    # The names split off first (_tokens), what is between them never holds one: the token pattern
    # stays the one compiled once (compiled with the names, per line, it took most of a long report's time).
    kept = re.compile("(" + "|".join(map(re.escape, names)) + ")") if names else None
    out: list[str] = []
    for paragraph in visible(text).split("\n"):  # measured as shown: an ESC is a ␛, one cell
        lead = paragraph[:len(paragraph) - len(paragraph.lstrip(" "))]
        line, cont = lead, lead + " " * indent
        # A name of Chinese characters alone wider than a line (no path, no command to copy): broken
        # between its characters, as any text; a shorter one is never broken.
        room = width - cell_len(cont)
        glued = [part for tok in _glue(_tokens(paragraph[len(lead):], _TOKEN, kept))
                 for part in (_glue(list(tok)) if cell_len(tok) > room and not any(map(_ascii, tok)) else [tok])]
        start, pieces = lead, []  # what `line` begins with, and its tokens after that
        for tok in glued:
            if tok.isspace():
                if line.strip() and cell_len(line + tok) <= width:
                    line += tok
                    pieces.append(tok)
                continue
            if line.strip() and cell_len(line) + cell_len(tok) > width:
                carried = _carried(pieces, tok, min(max(SHORT_WORD_CELLS, width // 4),
                                                    width - cell_len(cont) - cell_len(tok)))
                staying = pieces[:len(pieces) - len(carried)]
                out.append((start + "".join(staying)).rstrip())
                line, start, pieces = cont + "".join(carried), cont, list(carried)
            line += tok
            pieces.append(tok)
            if cell_len(line) > width:
                # A piece longer than a line (a folder's path, a command to copy) on a line of its own,
                # whole: the terminal folds it, and copied it is still one path.
                out.append(line)
                line, start, pieces = cont, cont, []
        out.append(line.rstrip())
    return out


# The most of a short word (a name of three, 刘立国, with its bracket) carried to the next line whole;
# past a short word, a line may end as far short as a quarter of its width to break at a mark.
SHORT_WORD_CELLS = 8


def _inside_run(before: str, after: str) -> bool:
    """A break between these two pieces falls inside a run of Chinese characters (no mark, bracket,
    space or ASCII at it)."""
    return _cjk(before[-1]) and _cjk(after[0])


def _carried(pieces: list[str], after: str, most: int) -> list[str]:
    """The last tokens of a line carried down with `after`, the token that does not fit on it. None where
    the line may end before `after` (a mark, a space, an opening bracket, ASCII); else those after the
    line's last such place within `most` cells (第 3951 行(刘 | 立国), 请在该村文书的 | 「张贴记录」),
    never the line's whole text. With no such place, the line breaks where it must, but leaves no one
    character before a mark at the next line's start (印发日 | 计,, 「张贴记录」 | 表)): it goes down with
    the token before it."""
    if not pieces:
        return []
    if _inside_run(pieces[-1], after):
        cells = 0
        for k in range(len(pieces) - 1, 0, -1):
            cells += cell_len(pieces[k])
            if cells > most:
                break
            if not pieces[k].isspace() and not _inside_run(pieces[k - 1], pieces[k]):
                return pieces[k:]
    lone = len(after) > 1 and _cjk(after[0]) and all(ch in _NO_LINE_START for ch in after[1:])
    if lone and len(pieces) > 1 and not pieces[-1].isspace() and cell_len(pieces[-1]) <= most:
        return pieces[-1:]
    return []


# The named arguments of a message that hold a name (the catalogue's {file}, {sheet}, {village} …): what
# the message inserts there is kept whole on the terminal, whatever the words around it.
NAME_PARAMS = frozenset({"file", "files", "other", "path", "folder", "sheet", "sheets", "village", "villages",
                         "township", "townships", "place", "places", "name", "names", "who", "county", "head",
                         "enumerator", "member"})


# Of those, the ones that name a list: given as a text joined with list_sep already (22 files skipped,
# 三盛玉镇-东风村.xlsx、三盛玉镇-保安村.xlsx …), each item is a name, not the whole text, which as one name
# stood on a line of its own wider than the terminal, the terminal then cutting a file's name apart.
LIST_PARAMS = frozenset({"files", "sheets", "villages", "townships", "places", "names"})
_LIST_SEP = re.compile("、|, ")


def names_in(params: Mapping) -> list[str]:
    """The names a message's arguments insert (`params` as given to the catalogue), to pass as `keep`:
    each item of a list on its own (陈家店村、东风村第三村民小组 may break between the two, never inside
    one), a path whole and by its file's name, and those of a phrase or an error inside the message."""
    found: list[str] = []

    def take(value) -> None:
        if isinstance(value, (str, PurePath)):
            found.extend([str(value), re.split(r"[/\\]", str(value))[-1]])  # a path, and its file's name
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                take(item)

    for key, value in params.items():
        inner = getattr(value, "params", None)  # a Phrase or an error standing inside the message
        if isinstance(inner, Mapping):
            found += names_in(inner)
        elif key in LIST_PARAMS and isinstance(value, str):
            take(_LIST_SEP.split(value))
        elif key in NAME_PARAMS:
            take(value)
    return [*dict.fromkeys(n for n in found if n.strip())]


class Named(str):
    """A message's text that knows the names it inserts (names_in of its parameters): say_prose keeps
    them whole without its caller passing them (common.words makes every label so)."""

    names: tuple[str, ...] = ()

    def __new__(cls, text: str, names: Iterable[str] = ()):
        out = super().__new__(cls, text)
        out.names = tuple(names)
        return out


def say_prose(console, text: str, *, indent: int = 0, keep: Iterable[str] = (), **style) -> None:
    """Print a sentence people read (not markup) wrapped by `wrap` at the console's width. `keep`:
    names never broken (a person's, a village's, a folder's), with those a Named text carries;
    `indent`: continuation lines indented so much more."""
    keep = [*keep, *getattr(text, "names", ())]
    for line in wrap(text, console.width, indent=indent, keep=keep):
        console.print(line, markup=False, highlight=False, soft_wrap=True, **style)
