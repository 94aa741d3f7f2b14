"""The language a command line asks for, read from its raw arguments before anything is parsed (and
before the rest of the command line loads): --lang xx, --lang=xx, else EDGESCREEN_LANG, else zh."""

from __future__ import annotations

import os
import re

LANGS = ("zh", "en")


def lang_word(value: str | None) -> str | None:
    """zh or en as asked, in any case and with a region or encoding after it as a locale has them
    (EN, zh_CN, zh-CN.UTF-8); None for anything else."""
    word = re.split(r"[_\-.@]", (value or "").strip().lower(), maxsplit=1)[0]
    return word if word in LANGS else None


def lang_given(args: list[str]) -> str | None:
    """The --lang the command line gives (its last), as typed; None where it gives none."""
    given = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            given = args[i + 1]
        elif arg.startswith("--lang="):
            given = arg.split("=", 1)[1]
    return given


def lang_of(args: list[str]) -> str:
    """An unknown value gives zh here; the command itself refuses it with a message."""
    given = lang_given(args)
    return lang_word(os.environ.get("EDGESCREEN_LANG") if given is None else given) or "zh"
