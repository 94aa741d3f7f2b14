"""The publicity notice (公示) per village, for the 7-day postings of the plan's 两公示一公告.

One A4 portrait workbook per village, ready to print and post: the title, what is posted and on what
grounds, the period with its computed start and end dates, where and how to object, the list, and
the villagers' committee's seal line with the date. The list is always masked, whatever --no-mask says, and shows only
the category of the main difficulty (因病, 因残 …), never the details as typed (a diagnosis).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..catalogue import Lang, label, messages
from ..runtime import Task, WriterHelper, run_tasks
from .places import issuer_places, run_villages, village_keys, village_paths, villages
from .privacy import mask_id_shown, mask_in_text
from .xlsx import (
    cell_formats,
    new_workbook,
    print_signed,
    setup_print,
    text_height,
    write_block,
    write_table,
    write_title,
    wrapped_heights,
)

if TYPE_CHECKING:
    from ..result import Result

PUBLICITY_DAYS = 7  # the plan: each publicity lasts 7 days
NOTICE_TITLE_SIZE = 18  # points: a posted notice's title is read from a step away

_DETAIL = r"[((][^()()]*[))]"  # 因病(尿毒症): a bracketed detail
_LIST_SEPARATORS = r"[、,,;;/\s]+"  # 因学、因病
# Difficulties run together with no separator (因病因学, 缺劳力缺技术): each 因/缺 after another word starts
# the next one, unless it follows a denial (不因病 stays whole so that it is dropped as a denial).
_RUN_ON = r"(?<=[^、,,;;/\s不非是未没无])(?=[因缺])"

# Difficulty categories, first match wins for one difficulty; the words are how clerks write them (致贫/返贫风险 types).
RISK_CATEGORIES = [
    ("risk_disability", r"残"),
    ("risk_illness", r"病|症|患|医|药|癌|瘤|透析|住院|手术|慢性|疾"),
    ("risk_education", r"学|教育"),
    ("risk_disaster", r"灾|洪|旱|涝|雹|地震"),
    ("risk_accident", r"意外|事故|车祸|受伤"),
    ("risk_labour", r"劳力|劳动力"),
    ("risk_skills", r"技术|技能"),
    ("risk_capital", r"资金"),
    ("risk_land", r"土地|耕地"),
    ("risk_water", r"缺水|饮水|水源"),
    ("risk_transport", r"交通"),
    ("risk_motivation", r"动力|内生"),
]

# A difficulty written as a cause denied (不因病, 非因灾, 不是因残): says nothing of the household's.
_NOT_BECAUSE = re.compile(r"\s*(?:不是|并非|不|非|未)因")

# The categories as a clerk chooses among them (the blank form's dropdown): RISK_CATEGORIES' keys in
# the order of the poor-household files' 致贫原因, illness first, and 其他 last.
DIFFICULTY_ORDER = ["risk_illness", "risk_disability", "risk_education", "risk_disaster", "risk_accident",
                    "risk_labour", "risk_skills", "risk_capital", "risk_land", "risk_water", "risk_transport",
                    "risk_motivation", "risk_other"]

COLUMNS = [("seq", 6, "center"), ("group", 12, "cell"), ("head_name", 14, "cell"),
           ("masked_id", 24, "center"), ("members", 10, "int"), ("pub_difficulty", 18, "center_wrap")]


def posted_members(households: pd.DataFrame) -> pd.Series:
    """The household size a posting lists: its 家庭人口数, as after-screening §3 has the postings list it,
    a blank one its 常住人口数, as the 公告's 「N 户(M 人)」 counts it (the same on every posting of a wall)."""
    members = pd.to_numeric(households["members"], errors="coerce").astype("Float64")
    return members.fillna(pd.to_numeric(households["residents"], errors="coerce").astype("Float64"))


def period(start: dt.date, days: int = PUBLICITY_DAYS) -> tuple[dt.date, dt.date]:
    """First and last day of a posting of `days` calendar days that begins on `start` (both included)."""
    return start, start + dt.timedelta(days=days - 1)


def format_date(day: dt.date, lang: Lang) -> str:
    return messages().labels["date_format"](lang).format(y=day.year, m=day.month, d=day.day)


def difficulty_choices(lang: Lang) -> list[str]:
    """The difficulty categories' words in `lang`, in DIFFICULTY_ORDER."""
    labels = messages().labels
    return [labels[key](lang) for key in DIFFICULTY_ORDER]


def difficulty_category(risk: pd.Series, lang: Lang) -> pd.Series:
    """The categories of each main difficulty, in `lang`: blank stays blank, unrecognised text is 其他.
    Difficulties written as a list (因学、因病) keep each its category, in the order written; a
    bracketed detail (因残(无法从事重体力劳动)) says nothing of the category where the words
    outside it do."""
    text = risk.astype("string").fillna("").str.strip()
    outside = text.str.replace(_DETAIL, "", regex=True).str.strip()
    outside = outside.where(outside != "", text)
    parts = outside.str.split(f"{_LIST_SEPARATORS}|{_RUN_ON}", regex=True).explode()
    parts = parts[parts.fillna("") != ""]
    # 不因病 says the household is not ill: no category. (无劳动力, 没有技术 are the difficulty itself.)
    parts = parts[~parts.str.match(_NOT_BECAUSE).fillna(False).to_numpy(dtype=bool)]
    found = pd.Series(_category_of(parts, lang), index=parts.index, dtype=object)
    found = found[found != ""]
    joined = (found[~pd.Index(list(zip(found.index, found.to_numpy()))).duplicated()]
              .groupby(level=0, sort=False).agg(label("list_sep", lang).join))
    other = np.where(text.to_numpy(dtype=object) == "", "", label("risk_other", lang))
    return pd.Series(other, index=risk.index, dtype=object).where(~risk.index.isin(joined.index),
                                                                  joined.reindex(risk.index))


def _category_of(text: pd.Series, lang: Lang) -> np.ndarray:
    """The category of each difficulty written alone, the first of RISK_CATEGORIES that matches
    (因病致残 is 因残); '' for none."""
    labels = messages().labels
    conditions = [text.str.contains(pattern, regex=True).to_numpy(dtype=bool) for _, pattern in RISK_CATEGORIES]
    return np.select(conditions, [labels[key](lang) for key, _ in RISK_CATEGORIES], "")


def notice_rows(households: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The posted list of the whole run: candidates in survey order, always masked, the difficulty as
    a category (numbered per village when written)."""
    listed = households[households["status"] == "candidate"]
    return pd.DataFrame({
        "township": listed["township"].to_numpy(),
        "village": listed["village"].to_numpy(),
        "group": mask_in_text(listed["group"]).to_numpy(),
        "head_name": mask_in_text(listed["head_name"]).to_numpy(),
        "masked_id": mask_id_shown(listed["head_id"]).to_numpy(),
        "members": posted_members(listed).to_numpy(),
        "pub_difficulty": difficulty_category(listed["risk"], lang).to_numpy(),
    }, index=listed.index)


def write_notice(basis: str, path: Path, township: str, village: str, part: pd.DataFrame,
                 start: dt.date, lang: Lang, pending: int = 0) -> None:
    """One village's notice, citing `basis` (the rule set's document; none where it is blank); plain
    arguments, so that the task can go to the helper process. `pending`: the village's households
    whose data are wrong (数据有误,待核实), said on the notice: the list is not final while they are."""
    labels = messages().labels
    township = township or labels["unknown_township"](lang)
    village = village or labels["unknown_village"](lang)
    rows = part.assign(seq=np.arange(1, len(part) + 1))
    first, last = period(start)
    width = sum(w for _, w, _ in COLUMNS)
    end_col = len(COLUMNS) - 1

    # Printed at the scale its columns fit (print_signed), in the font whose widths that scale assumes.
    book = new_workbook(path, fixed_scale=True)
    formats = cell_formats(book, lang)
    title = book.add_format({"font_name": labels["font_name"](lang), "bold": True, "font_size": NOTICE_TITLE_SIZE,
                             "align": "center", "valign": "vcenter", "text_wrap": True})
    right = book.add_format({"font_name": labels["font_name"](lang), "font_size": 12, "align": "right",
                             "valign": "vcenter"})
    para = book.add_format({"font_name": labels["font_name"](lang), "font_size": 12, "valign": "top",
                            "text_wrap": True})
    ws = book.add_worksheet(labels["sheet_publicity"](lang))

    heading = labels["pub_title"](lang).format(township=township, village=village)
    write_title(ws, 0, 0, end_col, heading, title, width=width, font_size=NOTICE_TITLE_SIZE, least=40,
                place=township + village)
    # The committee of 新兴村 and the government of 靠山乡, their names given whole by some surveys
    # (新兴村村民委员会, 靠山乡人民政府): each body named once; a 社区's sentences say 本社区, 居委会.
    issuers = issuer_places(township, village, lang)
    intro_key = "pub_intro" if len(rows) else "pub_intro_none"
    intro = (labels[intro_key](lang).format(basis=basis, count=len(rows), **issuers) if basis
             else labels[f"{intro_key}_no_basis"](lang).format(count=len(rows), **issuers))
    write_block(ws, 1, 0, end_col, intro, para, text_height(intro, width, 12))
    row = 2
    if pending:  # households still being verified may yet join the list: a list posted as final would not say so
        text = labels["pub_pending"](lang).format(count=pending, **issuers)
        write_block(ws, row, 0, end_col, text, para, text_height(text, width, 12))
        row += 1
    when = labels["pub_period"](lang).format(start=format_date(first, lang), end=format_date(last, lang),
                                             days=PUBLICITY_DAYS)
    write_block(ws, row, 0, end_col, when, para, text_height(when, width, 12))
    row += 1
    # How to object comes before the list, so that what follows the list is only the committee's seal line.
    # The note on what the list hides is for a list with households on it.
    for key in ("pub_objection", "pub_contact", "pub_privacy") if len(rows) else ("pub_objection", "pub_contact"):
        text = labels[key](lang).format(**issuers)
        write_block(ws, row, 0, end_col, text, para, text_height(text, width, 12))
        row += 1
    header_row = row
    # A long name wraps and its row grows with it (a fixed height printed it clipped).
    heights = wrapped_heights(rows, COLUMNS, 22)
    end = write_table(ws, header_row, COLUMNS, rows, formats, lang, heights=heights)
    write_block(ws, end + 1, 0, end_col, labels["pub_issuer"](lang).format(**issuers), right, 24)
    write_block(ws, end + 2, 0, end_col, format_date(first, lang), right, 24)
    # A long list's later pages say whose they are: a page posted or found alone names its village.
    setup_print(ws, lang, header_row=header_row, landscape=False, running_title=heading)
    # The seal line and the date on the page of the last rows, never on a page of their own.
    print_signed(ws, [w for _, w, _ in COLUMNS], header_row, end, end + 3, heights, row=22, landscape=False)
    book.close()


def publicity_tasks(result: Result, folder: Path, *, start: dt.date, lang: Lang = "zh") -> list[Task]:
    """One task per village writing its notice into `folder`, the posting starting on `start`. The
    villages are the village lists': a household 数据有误,待核实 is counted on the notice of the
    village whose list it is on (a 行政村 left blank, 新立 for 新立村: likely_villages), so that a
    notice and its village's list say the same; one that nothing places stays on its township's
    (行政村未填) notice, as before, and a place left with no household has no notice."""
    from .villages import placed_households

    folder.mkdir(parents=True, exist_ok=True)
    hh = result.households
    placed = placed_households(hh, run_villages(result))
    listed = notice_rows(hh, lang)
    # Every village gets its notice, one without candidates too (it says 0 households).
    parts = dict(((t, v), p) for t, v, p in villages(listed))
    keys = village_keys(placed)
    # Named over the villages as typed first, as the village lists name theirs: no name changes.
    named = pd.concat([hh[["township", "village"]].fillna("").astype(str), placed], ignore_index=True)
    paths = village_paths(folder, keys, named, lang, label("file_kind_publicity", lang))
    basis = result.rule_set.basis
    # Per village, the households 数据有误,待核实: once verified, some may belong on the list.
    pending = placed[(hh["status"] == "invalid").to_numpy()].groupby(["township", "village"], sort=False).size()
    return [("write_publicity", write_notice,
             (basis, path, township, village, parts.get((township, village), listed.iloc[:0]), start, lang,
              int(pending.get((township, village), 0))))
            for path, (township, village) in zip(paths, keys)]


def write_publicity(result: Result, folder: Path, *, start: dt.date, lang: Lang = "zh",
                    helper: WriterHelper | None = None) -> list[Path]:
    """One notice per village into `folder`; returns the paths."""
    tasks = publicity_tasks(result, folder, start=start, lang=lang)
    run_tasks(tasks, helper)
    return [args[1] for _, _, args in tasks]
