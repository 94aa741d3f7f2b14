"""Survey files before anything reads their cells: finding them, telling what they are, guarding
against files that would blow up the reader, hashing them, and settling a text file's encoding.

Nothing here imports pandas, so the command line can start on the files while the rest loads."""

from __future__ import annotations

import codecs
import contextvars
import hashlib
import os
import re
import shlex
import struct
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PureWindowsPath

from .errors import InputError, os_reason


@lru_cache(maxsize=1 << 14)
def column_letter(index: int) -> str:
    """A sheet's column by its letters, from 0: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
# The workbooks whose sheets are scanned before calamine parses them (Office Open XML).
SCANNED_SUFFIXES = {".xlsx", ".xlsm"}
# Text tables: comma- or tab-separated (Excel's "Unicode 文本" and WPS's 文本文件 are tab-separated .txt).
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES | CSV_SUFFIXES
# WPS 表格's own formats (a spreadsheet, a template): no reader opens them; named, the clerk is told to
# save as .xlsx. A folder's .et files are named like its .xlsb (not read, "save it as .xlsx") and the
# run goes on. A .wps is no spreadsheet: WPS 文字's (or Microsoft Works') word-processing document,
# said as one (NOT_A_TABLE_SUFFIXES).
WPS_SUFFIXES = {".et", ".ett"}
FOLDER_SUFFIXES = SUPPORTED_SUFFIXES
# The identity's step of edgescreen's 信息比对申请名单 (outputs/request.py stamps it): a file carrying it is
# a request list, never a survey or a members table (its rows name every member, 与户主关系 and all).
REQUEST_STEP = "roster_request"
# … and of a spot check's verification form (spotcheck/forms.py), read back by backcheck.
SPOT_CHECK_STEP = "spot_check"
# The very hidden sheet on which edgescreen's documents carry their identity (register.documents.stamp):
# its first rows are facts, a key in column A and its value in B (format, doc_id, …, step).
IDENTITY_SHEET = "edgescreen"
# A workbook whose parts expand to more than this is refused before it is read.
MAX_UNZIPPED_BYTES = 4 * 1024**3
MAX_ZIP_RATIO = 200

# ---------------------------------------------------------------------------------------------
# Finding inputs


def files_given(paths, suffixes, *, empty_folder: str, skip: tuple[str, ...] = (".",),
                subfolders: bool = False, text_only: str | None = None) -> list[Path]:
    """Files as given, folders expanded to the files directly inside them whose suffix is one of
    `suffixes` and whose name starts with none of `skip` (sorted), and with `subfolders` those of
    the folders directly inside them too (a folder per step). A folder with none is the InputError
    `empty_folder`, or `text_only` where it holds text tables (.csv: documents saved as CSV) that it
    names; a path that is neither file nor folder, input_missing."""
    found: list[Path] = []

    def wanted(p: Path) -> bool:
        return p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(skip)

    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if wanted(p))
            if subfolders:
                for sub in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
                    inside += sorted(p for p in sub.iterdir() if wanted(p))
            if not inside:
                texts = sorted(p.name for p in path.iterdir() if p.is_file() and p.suffix.lower() in CSV_SUFFIXES)
                if texts and text_only is not None:
                    shown = "、".join(texts[:5]) + ("…" if len(texts) > 5 else "")
                    raise InputError(text_only, path=str(path), files=shown)
                raise InputError(empty_folder, path=str(path))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("input_missing", path=str(path))
    return found


# Compressed archives: a township's workbooks sent by QQ or WeChat as one file. Named, with "unpack it":
# another format saved as .xlsx is no answer for them. A .zip's workbooks are named from its list of
# members (zipfile reads it without unpacking); a .rar's or .7z's list needs a program of its own.
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z"}
# Folders looked through below a folder left out (one deeper than the folders read), for the folder
# that holds its surveys: so many levels (WeChat keeps a file received four down: WeChat Files/wxid_…/
# FileStorage/File/2019-12/) and entries at most, so that a disk's whole tree is never walked.
DEEP_LEVELS = 4
DEEP_ENTRIES = 5000
# The folders named at most, where more below one hold surveys.
DEEP_SHOWN = 5
# Characters a shell reads as something else than a file name's (POSIX sh, cmd and PowerShell).
_SHELL_SPECIAL = re.compile(r"""[\s'"`$\\!*?\[\](){}<>|&;#~%^,=@]""")


def shell_word(path: str) -> str:
    """`path` as one word of a command to copy into this platform's shell: bare when nothing in it
    is special, else quoted (single quotes on POSIX, double quotes on Windows, where a path cannot
    hold one)."""
    if path and not _SHELL_SPECIAL.search(path):
        return path
    return f'"{path}"' if os.name == "nt" else shlex.quote(path)


def _phrase(key: str, **params):
    """The catalogue's Phrase (imported at need: the command line finds its inputs before the catalogue
    loads)."""
    from .catalogue import Phrase

    return Phrase(key, **params)


def archive_said(path: Path):
    """What a compressed archive found in a folder is, as its left-out fact says it (a Phrase): a .zip's
    survey files named (as their paths inside it), or a workbook named .zip (an .xlsx is a zip too:
    its parts say so) to be renamed; a .rar or .7z, to be unpacked."""
    if path.suffix.lower() != ".zip":
        return _phrase("left_archive", kind=path.suffix.lower())
    try:
        with zipfile.ZipFile(path) as zf:
            names = [member_name(info) for info in zf.infolist()]
    except (OSError, zipfile.BadZipFile):
        return _phrase("left_archive_damaged")
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return _phrase("left_archive_is_workbook", name=Path(path.name).stem + ".xlsx")
    surveys = [n for n in names if not n.endswith("/") and Path(n).suffix.lower() in FOLDER_SUFFIXES
               and not Path(n).name.startswith((".", LOCK_PREFIX)) and not n.startswith("__MACOSX/")]
    if not surveys:
        return _phrase("left_archive_no_surveys")
    shown = [f"「{n}」" for n in surveys[:DEEP_SHOWN]]
    return _phrase("left_archive_surveys", count=len(surveys), files="".join(shown) + ("…" if len(surveys) > DEEP_SHOWN else ""))


# A zip member's name flagged as UTF-8 (general purpose bit 11) is decoded so by zipfile; one without the
# flag is decoded as cp437, which no Chinese name is: Windows Explorer's 压缩(zipped)文件夹 writes the
# PC's code page (GBK), Info-ZIP and most others UTF-8 unflagged. Both were shown as ╡≈▓Θ▒φ/….
_ZIP_UTF8_FLAG = 0x800


def member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name as it was written: an unflagged one's bytes (cp437 gives them back whole)
    read as UTF-8 where they decode so, else as GB18030 (GBK's superset); a backslash, as Windows
    writes a folder's, read as "/"."""
    if info.flag_bits & _ZIP_UTF8_FLAG:
        return info.filename
    raw = info.orig_filename.encode("cp437")
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        name = raw.decode("gb18030", errors="replace")
    return name.replace("\\", "/")


# A Windows shortcut (.lnk): what Explorer makes for 创建快捷方式, and what a copy from 快速访问 gives. It
# holds no household, only where the workbook is (an outside try: said as a file type to save as .xlsx,
# a township left out). Known by its name and by its header's first bytes (HeaderSize 0x4C, then the
# LinkCLSID 00021401-…), and said with its target where its LinkInfo gives one ([MS-SHLLINK]).
SHORTCUT_SUFFIX = ".lnk"
SHORTCUT_MAGIC = b"L\x00\x00\x00\x01\x14\x02\x00"
_LNK_HEADER_SIZE = 76
_LNK_HAS_ID_LIST, _LNK_HAS_LINK_INFO = 0x1, 0x2
_LNK_LOCAL_PATH = 0x1  # LinkInfoFlags' VolumeIDAndLocalBasePath: the target is on a drive of the PC
_LNK_UNICODE_INFO = 0x24  # a LinkInfoHeaderSize this large carries the paths in UTF-16 too


def is_shortcut(path: Path, head: bytes | None = None) -> bool:
    """Whether a file is a Windows shortcut: named .lnk, or beginning as one (`head`: its first bytes,
    read when not given)."""
    if path.suffix.lower() == SHORTCUT_SUFFIX:
        return True
    if head is None:
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SHORTCUT_MAGIC))
        except OSError:
            return False
    return head.startswith(SHORTCUT_MAGIC)


def shortcut_target(path: Path) -> str | None:
    """The path a shortcut points to (its LinkInfo's LocalBasePath and CommonPathSuffix, the Unicode
    ones where it has them, else the ANSI ones, GBK on a Chinese Windows), or None: a shortcut to a
    network share, or one that is cut short or damaged, is said without it."""
    try:
        with path.open("rb") as fh:
            data = fh.read(1 << 16)
        return _link_target(data)
    except (OSError, struct.error, ValueError, StopIteration):  # UnicodeDecodeError is a ValueError
        return None


def _link_target(data: bytes) -> str | None:
    if not data.startswith(SHORTCUT_MAGIC):
        return None
    (flags,) = struct.unpack_from("<I", data, 20)
    if not flags & _LNK_HAS_LINK_INFO:
        return None
    at = _LNK_HEADER_SIZE
    if flags & _LNK_HAS_ID_LIST:  # the target as the shell's item IDs, before the LinkInfo: passed over
        at += 2 + struct.unpack_from("<H", data, at)[0]
    size, header_size, info_flags, _volume, base, _network, suffix = struct.unpack_from("<7I", data, at)
    info = data[at:at + size]
    if not info_flags & _LNK_LOCAL_PATH or len(info) < size:
        return None
    target = ""
    if header_size >= _LNK_UNICODE_INFO:
        base_unicode, suffix_unicode = struct.unpack_from("<2I", info, 28)
        if base_unicode:
            target = _utf16_at(info, base_unicode) + (_utf16_at(info, suffix_unicode) if suffix_unicode else "")
    if not target:
        target = _ansi_at(info, base) + _ansi_at(info, suffix)
    # A path, not bytes of a damaged file that happened to decode.
    return target if target and len(target) < 1024 and not any(c < " " for c in target) else None


def _ansi_at(info: bytes, offset: int) -> str:
    """The NUL-terminated ANSI string at `offset` (GBK, the code page of a Chinese Windows)."""
    if offset <= 0 or offset >= len(info):
        raise ValueError(offset)
    return info[offset:info.index(b"\x00", offset)].decode("gb18030")


def _utf16_at(info: bytes, offset: int) -> str:
    """The NUL-terminated UTF-16LE string at `offset`."""
    if offset <= 0 or offset >= len(info):
        raise ValueError(offset)
    end = next(i for i in range(offset, len(info) - 1, 2) if info[i:i + 2] == b"\x00\x00")
    return info[offset:end].decode("utf-16-le")


def shortcut_said(path: Path):
    """What a shortcut is, as its left-out fact and its refusal say it (a Phrase): no survey, where it
    points, and to copy the workbook itself or give its path."""
    target = shortcut_target(path)
    name = PureWindowsPath(target).name if target else ""
    if not name:
        return _phrase("left_shortcut", points="", todo=_phrase("shortcut_todo_unknown"))
    return _phrase("left_shortcut", points=_phrase("shortcut_target", path=target),
                   todo=_phrase("shortcut_todo", name=name))


def refuse_shortcut(path: Path) -> None:
    """A shortcut named as a survey: refused as one, as other files that are no table are."""
    raise InputError("file_is_shortcut", file=path.name, said=shortcut_said(path))


def folders_holding_surveys(folder: Path) -> list[Path]:
    """The folders at most DEEP_LEVELS below `folder` (itself too) that directly hold a survey file,
    breadth first, looking at DEEP_ENTRIES entries at most; output folders and hidden ones passed over."""
    holding: list[Path] = []
    level, seen = [folder], 0
    for _ in range(DEEP_LEVELS + 1):
        below = []
        for here in level:
            try:
                with os.scandir(here) as entries:
                    items = sorted(entries, key=lambda e: e.name)
            except OSError:
                continue
            seen += len(items)
            names = {e.name for e in items}
            if any(marker in names for marker in OUTPUT_MARKERS):
                continue
            if any(e.is_file() and Path(e.name).suffix.lower() in FOLDER_SUFFIXES
                   and not e.name.startswith((".", LOCK_PREFIX)) for e in items):
                holding.append(here)
            below += [Path(e.path) for e in items if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
            if seen > DEEP_ENTRIES:
                return holding
        level = below
    return holding


def deeper_said(folder: Path) -> str:
    """A folder left out, as its fact names it to give on the command line: the folders below it that
    hold surveys, else itself; each one word of a shell command (quoted where it holds a space)."""
    holding = folders_holding_surveys(folder) or [folder]
    words = [shell_word(str(p)) for p in holding[:DEEP_SHOWN]]
    return " ".join(words) + (" …" if len(holding) > DEEP_SHOWN else "")


# Spreadsheet formats no reader here opens: a folder's are named, with "save as .xlsx".
SAVE_AS_XLSX_SUFFIXES = {".xlsb", ".xlt", ".xltx", ".xltm", ".numbers", ".et", ".ett"}
# Files a folder holds that are the operating system's own: passed over without a word.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
# The records a run of edgescreen leaves in its output folder, each listing the files it wrote, and the
# mark that tells it from a file of the same name another program wrote (run.json is a common name):
# screen's run.json, check's check.json, sample's sample.json, backcheck's backcheck.json.
RECORD_MARKS = {"run.json": ("tool", "edgescreen"), "check.json": ("report", "edgescreen check"),
                "sample.json": ("tool", "edgescreen"), "backcheck.json": ("tool", "edgescreen")}
RECORDS = tuple(RECORD_MARKS)
# A folder holding one of these is an output folder of edgescreen's own that holds a screen's survey
# (screen's, check's), refused when given as the survey.
OUTPUT_MARKERS = ("run.json", "check.json")
# Excel's and WPS's lock file beside an open workbook: "~$" and the workbook's name (Excel puts it in
# place of the first two characters of a long name).
LOCK_PREFIX = "~$"


@dataclass(frozen=True)
class LeftOut:
    """What a folder given holds that is not read, and why. `shown`: its path inside the folder given
    (a folder's ends in "/"); `reason`: save_as_xlsx, file_type, lock_file, folder_too_deep,
    output_folder, or no_household_header (a workbook found in a folder, see read.read_inputs);
    `detail`: what its message names (the workbook a lock file is kept for, the sheets looked at);
    `path`: a file's own, where copies_said may compare it; `copy_of`: the name of the file read in the
    run whose bytes it holds (a backup, 华家镇.bak): no household in it is missed."""

    shown: str
    reason: str
    detail: object = ""
    path: Path | None = field(default=None, compare=False)
    copy_of: str = ""


@dataclass
class Found:
    """The survey files of the inputs (folders expanded: their files, and those of the folders directly
    inside them), the files of folders not read (`left_out`), and which files were found in a folder
    rather than named (`in_folder`): one of those without a household header is passed over, said."""

    files: list[Path]
    left_out: list[LeftOut] = field(default_factory=list)
    in_folder: set[Path] = field(default_factory=set)
    # A file given again (the same file under a second name or path): read once, and refused with the
    # files that cannot be read (read.read_inputs), so that one run names every file to put right.
    twice: list[Path] = field(default_factory=list)


def lock_target(lock: Path, beside: Sequence[Path] | None = None) -> str:
    """The name of the workbook a lock file ("~$新立村.xlsx") is kept for: the file beside it it names,
    or whose name it ends (Excel's, for a long name), else its own name without "~$". `beside`: what
    its folder holds, where the caller has listed it already."""
    rest = lock.name[len(LOCK_PREFIX):]
    try:
        entries = list(lock.parent.iterdir()) if beside is None else beside
    except OSError:
        entries = []
    siblings = [p.name for p in entries if p != lock and not p.name.startswith(LOCK_PREFIX)]
    if rest in siblings:
        return rest
    longer = [n for n in siblings if len(n) == len(lock.name) and n[2:] == lock.name[2:]]
    return longer[0] if len(longer) == 1 else rest


def open_lock(workbook: Path) -> Path | None:
    """The lock file Excel or WPS keeps beside `workbook` while it is open ("~$" and its name, or, for a
    long name, its name's first two characters replaced), or None."""
    if not workbook.name.startswith(LOCK_PREFIX):
        for name in (LOCK_PREFIX + workbook.name, LOCK_PREFIX + workbook.name[2:]):
            lock = workbook.with_name(name)
            if lock != workbook and lock.is_file() and is_lock_file(lock) and lock_target(lock) == workbook.name:
                return lock
    return None


def is_lock_file(path: Path) -> bool:
    """Whether a file is Excel's or WPS's lock file: "~$" before its name, and not a workbook inside
    (a few hundred bytes naming who has the workbook open)."""
    if not path.name.startswith(LOCK_PREFIX):
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return not head.startswith((b"PK", OLE2))


def _look_in(folder: Path, given: Path, found: Found, *, deeper: bool) -> None:
    """The survey files of `folder` into found.files (and found.in_folder), the others into
    found.left_out; with `deeper`, the folders inside it read the same way (one level), else named."""
    def shown(p: Path) -> str:
        return p.relative_to(given).as_posix() + ("/" if p.is_dir() else "")

    entries = sorted(folder.iterdir())
    folders = []
    for p in entries:
        name = p.name
        if name.startswith(".") or name.lower() in SYSTEM_FILES:
            continue
        if p.is_dir():
            folders.append(p)
        elif not p.is_file():
            continue
        elif name.startswith(LOCK_PREFIX):
            found.left_out.append(LeftOut(shown(p), "lock_file", lock_target(p, entries)))
        elif p.suffix.lower() in FOLDER_SUFFIXES or p.suffix.lower() in WPS_SUFFIXES and biff_workbook(p):
            found.files.append(p)
            found.in_folder.add(p)
        elif p.suffix.lower() in ARCHIVE_SUFFIXES:
            found.left_out.append(LeftOut(shown(p), "file_type", archive_said(p), path=p))
        elif is_shortcut(p):
            found.left_out.append(LeftOut(shown(p), "file_type", shortcut_said(p), path=p))
        else:
            reason = "save_as_xlsx" if p.suffix.lower() in SAVE_AS_XLSX_SUFFIXES else "file_type"
            found.left_out.append(LeftOut(shown(p), reason, p.suffix if reason != "file_type"
                                          else _phrase("left_file_type_other"), path=p))
    for sub in folders:
        if own_record(sub, OUTPUT_MARKERS) is not None:
            found.left_out.append(LeftOut(shown(sub), "output_folder"))
        elif deeper:
            _look_in(sub, given, found, deeper=False)
        else:
            found.left_out.append(LeftOut(shown(sub), "folder_too_deep", deeper_said(sub)))


# How far above a file given its output folder is looked for: villages/合隆镇-前岗村.xlsx, publicity/….
OUTPUT_DEPTH = 3


@dataclass(frozen=True)
class OwnRecord:
    """A run record edgescreen left in a folder: its file's name and what it says. `damaged`: not
    readable as JSON (cut short by a copy, a full disk), known as edgescreen's only by the mark it
    opens with; `record` is then {} and lists no files."""

    name: str
    record: dict
    damaged: bool = False


def _opening_mark(key: str, mark: str) -> re.Pattern[bytes]:
    # Every version writes its mark as the record's first key (`{"tool": "edgescreen", ...`).
    return re.compile(rb'\A\s*\{\s*"' + re.escape(key.encode()) + rb'"\s*:\s*"' + re.escape(mark.encode()) + rb'"')


_OPENING_MARKS = {name: _opening_mark(key, mark) for name, (key, mark) in RECORD_MARKS.items()}


def own_record(folder: Path, names: Sequence[str] = RECORDS) -> OwnRecord | None:
    """The first of the records `names` in `folder` that edgescreen wrote, or None where there is none:
    the one reader of run records. A file of such a name is edgescreen's only with its mark (run.json's
    "tool": "edgescreen", check.json's "report": "edgescreen check"): another program's run.json is no
    record, and its folder is nobody's output. One that cannot be parsed but opens with the mark is
    edgescreen's, damaged: its folder is still an output (its files are not surveys), but it says
    nothing of what the run wrote (so --force never deletes by it)."""
    import json

    for name in names:
        try:
            text = (folder / name).read_bytes()
        except OSError:  # not there, a folder, unreadable
            continue
        key, mark = RECORD_MARKS[name]
        try:
            record = json.loads(text.decode("utf-8-sig"))
        except ValueError:
            if _OPENING_MARKS[name].match(text[:512]):
                return OwnRecord(name, {}, damaged=True)
            continue
        if isinstance(record, dict) and record.get(key) == mark:
            return OwnRecord(name, record)
    return None


def own_output(path: Path) -> tuple[Path, dict] | None:
    """(the output folder, its record) where `path` is an output folder edgescreen wrote, or a file it
    wrote there (listed among its record's outputs, or the record itself; any file where the record
    lists none); else None. A survey the clerk keeps in such a folder is not one of its outputs."""
    if path.is_dir():
        own = own_record(path, OUTPUT_MARKERS)
        return None if own is None else (path, own.record)
    if not path.is_file():
        return None
    # Looked for above the file itself (a file named from inside villages/ too), named as the clerk
    # named it where the path given reaches it.
    named = list(path.parents)
    for level, folder in enumerate(path.absolute().parents[:OUTPUT_DEPTH]):
        own = own_record(folder, OUTPUT_MARKERS)
        if own is None:
            continue
        record = own.record
        inside = path.absolute().relative_to(folder).as_posix()
        outputs = record.get("outputs")
        if not isinstance(outputs, list) or inside in OUTPUT_MARKERS \
                or inside in {o.get("file") for o in outputs if isinstance(o, dict)}:
            return (named[level] if path.is_absolute() or level < len(named) - 1 else folder), record
        return None
    return None


def _surveys_of(folder: Path, record: dict) -> list[Path]:
    """The survey files or folder the run of an output folder read, as the clerk can give them now:
    its record's inputs (run.json keeps each path as given, check.json the names) found beside the
    folder, or in the folder its name was made from (<survey>-edgescreen, <survey>-质量报告); the one
    folder that holds them all, where there is one. As recorded where none is found there."""
    inputs = [i for i in record.get("inputs", []) if isinstance(i, dict) and i.get("file")]
    if not inputs:
        return []
    recorded = [Path(str(i.get("path") or i["file"])) for i in inputs]
    stem = folder.parent / folder.name.rsplit("-", 1)[0]
    beside = ([p if p.is_absolute() else folder.parent / p for p in recorded], [stem / p.name for p in recorded])
    here = next((paths for paths in beside if all(p.is_file() for p in paths)), recorded)
    # One folder holding them all: given as such where it holds more than one, or the output folder was
    # named after it (<folder>-edgescreen), however many it holds.
    parents = {p.parent for p in here}
    parent = next(iter(parents))
    if len(parents) == 1 and str(parent) not in ("", ".") and (len(here) > 1 or parent.name == stem.name):
        return [Path(os.path.normpath(parent))]
    return [Path(os.path.normpath(p)) for p in here]


def refuse_own_output(path: Path) -> None:
    """An output folder of edgescreen's, or a file it wrote there, given as the survey (the folder sits
    beside the survey's, where tab completion picks it) is refused, saying what it is: read, its
    ledger lacks the survey's columns and its workbooks the household header, said as if the survey
    were wrong. Named: the run that wrote it (screen or check, the day, what it read) and the survey
    to give instead."""
    own = own_output(path)
    if own is None:
        return
    folder, record = own
    surveys = _surveys_of(folder, record)
    # Each name kept whole on the terminal (a list's items are names); the survey to give, as words of a
    # command (a folder's name holds spaces: 农安县 2019年 边缘户调查).
    files = [p.as_posix() for p in surveys[:DEEP_SHOWN]] + (["…"] if len(surveys) > DEEP_SHOWN else [])
    day = str(record.get("started") or "")[:10]
    kind = "check" if getattr(own_record(folder, OUTPUT_MARKERS), "name", "") == "check.json" else "screen"
    made = _phrase(f"output_made_by_{kind}", date=day, files=files) if files and day else ""
    words = " ".join(shell_word(str(p)) for p in surveys[:DEEP_SHOWN]) + (" …" if len(surveys) > DEEP_SHOWN else "")
    instead = _phrase("output_give_survey", path=words) if surveys else _phrase("output_give_survey_unnamed")
    if path.is_dir():
        raise InputError("input_is_output_folder", path=str(path), made=made, instead=instead)
    raise InputError("input_is_output_file", path=str(path), folder=str(folder), made=made, instead=instead)


def input_labels(files: Sequence[Path]) -> dict[Path, str]:
    """How each input is named in the ledger, the issues and every report: its file name, or, where
    files of the same name were given (each township's folder holding the same form,
    合隆镇/登记表.xlsx and 华家镇/登记表.xlsx), as many of the folders above it as tell them apart."""
    labels = {path: path.name for path in files}
    depth = 1
    while True:
        seen: dict[str, list[Path]] = {}
        for path, label in labels.items():
            seen.setdefault(label, []).append(path)
        clashing = [paths for paths in seen.values() if len(paths) > 1]
        if not clashing:
            return labels
        depth += 1
        grew = False
        for paths in clashing:
            for path in paths:
                parts = path.absolute().parts
                label = "/".join(parts[-min(depth, len(parts) - 1):])
                grew |= label != labels[path]
                labels[path] = label
        if not grew:  # the same file given twice: said when it is read (input_twice)
            return labels


def folder_inputs(paths: Sequence[Path | str], rosters: Sequence[Path] = ()) -> Found:
    """The inputs found once, by the command line before the library loads, and passed down (jobs,
    pipeline.screen): files as given, folders expanded to the survey files inside them and inside the folders directly
    in them (sorted, a folder at a time), with what else they hold, not read (Found.left_out: a lock
    file, a file of another type, a folder deeper down, an output folder of edgescreen's). A file given
    as a roster (`rosters`) is a roster only: kept in the survey's folder, or named among the inputs
    too, it is not read as a survey or a members table. A lock file named is refused, naming its
    workbook."""
    found = Found(files=[])
    for path in map(Path, paths):
        try:
            path.stat()
        except PermissionError as exc:  # inside a folder the clerk may not open
            raise InputError("file_cannot_open", file=str(path), reason=os_reason(exc)) from None
        except OSError:
            pass  # not there: said below
        refuse_own_output(path)
        if path.is_dir():
            before, left_before = len(found.files), len(found.left_out)
            _look_in(path, path, found, deeper=True)
            if len(found.files) == before:
                left = found.left_out[left_before:]
                if left:  # each said as its fact says it: what it is and what to do (unpack, which folder to give)
                    from .catalogue import Lines

                    raise InputError("folder_no_surveys_said", path=str(path), left=Lines(
                        _phrase("left_item", shown=item.shown, said=_phrase(f"fact_left_{item.reason}", detail=item.detail))
                        for item in left))
                raise InputError("folder_no_surveys", path=str(path))
        elif path.is_file():
            if is_lock_file(path):
                raise InputError("lock_file_named", file=path.name, workbook=lock_target(path))
            found.files.append(path)
            lock = open_lock(path)
            if lock is not None:  # open in Excel now, maybe with changes not saved: said as for a folder's
                found.left_out.append(LeftOut(lock.name, "lock_file", path.name))
        else:
            raise InputError("input_missing", path=str(path))
    seen: dict[Path, Path] = {}
    for path in found.files:
        key = path.resolve()
        if key in seen:
            found.twice.append(path)
        else:
            seen[key] = path
    if found.twice:
        found.files = list(seen.values())
    for roster in map(Path, rosters):
        # A roster open in Excel, or its lock file given for it: said as for a survey.
        if roster.is_file() and is_lock_file(roster):
            raise InputError("lock_file_named_roster", file=roster.name, workbook=lock_target(roster))
        lock = open_lock(roster) if roster.is_file() else None
        if lock is not None:
            found.left_out.append(LeftOut(lock.name, "lock_file", roster.name))
    if rosters:
        left = {Path(r).resolve() for r in rosters}
        kept = [path for path in found.files if path.resolve() not in left]
        if not kept:
            raise InputError("inputs_only_rosters", files=[str(p) for p in found.files])
        found.files = kept
    # A request list (sent, or returned filled in) kept beside the surveys: read as a members table it
    # would list every person twice. Passed over, said with how to read it.
    steps = {path: printed_step(path) for path in found.files}
    lists = [path for path in found.files if steps[path] == REQUEST_STEP
             or path.suffix.lower() in CSV_SUFFIXES and is_request_list(path)]
    # A document printed for a step (a 民主评议 form, a measure form, a spot-check form), given as the
    # survey or kept beside the surveys: read, it has no household header, and was said as a survey
    # whose header is wrong. Said as what it is, with the command that takes it back.
    documents = [path for path in found.files if steps[path] not in (None, REQUEST_STEP)]
    if documents:
        if len(documents) + len(lists) == len(found.files):
            raise InputError("inputs_only_printed_documents", files=[p.name for p in documents],
                             back=_phrase(_taken_back_by(steps[documents[0]])))
        found.files = [path for path in found.files if path not in documents]
        found.left_out += [LeftOut(path.name, "printed_document", _phrase(_taken_back_by(steps[path])))
                           for path in documents]
    if lists:
        if len(lists) == len(found.files):
            raise InputError("roster_request_list_only", files=[p.name for p in lists])
        found.files = [path for path in found.files if path not in lists]
        found.left_out += [LeftOut(path.name, "request_list") for path in lists]
    copies_said(found, [*found.files, *(Path(r) for r in rosters if Path(r).is_file())])
    return found


# What a left-out file may be a copy of: a file of a kind not read (华家镇.bak, 烧锅镇.xlsx.bak, an .xlsx
# renamed .zip). Lock files, folders and the request lists are said as what they are.
_COPY_REASONS = ("file_type", "save_as_xlsx")


def copies_said(found: Found, read: Sequence[Path]) -> None:
    """A left-out file whose bytes are a file's read in this run (`read`), said as that file's copy with
    nothing to do (an outside try: 华家镇.bak beside 华家镇.xlsx was told "save it as .xlsx", which gives a
    duplicate refused next run). Sizes first; only a pair of the same size is hashed, each file once."""
    left = [i for i, item in enumerate(found.left_out) if item.path is not None and item.reason in _COPY_REASONS]
    if not left:
        return
    by_size: dict[int, list[Path]] = {}
    for path in read:
        try:
            size = path.stat().st_size
        except OSError:  # said by the reader
            continue
        if size:
            by_size.setdefault(size, []).append(path)
    digests: dict[Path, str] = {}

    def digest(path: Path) -> str:
        if path not in digests:
            digests[path] = file_sha256(path)
        return digests[path]

    labels: dict[Path, str] | None = None  # computed once, where a copy is found
    for i in left:
        item = found.left_out[i]
        try:
            alike = by_size.get(item.path.stat().st_size, [])
            original = next((path for path in alike if digest(path) == digest(item.path)), None)
        except OSError:  # unreadable: said as the file type it is named
            continue
        if original is not None:
            if labels is None:
                labels = input_labels(read)
            name = labels[original]
            found.left_out[i] = LeftOut(item.shown, "file_type", _phrase("left_copy_of_read", name=name),
                                        path=item.path, copy_of=name)


def is_request_list(path: Path) -> bool:
    """Whether a file is edgescreen's 信息比对申请名单: a workbook carrying its identity (printed_step), or
    a CSV saved from it (its header row)."""
    if path.suffix.lower() in CSV_SUFFIXES:
        try:
            return _request_list_header(path)
        except Exception:  # noqa: BLE001 — a file that cannot be opened so is the reader's to refuse
            return False
    return printed_step(path) == REQUEST_STEP


def printed_step(path: Path) -> str | None:
    """The step of the document edgescreen printed that a workbook is (its identity sheet's `step`: a
    register's 民主评议 …, a measure form, a spot-check form, the request list), or None: for .xlsx a
    look at its workbook part first, no cell read."""
    suffix = path.suffix.lower()
    try:
        if suffix in SCANNED_SUFFIXES:
            with zipfile.ZipFile(path) as book:
                if f'name="{IDENTITY_SHEET}"'.encode() not in book.read("xl/workbook.xml"):
                    return None
        elif suffix == ".ods":
            # Its sheets' names, from content.xml streamed: calamine would parse every sheet whole to
            # give them (787 MB for a village merged to the sheet's last row, its text kept under it).
            if not _ods_names_sheet(path, IDENTITY_SHEET):
                return None
        elif suffix == ".xls":
            # An .xls names its sheets in 8-bit text: one without the identity sheet's name is none,
            # without a second parse of every survey of a city's .xls files.
            if IDENTITY_SHEET.encode("ascii") not in path.read_bytes():
                return None
            import python_calamine

            if IDENTITY_SHEET not in python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names:
                return None
        else:
            return None
    except Exception:  # noqa: BLE001 — a file that cannot be opened so is the reader's to refuse
        return None
    return identity_facts(path, ("step",)).get("step") or None


def _taken_back_by(step: str) -> str:
    """The catalogue's words for the command that reads back a document of `step` filled in."""
    return "printed_back_by_backcheck" if step == SPOT_CHECK_STEP else "printed_back_by_record"


def _ods_names_sheet(path: Path, name: str, chunk: int = 1 << 20) -> bool:
    """Whether an .ods's content.xml names a sheet `name` (table:name="…", either quote), read a
    chunk at a time."""
    wanted = [f'table:name={q}{name}{q}'.encode() for q in "\"'"]
    keep = max(map(len, wanted))
    with zipfile.ZipFile(path) as book, book.open("content.xml") as xml:
        tail = b""
        while block := xml.read(chunk):
            text = tail + block
            if any(w in text for w in wanted):
                return True
            tail = text[-keep:]
    return False


# The request list's own headers (outputs/request.py prints them), as a CSV saved from it keeps them (its
# identity sheet does not survive a CSV): the answer column beside the ID of every person asked about.
_REQUEST_HEADER_KEYS = ("request_result", "request_id", "request_relation")


def _request_list_header(path: Path) -> bool:
    """Whether a CSV's first lines hold the request list's header row (outputs/request.py's columns)."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    # text_encoding's candidates, over the first 64 KB only (it reads the whole file): a character cut
    # at the end of the read is left to the next chunk, never a reason to try the next encoding.
    encodings = ["utf-16"] if head.startswith(UTF16_BOMS) else ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    from .catalogue import label  # at need: the command line finds its inputs before the catalogue loads

    lines = text.splitlines()[:20]
    headers = [[label(key, lang) for key in _REQUEST_HEADER_KEYS] for lang in ("zh", "en")]
    return any(all(h in line for h in words) for line in lines for words in headers)


def identity_facts(path: str | Path, names: tuple[str, ...]) -> dict[str, str]:
    """The identity facts `names` of a document edgescreen wrote (IDENTITY_SHEET's key/value rows), as
    text; {} where the workbook has no such sheet or cannot be read so."""
    try:
        import python_calamine  # at need: most runs never look for an identity

        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(IDENTITY_SHEET)
        rows = sheet.to_python(nrows=16)
    except Exception:  # noqa: BLE001 — a workbook calamine cannot open has no identity to read
        return {}
    facts = {str(r[0]): str(r[1]) for r in rows if len(r) >= 2 and r[0] != ""}
    return {name: facts[name] for name in names if name in facts}


def roster_path(spec: str) -> Path:
    """The file of a --roster option's KIND=FILE (rosters.RosterSpec reads and checks the whole)."""
    return Path(str(spec).partition("=")[2].strip())



class Background(threading.Thread):
    """Run fn beside the main thread; result() waits and re-raises its exception. Worth it for work
    done outside the GIL: inflating, hashing, calamine's parse."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self._fn, self._args, self._value, self._error = fn, args, None, None
        # The caller's context (the target words in use): the work is the caller's, done beside it.
        self._context = contextvars.copy_context()
        self.start()

    def run(self) -> None:
        try:
            self._value = self._context.run(self._fn, *self._args)
        except BaseException as exc:  # handed to the caller
            self._error = exc

    def result(self):
        self.join()
        if self._error is not None:
            raise self._error
        return self._value



# ---------------------------------------------------------------------------------------------
# Files


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def guard_zip(path: Path) -> None:
    """Refuse a workbook that would expand past memory before calamine inflates it, one cut short (its
    zip's end record missing: sent again, not saved again), and a Word document named as a workbook
    (said as the .docx it is)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        key = "workbook_cut_short" if _zip_end_missing(path) else "workbook_damaged"
        raise InputError(key, file=path.name) from None
    names = {i.filename for i in infos}
    if "word/document.xml" in names and not any(n.startswith("xl/") for n in names):
        refuse_not_a_table(path, NOT_A_TABLE_SUFFIXES[".docx"])
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNZIPPED_BYTES or (unpacked > 256 * 1024**2 and unpacked / packed > MAX_ZIP_RATIO):
        raise InputError("workbook_too_large", file=path.name, size=f"{unpacked / 1024**3:.1f}")


# A zip ends with its end of central directory record (22 bytes, a comment of up to 64 KB after it).
_ZIP_END = b"PK\x05\x06"
_ZIP_END_REACH = 22 + 0xFFFF


def _zip_end_missing(path: Path) -> bool:
    """Whether a file that begins as a zip has no end record in its last bytes: the first part of a
    workbook whose copy, download or transfer broke off, which no program can open again."""
    try:
        with path.open("rb") as fh:
            if not fh.read(4).startswith(b"PK\x03\x04"):
                return False
            fh.seek(max(0, fh.seek(0, os.SEEK_END) - _ZIP_END_REACH))
            return _ZIP_END not in fh.read()
    except OSError:
        return False


# Files that are no table, by their name and by their first bytes: a scan or photo of a paper form, a
# PDF of a printed one, a Word or WPS 文字 document (an outside try: "不读这种文件" said nothing of what
# to ask for; a .wps was sent to the spreadsheet's "save it as .xlsx").
NOT_A_TABLE_SUFFIXES = {".pdf": "pdf", ".jpg": "photo", ".jpeg": "photo", ".png": "photo", ".gif": "photo",
                        ".bmp": "photo", ".tif": "photo", ".tiff": "photo", ".heic": "photo", ".webp": "photo",
                        ".doc": "word", ".docx": "word", ".wps": "wps_writer", ".wpt": "wps_writer"}
NOT_A_TABLE_MAGIC = ((b"%PDF", "pdf"), (b"\xff\xd8\xff", "photo"), (b"\x89PNG", "photo"), (b"GIF8", "photo"),
                     (b"BM", "photo"), (b"II*\x00", "photo"), (b"MM\x00*", "photo"))


def refuse_not_a_table(path: Path, kind: str) -> None:
    raise InputError("file_not_a_table", file=path.name, kind=_phrase(f"not_a_table_{kind}"))


def refuse_by_content(path: Path, head: bytes | None = None) -> None:
    """A PDF, a picture or a Windows shortcut whatever its name (表.xlsx that is a PDF): said as what it
    is, not read as a text table without a household header. `head`: its first bytes, read when not given."""
    if head is None:
        try:
            with path.open("rb") as fh:
                head = fh.read(512)
        except OSError:  # said by the reader
            return
    if head.startswith(SHORTCUT_MAGIC):  # 华家镇.xlsx that is a shortcut to it
        refuse_shortcut(path)
    kind = next((kind for magic, kind in NOT_A_TABLE_MAGIC if head.startswith(magic)), None)
    if kind is not None and not (head.startswith(b"BM") and _looks_like_text(head)):  # "BM" begins text too
        refuse_not_a_table(path, kind)
    if head.startswith(OLE2) and ole_word_document(path):
        refuse_not_a_table(path, "word_processor")


def ole_word_document(path: Path) -> bool:
    """Whether an OLE2 compound file is a word processor's document: a WordDocument stream at its top
    (a .doc, or WPS 文字's .wps, which keeps Word's format) and no workbook stream (Excel's Workbook,
    Excel 5's Book), so that an .xls holding a Word object, or a damaged one, is read as the .xls it
    is. Only the directory is read (olefile), not the file."""
    import olefile  # only for OLE2 files: a text table's run loads nothing more

    try:
        with olefile.OleFileIO(str(path)) as ole:
            top = {entry[0].lower() for entry in ole.listdir(streams=True, storages=False) if len(entry) == 1}
    except Exception:  # no readable container (damaged, cut short): said by the reader as it is
        return False
    return "worddocument" in top and not top & {"workbook", "book"}


# An .xls's workbook stream opens with its BOF record (BIFF5 and BIFF8 alike): type 0x0809.
_BIFF_BOF = b"\x09\x08"


def biff_workbook(path: Path) -> bool:
    """Whether a file is an Excel workbook of the .xls kind whatever its name (an .xls saved as, or
    renamed, .et): an OLE2 compound file whose Workbook (or Excel 5's Book) stream opens with a BOF
    record. WPS's own .et holds no such stream, and stays refused. Only the directory and the stream's
    first bytes are read (olefile)."""
    try:
        with path.open("rb") as fh:
            if not fh.read(len(OLE2)).startswith(OLE2):
                return False
        import olefile  # only for OLE2 files

        with olefile.OleFileIO(str(path)) as ole:
            stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
            return stream is not None and ole.openstream(stream).read(2) == _BIFF_BOF
    except Exception:  # noqa: BLE001 — no readable container (damaged, cut short): no workbook to read
        return False


def check_suffix(path: Path) -> None:
    """A file type edgescreen reads, or a message saying what to do with it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES and is_shortcut(path):  # named .lnk, or beginning as one
        refuse_shortcut(path)
    if suffix in WPS_SUFFIXES:
        if biff_workbook(path):  # an .xls saved or renamed .et (an outside try): read as the .xls it is
            return
        raise InputError("wps_native", file=str(path))
    if suffix in NOT_A_TABLE_SUFFIXES:
        refuse_not_a_table(path, NOT_A_TABLE_SUFFIXES[suffix])
    if suffix not in SUPPORTED_SUFFIXES:
        if suffix == ".xml" and _xml_spreadsheet_file(path):  # a system's export: saved as .xlsx, it reads
            raise InputError("xml_spreadsheet", file=path.name)
        raise InputError("file_type_unsupported", file=path.name, types=" ".join(sorted(SUPPORTED_SUFFIXES)))


def _xml_spreadsheet_file(path: Path) -> bool:
    """Whether the file at `path` begins as Excel 2003's XML spreadsheet (is_xml_spreadsheet)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return is_xml_spreadsheet(head.lstrip(b"\xef\xbb\xbf \t\r\n").lower())


# An OLE2 compound file: a legacy .xls, or an encrypted .xlsx (its package inside, beside a stream
# named EncryptionInfo, the names written in UTF-16).
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
# An .ods's first member, stored as it is: "mimetype", holding the OpenDocument spreadsheet's type.
_ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
# An .xlsx's usual first member.
_OOXML_FIRST = b"[Content_Types].xml"
# What a text table is taken as, whatever its name says.
TEXT_TABLE = ".csv"
# What a web page named .xls is taken as (an old web system's "Excel" export): read as its table
# (html_table.py), never saved as .xlsx, which turns its 18-digit IDs into numbers.
HTML_TABLE = ".html"
_HTML_MARKS = (b"<html", b"<table", b"<!doctype html", b"<head", b"<body", b"<meta", b"<tr", b"<style")


def is_xml_spreadsheet(stripped: bytes) -> bool:
    """Whether a file's first bytes (lower case, leading space and BOM taken off) are Excel 2003's XML
    spreadsheet (<?xml … <?mso-application progid="Excel.Sheet"?>, <Workbook>)."""
    return stripped.startswith(b"<?xml") and (b"excel.sheet" in stripped or b"<workbook" in stripped
                                              or b"urn:schemas-microsoft-com:office:spreadsheet" in stripped)


def is_web_page(head: bytes) -> bool:
    """Whether a file's first bytes are a web page's (HTML), not Excel's XML spreadsheet."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not stripped.startswith(b"<") or is_xml_spreadsheet(stripped):
        return False
    return not stripped.startswith(b"<?xml") or any(mark in stripped for mark in _HTML_MARKS)


# A "单个文件网页" (.mht), as Excel or a browser saves a page: a MIME message, its first lines mail headers
# (MIME-Version: 1.0, From: <Saved by …>), one of them naming its multipart content.
_MAIL_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:")
_MIME_MARKS = (b"mime-version:", b"multipart/")


def is_mime_page(head: bytes) -> bool:
    """Whether a file's first bytes are an .mht's (a web page saved as one MIME file): read as the page
    it holds (html_table.py)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return _MAIL_HEADER.match(stripped) is not None and all(mark in stripped.lower() for mark in _MIME_MARKS)


def _is_web_table(head: bytes) -> bool:
    """Whether the first bytes of a file named as a text table (.csv, .txt) are a web page's (a system's
    export that is HTML, or an .mht): it opens with a tag and names one of HTML's, not a text table
    whose first cell begins with "<"."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return is_mime_page(head) or (stripped.startswith(b"<") and is_web_page(head)
                                  and any(stripped.startswith(mark) for mark in _HTML_MARKS + (b"<!--",)))


def ole_encrypted(path: Path) -> bool:
    """Whether an OLE2 compound file holds an encrypted OOXML package (a password-protected .xlsx):
    its directory names the EncryptionInfo stream. Read in chunks, overlapping by a name's length."""
    longest = max(map(len, _ENCRYPTION_STREAMS))
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            block = tail + chunk
            if any(name in block for name in _ENCRYPTION_STREAMS):
                return True
            tail = block[-longest:]
    return False


def unmarked_utf16(head: bytes) -> str | None:
    """The byte order of tab-separated UTF-16 text written without its byte-order mark (a system's
    "Unicode" export: an outside try named it .xls), told from its first kilobyte: "utf-16-le" or
    "utf-16-be", else None. Safe because all of it must hold: NUL bytes in it (UTF-8 and GBK text have
    none), decoding whole in that order, tabs among its characters (a 0 byte beside each 0x09 in the
    order's place), and no other control character than tab and line break (what binary bytes, or
    the other order, decode to). A line break is not asked for: a wide header fills the first KB."""
    sample = head[:1024]
    if b"\x00" not in sample or head.startswith(UTF16_BOMS):
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if text.count("\t") >= 2 and not _CONTROL.search(text):
            return encoding
    return None


# Characters no table's text holds: C0 controls but tab, line feed and carriage return, and UTF-16's
# non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _looks_like_text(head: bytes) -> bool:
    """Whether the first bytes are text a table is written in: UTF-16 with its mark (or without it,
    unmarked_utf16), or UTF-8 or GB18030 without a NUL byte, holding a line break, a tab or a comma."""
    if head.startswith(UTF16_BOMS) or unmarked_utf16(head):
        return True
    if b"\x00" in head or not any(c in head for c in (b"\n", b"\t", b",")):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def content_suffix(path: Path, head: bytes | None = None) -> str:
    """The suffix of what a workbook's file holds, told by its first bytes (`head`, read when not
    given), where the name says otherwise: an .xls renamed .xlsx is '.xls', an .xlsx renamed .xls
    '.xlsx', an .ods renamed .xlsx '.ods', a text table saved as .xls (a web system's 导出Excel:
    tab- or comma-separated text) TEXT_TABLE, and a workbook named .csv (a system's "CSV" export that
    is an .xlsx) the workbook it is, a web page named .xls (or .xlsx, .ods) HTML_TABLE, an .xls named
    .et '.xls'. An encrypted .xlsx, Excel's XML spreadsheet or anything unknown keeps its own suffix
    (sniff says what it is). Other files: their suffix."""
    suffix = path.suffix.lower()
    if suffix in WPS_SUFFIXES:  # an .xls saved as .et reads; WPS's own format does not
        return ".xls" if biff_workbook(path) else suffix
    if suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
        return suffix
    if head is None:
        with path.open("rb") as fh:
            head = fh.read(512)
    if suffix in CSV_SUFFIXES:  # a workbook a system exported as "CSV" (or renamed so): read as what it is
        if _is_web_table(head):  # a web page: read as its tables, as Excel opens it
            return HTML_TABLE
        if head.startswith(b"PK"):
            return ".ods" if _ODS_MIMETYPE in head[:128] else ".xlsx"
        return ".xls" if head.startswith(OLE2) and not ole_encrypted(path) else suffix
    if head.startswith(b"PK"):
        if _ODS_MIMETYPE in head[:128]:
            return ".ods"
        if suffix == ".ods":
            return ".xlsx" if _OOXML_FIRST in head[:128] else suffix
        return suffix if suffix in {".xlsx", ".xlsm"} else ".xlsx"
    if head.startswith(OLE2):
        return ".xls" if suffix == ".xls" or not ole_encrypted(path) else suffix
    # A web page named .xls, .xlsx (an outside try: 网页另存.xlsx) or .ods: its table, as for an .xls.
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return HTML_TABLE if is_web_page(head) else suffix
    if is_mime_page(head):  # Excel's "单个文件网页" named as a workbook: the page it holds
        return HTML_TABLE
    return TEXT_TABLE if _looks_like_text(head) else suffix


def sniff(path: Path, head: bytes) -> None:
    """Clear messages for files that are not what their name says, and cannot be read as what they
    are (content_suffix: those that can are read so)."""
    suffix = path.suffix.lower()
    if not head:
        raise InputError("file_empty", file=path.name)
    refuse_by_content(path, head)
    if suffix in WORKBOOK_SUFFIXES | CSV_SUFFIXES and content_suffix(path, head) != suffix:
        return
    if suffix in {".xlsx", ".xlsm"} and head.startswith(OLE2):
        raise InputError("workbook_encrypted", file=path.name)
    if suffix in {".xlsx", ".xlsm", ".ods"} and not head.startswith(b"PK"):
        raise InputError("workbook_not_excel", file=path.name)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix == ".xls" and stripped.startswith(b"<"):
        # Excel 2003's XML spreadsheet (<?xml … <?mso-application progid="Excel.Sheet"?>, <Workbook>)
        # or a web page (<html>, <table>): neither is a workbook calamine reads.
        raise InputError("xls_is_xml" if is_xml_spreadsheet(stripped) else "xls_is_html", file=path.name)



def sniff_file(path: Path) -> None:
    """Open the file and look at its first bytes (see sniff)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise InputError("file_cannot_open", file=path.name, reason=os_reason(exc)) from None
    sniff(path, head)


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def text_encoding(path: Path, *, refuse_nul: bool = False) -> str:
    """The file's encoding, checked over the whole file in chunks (no copy of its text is kept):
    UTF-16 when it starts with a byte-order mark (Excel's "Unicode 文本"), else strict UTF-8 first:
    GB18030 decodes most UTF-8 bytes without error, into mojibake. With `refuse_nul`, a NUL character
    anywhere (a damaged copy, a fixed-width export) is refused with its line: no survey holds one, and
    the C parser would cut the cell there.

    A file no candidate reads whole is refused at the line where the one that read furthest broke
    off: a GBK file's stray bytes on line 15 are named there, not at the header's first Chinese
    character where UTF-8 broke; a UTF-8 file with GBK rows appended, where UTF-8 broke. A file that
    ends inside a character (a copy or download cut off) is said to be incomplete."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.startswith(UTF16_BOMS):
        candidates = ["utf-16"]
    elif unmarked := unmarked_utf16(head):  # read as the text with the mark is, in the order its bytes say
        candidates = [unmarked]
    else:
        candidates = (["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else []) + ["utf-8", "gb18030"]
    broke: list[tuple[int, str, bool]] = []  # (byte offset, encoding, whether the file ends there)
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0  # bytes given to the decoder so far
        ending = False
        lines = 0  # line breaks before this chunk, counted as we go for UTF-16 only (its files are small)
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 24):
                    offset += len(chunk)
                    text = decoder.decode(chunk)
                    if refuse_nul and encoding.startswith("utf-16"):
                        if "\x00" in text:
                            at = lines + text[: text.index("\x00")].count("\n") + 1
                            raise InputError("csv_nul", file=path.name, line=at)
                        lines += text.count("\n")
                    elif refuse_nul and b"\x00" in chunk:
                        _refuse_nul(path, offset - len(chunk) + chunk.index(b"\x00"))
                ending = True
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            # exc.object holds the bytes the decoder was given last, with those it kept back from the
            # chunk before (a character split between chunks): it ends at `offset`.
            broke.append((offset - len(exc.object) + exc.start, encoding, ending))
    at, encoding, ending = max(broke, key=lambda b: b[0])  # the first of equals: UTF-8 before GB18030
    line = _line_at(path, at, encoding)
    if ending:  # bytes of a character begun and never finished: the file stops short
        raise InputError("text_incomplete", file=path.name, line=line)
    if encoding == "gb18030":  # read as GB18030/GBK up to here: bytes of no encoding on this line
        raise InputError("text_encoding_bytes", file=path.name, line=line)
    # Where UTF-8 (or UTF-16) breaks: where bytes of another encoding begin.
    raise InputError("text_encoding_line", file=path.name, line=line)


def _line_at(path: Path, at: int, encoding: str = "utf-8") -> int:
    """The line (counted from 1) of the byte at offset `at`; counted only on an error path. In a
    byte-wise encoding (UTF-8, GB18030) a 0x0A byte is a line break in either; UTF-16's text before
    it is decoded (its files are small), as a 0x0A byte there may be half of any character (上)."""
    if encoding.startswith("utf-16"):
        with path.open("rb") as fh:
            return fh.read(at).decode(encoding, errors="replace").count("\n") + 1
    lines = 0
    with path.open("rb") as fh:
        while at > 0 and (block := fh.read(min(at, 1 << 24))):
            lines += block.count(b"\n")
            at -= len(block)
    return lines + 1


def _refuse_nul(path: Path, at: int) -> None:
    """Raise csv_nul naming the line of the NUL byte at offset `at`."""
    raise InputError("csv_nul", file=path.name, line=_line_at(path, at))
