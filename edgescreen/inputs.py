"""Survey files before anything reads their cells: finding them, telling what they are, guarding
against files that would blow up the reader, hashing them, and settling a text file's encoding.

Nothing here imports pandas, so the command line can start on the files while the rest loads."""

from __future__ import annotations

import codecs
import hashlib
import threading
import zipfile
from pathlib import Path

from .errors import InputError

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES | CSV_SUFFIXES
# A workbook whose parts expand to more than this is refused before it is read.
MAX_UNZIPPED_BYTES = 4 * 1024**3
MAX_ZIP_RATIO = 200

# ---------------------------------------------------------------------------------------------
# Finding inputs


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given, folders expanded to the survey files directly inside them (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(("~$", "."))
            )
            if not inside:
                raise InputError(f"{path}: the folder holds no survey files (.xlsx .xls .xlsm .ods .csv).")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder.")
    seen: dict[Path, Path] = {}
    for path in found:
        key = path.resolve()
        if key in seen:
            raise InputError(f"{path}: the same file is given twice.")
        seen[key] = path
    return found



class Background(threading.Thread):
    """Run fn beside the main thread; result() waits and re-raises its exception. Worth it for work
    done outside the GIL: inflating, hashing, calamine's parse."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self._fn, self._args, self._value, self._error = fn, args, None, None
        self.start()

    def run(self) -> None:
        try:
            self._value = self._fn(*self._args)
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
    """Refuse a workbook that would expand past memory before calamine inflates it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{path.name}: not a workbook (the file is damaged or is not an Excel file).") from None
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNZIPPED_BYTES or (unpacked > 256 * 1024**2 and unpacked / packed > MAX_ZIP_RATIO):
        raise InputError(
            f"{path.name}: the workbook expands to {unpacked / 1024**3:.1f} GB, far more than its data "
            "can need; refused before reading. Save the sheets as a new workbook and try again."
        )


def sniff(path: Path, head: bytes) -> None:
    """Clear messages for files that are not what their name says."""
    suffix = path.suffix.lower()
    if not head:
        raise InputError(f"{path.name}: the file is empty (0 bytes).")
    if suffix in {".xlsx", ".xlsm"} and head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{path.name}: the workbook is encrypted or password-protected. "
            "Open it in Excel or WPS, remove the password (文件→信息→保护工作簿), save, and try again."
        )
    if suffix in {".xlsx", ".xlsm", ".ods"} and not head.startswith(b"PK"):
        raise InputError(f"{path.name}: not a workbook: the file's contents are not an Excel file.")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix == ".xls" and stripped.startswith((b"<", b"<!doctype", b"<html", b"<table")):
        raise InputError(
            f"{path.name}: this .xls is a web page (HTML) saved with an Excel name, as some web systems "
            "export. Open it in Excel or WPS and save it as .xlsx (另存为 Excel 工作簿), then try again."
        )



def sniff_file(path: Path) -> None:
    """Open the file and look at its first bytes (see sniff)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be opened ({exc.strerror}).") from None
    sniff(path, head)


def text_encoding(path: Path) -> str:
    """The file's encoding, checked over the whole file in chunks (no copy of its text is kept).
    Strict UTF-8 first: GB18030 decodes most UTF-8 bytes without error, into mojibake."""
    with path.open("rb") as fh:
        bom = fh.read(3) == b"\xef\xbb\xbf"
    candidates = (["utf-8-sig"] if bom else []) + ["utf-8", "gb18030"]
    error = None
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 24):
                    decoder.decode(chunk)
                    offset += len(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            error = offset + exc.start
    raise InputError(
        f"{path.name}: the text is neither UTF-8 nor GB18030/GBK (undecodable byte at offset "
        f"{error}). Save it from Excel or WPS as \"CSV UTF-8\" and try again."
    )
