"""Exceptions the library raises for problems a user can fix; the command line turns them into a
message in the user's language and exit code 2.

Each error names its message by a key of the catalogue's [errors] table (data/messages/, zh and en)
and carries the values of its {placeholders}: `InputError("file_empty", file="a.xlsx")`. The words
are chosen when the message is shown, `exc.message("en")`; `str(exc)` is the Chinese message."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalogue import Lang, Phrase
    from .read import InputFile

# What an operating-system error means for the clerk, by errno; others are named by their errno.
_OS_REASONS = {errno.ENOSPC: "os_no_space", errno.EDQUOT: "os_no_space", errno.EACCES: "os_no_permission",
               errno.EPERM: "os_no_permission", errno.EROFS: "os_read_only", errno.ENAMETOOLONG: "os_name_too_long",
               errno.ENOENT: "os_not_found", errno.EISDIR: "os_is_folder", errno.ENOTDIR: "os_not_folder",
               errno.EBUSY: "os_busy", errno.ETXTBSY: "os_busy", errno.EEXIST: "os_exists",
               errno.EINVAL: "os_bad_name", errno.EIO: "os_io", errno.ENOTEMPTY: "os_not_empty"}


def os_reason(exc: OSError) -> Phrase:
    """Why the operating system refused, as words of the catalogue: the disk is full, permission is
    denied, the path is too long …"""
    from .catalogue import Phrase  # at need: the catalogue is not loaded before a command has started

    key = _OS_REASONS.get(exc.errno)
    if key is None and getattr(exc, "winerror", None) in (32, 33):  # a file open in Excel on Windows
        key = "os_busy"
    return Phrase(key) if key else Phrase("os_other", errno=exc.errno, text=exc.strerror or type(exc).__name__)


class EdgescreenError(Exception):
    """A problem with the user's input or options, with a message fit to show as it is."""

    def __init__(self, key: str, /, **params):
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: Lang = "zh") -> str:
        from .catalogue import error_message

        return error_message(self.key, lang, **self.params)

    render = message  # an error can stand inside another message (catalogue.Phrase's parameters)

    # A refusal that lists its first problems only may carry them all (`problems` whole): --all-problems.
    every = None

    def in_full(self) -> EdgescreenError:
        """This refusal with every problem listed where it carries them (`every`), else itself."""
        return self if self.every is None else type(self)(self.key, **{**self.params, "problems": self.every})

    def __str__(self) -> str:
        return self.message("zh")


class InputError(EdgescreenError):
    """An input file cannot be read as a survey (unreadable, encrypted, no header, a column missing).
    `record`: what the file was found to hold, where it was read through and holds no household
    header (read.read_file): a folder's file so refused is passed over, its sheets named."""

    record: InputFile | None = None


class RulesError(EdgescreenError):
    """A rules file does not validate."""


class OutputError(EdgescreenError):
    """The output folder cannot be written as asked."""


class UsageError(EdgescreenError):
    """An option's value cannot be used (a year no rule covers, a date out of range)."""


LANGS = ("zh", "en")


def given_lang(lang: object) -> Lang:
    """zh or en exactly, as a library call's argument: anything else would give English words under a
    Chinese header, or both."""
    if lang not in LANGS:
        raise UsageError("lang_argument_unknown", value=repr(lang))
    return lang  # type: ignore[return-value]
