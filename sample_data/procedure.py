"""The sample county taken the whole way after the screen, as its clerks would do it.

    python sample_data/procedure.py [-o FOLDER] [--villages N]

It screens changchun-sample.xlsx into FOLDER/筛查/ and records the round in FOLDER/农安县.db, then
for each step runs `edgescreen register next`, fills in every document the way a clerk does (openpyxl
into the same file: 同意/属实/通过 typed in, dates in mixed spellings, a few 不同意 with their
reasons, one 不属实, an objection upheld and one dismissed, one 不通过 at a township) and runs
`edgescreen register record`. It ends with the 花名册 (FOLDER/花名册.xlsx) and the progress
(FOLDER/进度.xlsx). Everything is deterministic: the same choices and dates on every run.

With --villages N only the first N villages' documents are filled in and recorded (the others wait
at their first step): the test of this script runs it that way, to be quick.

With --year-two it goes on into the next year (issue 16), with the commands of the README's "Year
two": the 帮扶措施 form of every village filled (a measure fitting each household's difficulty, a few
households left without one, one measure that does not fit) and recorded; the progress with its
support gaps; the 2020 survey (changchun-sample-2020.xlsx, drawn from the first by generate.py)
screened against the register; the exit procedure for those proposed to leave (one kept by the
meeting); the income over time (FOLDER/收入变化.xlsx) and the 花名册 of the end of 2020.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell

from edgescreen.cli import app

HERE = Path(__file__).resolve().parent
SURVEY = HERE / "changchun-sample.xlsx"
SURVEY_2020 = HERE / "changchun-sample-2020.xlsx"

# The day each step's documents are issued (register next --date) and the days the clerks write.
ROUND = "2019-12-02"
ISSUED = {"review": "2019-12-03", "verify": "2019-12-09", "publicity1": "2019-12-12", "township_review": "2019-12-19",
          "publicity2": "2019-12-21", "county_review": "2019-12-30", "announcement": "2020-01-02"}
FOLDERS = {"review": "1-民主评议", "verify": "2-入户核实", "publicity1": "3-第一次公示", "township_review": "4-乡镇审核",
           "publicity2": "5-第二次公示", "county_review": "6-县级复审", "announcement": "7-公告"}
# Dates as clerks type them: ISO, Chinese, and a real Excel date.
MEETING_DAYS = ["2019年12月6日", "2019-12-06", dt.datetime(2019, 12, 7), "2019.12.7"]
VISIT_DAYS = [dt.datetime(2019, 12, 10), "2019年12月10日", "2019-12-11", "2019/12/11"]
NOT_AGREED = ["家中有小轿车,生活条件较好", "子女在城里有稳定工作,可赡养", "经营大棚,实际收入高于申报",
              "常年不在本村居住"]


def edgescreen(*args) -> None:
    """Run one edgescreen command in this process, as a clerk types it; stop on a refusal."""
    print("$ edgescreen " + " ".join(str(a) for a in args))
    code = app([str(a) for a in args], prog_name="edgescreen", standalone_mode=False)
    if code:
        raise SystemExit(code)


class Clerk:
    """Opens a document, finds its table by the header naming 户主姓名, and types into it."""

    def __init__(self, path: Path):
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.sheet = self.book.worksheets[0]
        for row in self.sheet.iter_rows():
            texts = ["" if c.value is None else str(c.value) for c in row]
            if "户主姓名" in texts:
                self.header = row[0].row
                self.columns = {t.split("\n")[0]: c.column for t, c in zip(texts, row) if t}
                break
        self.rows = {}
        for r in range(self.header + 1, self.sheet.max_row + 1):
            seq = self.sheet.cell(r, self.columns["序号"]).value
            if isinstance(seq, (int, float)):
                self.rows[int(seq)] = r

    def name(self, seq: int) -> str:
        return self.sheet.cell(self.rows[seq], self.columns["户主姓名"]).value

    def write(self, seq: int, header: str, value) -> None:
        self.sheet.cell(self.rows[seq], self.columns[header]).value = value

    def next_to(self, label: str, value, sheet: str | None = None) -> None:
        """The value into the cell to the right of the cell reading `label` (past the label's own merged
        cells, where it spans several columns)."""
        ws = self.book[sheet] if sheet else self.sheet
        for row in ws.iter_rows():
            for c in row:
                if c.value == label:
                    col = c.column + 1
                    while isinstance(ws.cell(c.row, col), MergedCell):
                        col += 1
                    ws.cell(c.row, col).value = value
                    return
        raise LookupError(label)

    def objection(self, name: str, content: str, outcome: str, when) -> None:
        ws = self.book["异议处理"]
        header = next(r for r in ws.iter_rows() if any(c.value == "户主姓名" for c in r))
        cols = {str(c.value).split("\n")[0]: c.column for c in header if c.value}
        r = header[0].row + 1
        while ws.cell(r, cols["户主姓名"]).value:
            r += 1
        for key, value in (("户主姓名", name), ("异议内容", content), ("处理结果", outcome), ("处理日期", when)):
            ws.cell(r, cols[key]).value = value

    def save(self) -> None:
        self.book.save(self.path)


def documents(folder: Path, step: str) -> list[Path]:
    return sorted((folder / FOLDERS[step]).glob("*.xlsx"))


def issue(out: Path, db: Path, step: str) -> list[Path]:
    folder = out / f"文书-{ISSUED[step]}"
    edgescreen("register", "next", db, "--date", ISSUED[step], "-o", folder)
    return documents(folder, step)


def run(out: Path, villages: int | None = None) -> dict[str, tuple[str, str]]:
    """Take the sample county through every step into `out`; returns what the clerks decided against
    a household: {head's name and ID: (step, reason)}."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    db = out / "农安县.db"
    edgescreen("screen", SURVEY, "-o", out / "筛查", "--register", db, "--date", ROUND)
    left: dict[str, tuple[str, str]] = {}
    chosen: list[str] = []  # the villages whose documents are filled in (their places, 合隆镇-前岗村)

    def place(path: Path) -> str:  # 合隆镇-前岗村-民主评议.xlsx: each step's file names its step after the place
        return path.stem.rsplit("-", 1)[0]

    def mine(paths: list[Path]) -> list[Path]:
        return [p for p in paths if place(p) in chosen] if villages is not None else paths

    def head(clerk: Clerk, seq: int) -> str:
        masked = clerk.sheet.cell(clerk.rows[seq], clerk.columns["身份证号"]).value
        return f"{clerk.name(seq)} {masked}"

    # 1. 民主评议: every third village disagrees on one household, with the reason.
    docs = issue(out, db, "review")
    chosen = [place(p) for p in docs[:villages]] if villages is not None else [place(p) for p in docs]
    for i, path in enumerate(mine(docs)):
        clerk = Clerk(path)
        for seq in clerk.rows:
            clerk.write(seq, "评议结果", "同意")
        if i % 3 == 0 and len(clerk.rows) > 2:
            seq = len(clerk.rows) // 2 + 1
            reason = NOT_AGREED[i // 3 % len(NOT_AGREED)]
            clerk.write(seq, "评议结果", "不同意")
            clerk.write(seq, "备注", reason)
            left[head(clerk, seq)] = ("民主评议", reason)
        for label, value in (("会议时间", MEETING_DAYS[i % 4]), ("会议地点", "村委会会议室"), ("主持人", "村党支部书记"),
                             ("应到人数", 35 + i % 5), ("实到人数", 31 + i % 4), ("记录人", "村会计"),
                             ("参会人员", "村\"两委\"成员、村民代表、驻村工作队,名单附后"),
                             ("发言记录", "无不同意见"),
                             ("评议过程", "逐户介绍申请和入户调查情况,代表讨论后举手表决。")):
            clerk.next_to(label, value, "会议记录")
        clerk.save()
    edgescreen("register", "record", db, *mine(docs))

    # 2. 入户核实: one household's situation is not as declared.
    docs = issue(out, db, "verify")
    for i, path in enumerate(mine(docs)):
        clerk = Clerk(path)
        for seq in clerk.rows:
            clerk.write(seq, "核实结论", "属实")
            clerk.write(seq, "核实人", ["乡镇干部刘洋", "驻村工作队赵敏"][seq % 2])
            clerk.write(seq, "核实日期", VISIT_DAYS[(i + seq) % 4])
        if i == 1:
            clerk.write(2, "核实结论", "不属实")
            clerk.write(2, "不属实情况说明", "家中有两人在外务工,工资收入未申报")
            left[head(clerk, 2)] = ("入户核实", "家中有两人在外务工,工资收入未申报")
        clerk.save()
    edgescreen("register", "record", db, *mine(docs))

    # 3. 第一次公示: an objection upheld in one village, one dismissed in another.
    docs = issue(out, db, "publicity1")
    for i, path in enumerate(mine(docs)):
        clerk = Clerk(path)
        if i == 0:
            clerk.objection(clerk.name(1), "群众反映该户在县城有商品房一套", "成立", "2019年12月16日")
            left[head(clerk, 1)] = ("第一次公示", "群众反映该户在县城有商品房一套")
        elif i == 2:
            clerk.objection(clerk.name(1), "反映该户有拖拉机", "不成立", dt.datetime(2019, 12, 17))
        clerk.save()
    edgescreen("register", "record", db, *mine(docs))

    # 4. 乡镇审核: one township does not pass one household.
    docs = issue(out, db, "township_review")
    for i, path in enumerate(docs):
        clerk = Clerk(path)
        for seq in clerk.rows:
            clerk.write(seq, "审核意见", "通过")
        if i == 0:
            seq = max(clerk.rows)
            clerk.write(seq, "审核意见", "不通过")
            clerk.write(seq, "理由", "家庭成员中有财政供养人员")
            left[head(clerk, seq)] = ("乡镇审核", "家庭成员中有财政供养人员")
        clerk.next_to("审核日期", "2019年12月20日")
        clerk.next_to("审核人姓名", "乡镇扶贫办王丽")
        clerk.save()
    edgescreen("register", "record", db, *docs)

    # 5. 第二次公示: no objection anywhere.
    docs = issue(out, db, "publicity2")
    edgescreen("register", "record", db, *docs)

    # 6. 县级复审: the county passes everyone still listed.
    docs = issue(out, db, "county_review")
    for path in docs:
        clerk = Clerk(path)
        for seq in clerk.rows:
            clerk.write(seq, "复审意见", "通过")
        clerk.next_to("复审日期", "2019-12-31")
        clerk.next_to("复审人姓名", "县扶贫办李强")
        clerk.save()
    edgescreen("register", "record", db, *docs)

    # 7. 公告: posted on the day it was issued; recorded when its 7 days are over.
    docs = issue(out, db, "announcement")
    for path in docs:
        clerk = Clerk(path)
        for label, value in (("张贴日期", "2020-01-02"), ("张贴地点", "村务公开栏"), ("张贴人", "村会计")):
            clerk.next_to(label, value, "张贴记录")
        clerk.save()
    edgescreen("register", "record", db, *docs)

    edgescreen("register", "export", db, "-o", out / "花名册.xlsx")
    edgescreen("register", "status", db, "-o", out / "进度.xlsx", "--as-of", "2020-01-10")
    return left


# Year two: the measure that fits each main difficulty (the rule set's [measures.fit]), with what it is
# and an amount where there is one; the days the clerks write.
FITTING = {"因病": ("健康", "家庭医生签约服务,慢病用药报销", None), "因残": ("综合保障", "残疾人两项补贴", 1200),
           "缺劳力": ("公益岗位", "村保洁员公益岗位", 6000), "缺技术": ("技术指导", "玉米高产栽培技术培训", None),
           "因学": ("教育", "雨露计划助学补助", 3000), "缺资金": ("小额信贷", "扶贫小额信贷(贴息)", 50000),
           "": ("产业扶持(合作社+贫困边缘户)", "入社养殖肉牛,合作社统一收购", 3000)}
OTHERWISE = ("就业", "县内企业转移就业", None)
CADRES = ["乡镇干部刘洋", "驻村工作队赵敏", "村党支部书记王强"]
MEASURE_STARTS = ["2020-02-10", "2020年2月12日", dt.datetime(2020, 2, 15), "2020/2/20"]
YEAR_TWO = {"measures": "2020-01-10", "gaps": "2020-03-01", "round": "2020-12-01", "exit_review": "2020-12-02",
            "exit_verify": "2020-12-08", "exit_publicity": "2020-12-11", "end": "2020-12-31"}
EXIT_FOLDERS = {"exit_review": "退出1-民主评议", "exit_verify": "退出2-入户核实", "exit_publicity": "退出3-公示"}


def fill_measures(path: Path, k: int) -> None:
    """One village's 帮扶措施 form: a measure fitting each household's difficulty; in the second
    village of every four one household is left without, and in the first one measure does not fit
    (技术指导 for an illness, say) — the gaps `register status` lists."""
    clerk = Clerk(path)
    first = {}  # the household's difficulty is printed on its first row; the measure goes on its last (empty)
    for r in range(clerk.header + 1, clerk.sheet.max_row + 1):
        seq = clerk.sheet.cell(r, clerk.columns["序号"]).value
        if isinstance(seq, (int, float)):
            first.setdefault(int(seq), r)
    unfit: list[int] = []
    for seq in clerk.rows:
        if k % 4 == 1 and seq == 1:
            continue
        difficulty = clerk.sheet.cell(first[seq], clerk.columns["主要困难"]).value or ""
        kind, content, amount = FITTING.get(difficulty, OTHERWISE)
        if k == 0 and difficulty in FITTING and difficulty not in ("", "缺技术") and not unfit:
            kind, content, amount = FITTING["缺技术"]
            unfit.append(seq)
        for header, value in (("帮扶类型", kind), ("帮扶内容", content), ("开始日期", MEASURE_STARTS[(k + seq) % 4]),
                              ("金额(元)", amount), ("帮扶责任人", CADRES[(k + seq) % 3])):
            clerk.write(seq, header, value)
    clerk.save()


def exit_documents(out: Path, db: Path, step: str) -> list[Path]:
    folder = out / f"文书-{YEAR_TWO[step]}"
    edgescreen("register", "next", db, "--date", YEAR_TWO[step], "-o", folder)
    return sorted((folder / EXIT_FOLDERS[step]).glob("*.xlsx"))


def year_two(out: Path) -> dict[str, str]:
    """The second year, after `run` (see the module's docstring); returns {head's name and ID: why
    the meeting kept it} for the households proposed to leave that stay."""
    db = out / "农安县.db"
    forms = out / f"帮扶措施-{YEAR_TWO['measures']}"
    edgescreen("register", "measures", db, "--date", YEAR_TWO["measures"], "-o", forms)
    for k, path in enumerate(sorted(forms.glob("*.xlsx"))):
        fill_measures(path, k)
    edgescreen("register", "record", db, *sorted(forms.glob("*.xlsx")))
    edgescreen("register", "status", db, "--as-of", YEAR_TWO["gaps"], "-o", out / "进度-2020-03.xlsx")

    edgescreen("screen", SURVEY_2020, "--year", "2020", "--register", db, "--date", YEAR_TWO["round"],
               "-o", out / "筛查2020")

    # The exit: the meeting of the first village proposing two or more keeps one household, the rest leave.
    kept: dict[str, str] = {}
    docs = exit_documents(out, db, "exit_review")
    for path in docs:
        clerk = Clerk(path)
        for seq in clerk.rows:
            clerk.write(seq, "评议结果", "同意")
        if not kept and len(clerk.rows) > 1:
            reason = "收入主要来自一次性务工收入,不稳定"
            clerk.write(1, "评议结果", "不同意")
            clerk.write(1, "备注", reason)
            kept[f"{clerk.name(1)} {clerk.sheet.cell(clerk.rows[1], clerk.columns['身份证号']).value}"] = reason
        for label, value in (("会议时间", "2020年12月5日"), ("会议地点", "村委会会议室"), ("主持人", "村党支部书记"),
                             ("应到人数", 35), ("实到人数", 30), ("记录人", "村会计"),
                             ("参会人员", "村\"两委\"成员、村民代表、驻村工作队,名单附后"),
                             ("发言记录", "代表对退出户的收入变化无异议"),
                             ("评议过程", "逐户介绍收入变化和帮扶情况,代表讨论后举手表决。")):
            clerk.next_to(label, value, "会议记录")
        clerk.save()
    edgescreen("register", "record", db, *docs)
    docs = exit_documents(out, db, "exit_verify")
    for path in docs:
        clerk = Clerk(path)
        for seq in clerk.rows:
            clerk.write(seq, "核实结论", "属实")
            clerk.write(seq, "核实人", CADRES[seq % 2])
            clerk.write(seq, "核实日期", "2020-12-09")
        clerk.save()
    edgescreen("register", "record", db, *docs)
    docs = exit_documents(out, db, "exit_publicity")
    edgescreen("register", "record", db, *docs)  # no objection; recorded after its 7 days

    edgescreen("register", "trend", db, "-o", out / "收入变化.xlsx")
    edgescreen("register", "export", db, "-o", out / "花名册-2020.xlsx")
    return kept


def main(argv: list[str] | None = None) -> dict[str, tuple[str, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=Path("sample-procedure"),
                        help="folder for everything (replaced if it exists); default ./sample-procedure")
    parser.add_argument("--villages", type=int, default=None, help="fill in only the first N villages' documents")
    parser.add_argument("--year-two", action="store_true", help="go on into 2020 (measures, the 2020 survey, exits)")
    args = parser.parse_args(argv)
    left = run(args.out, args.villages)
    if args.year_two:
        year_two(args.out)
    return left


if __name__ == "__main__":
    main()
