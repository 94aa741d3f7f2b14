"""The procedure's documents as an outside tester printed a county's and looked at every page (try G,
2026-12-05): the posted 公示 and 公告 listed a village's households lowest per-capita income first, so
that the posted order itself said who is poorest; and a 村民小组 typed as clerks type it, with its
township and village before it (哈拉海镇东风村第十二村民小组), ran to four lines and more in a column ten
wide, the 民主评议 of 140 households printing on 26 pages."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from print_size import printed_pages, printed_points
from register_builders import fill, household_table, table_rows
from survey_builders import make_id
from years_builders import STEPS, fill_step, run, survey
from edgescreen.outputs.xlsx import printed_lines

# One village's households in the survey's order, the groups not in order, the incomes neither:
# (group, head, wage; 3 residents each, every one a candidate), and one of another village.
PEOPLE = [("二组", "王一", 11000), ("一组", "李二", 9800), ("二组", "张三", 10000), ("一组", "赵四", 11500),
          ("三组", "钱五", 9900)]
LOWEST_FIRST = ["李二", "钱五", "张三", "王一", "赵四"]
BY_GROUP = ["李二", "赵四", "王一", "张三", "钱五"]  # 一组 first, by number


def people(group_typed=lambda group: group) -> list[dict]:
    rows = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": group_typed(g), "户主姓名": name,
             "户主身份证号": make_id(serial=300 + i), "工资性收入": wage, "主要困难": "缺技术"}
            for i, (g, name, wage) in enumerate(PEOPLE)]
    rows.insert(2, {"乡(镇)": "合隆镇", "行政村": "青山村", "村民小组": "一组", "户主姓名": "孙六",
                    "户主身份证号": make_id(serial=399), "工资性收入": 10300, "主要困难": "缺技术"})
    return rows


def screened(tmp: Path, rows: list[dict]) -> Path:
    db = tmp / "农安县.db"
    run("screen", survey(tmp / "2019.xlsx", rows), "-o", tmp / "out", "--register", db, "--date", "2019-11-20")
    return db


def step_docs(tmp: Path, db: Path, step: str, *, record: bool = True) -> list[Path]:
    """`register next` for the step (filled with yes and recorded unless `record` is false)."""
    date, folder = STEPS[step]
    out = tmp / f"docs-{step}"
    run("register", "next", db, "--date", date, "-o", out)
    docs = sorted((out / folder).glob("*.xlsx"))
    if record:
        for doc in docs:
            fill_step(step, doc)
        run("register", "record", db, *docs)
    return docs


def village_doc(docs: list[Path], village: str = "前岗村") -> Path:
    return next(p for p in docs if village in p.name)


def heads(path: Path) -> list[str]:
    return [r["户主姓名"] for r in table_rows(path)]


def seqs(path: Path) -> list[int]:
    return [int(r["序号"]) for r in table_rows(path)]


def test_posted_lists_go_by_group_and_the_survey_the_meeting_lowest_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = screened(tmp_path, people())
    review = step_docs(tmp_path, db, "review")
    assert heads(village_doc(review)) == LOWEST_FIRST  # the meeting debates the poorest first
    verify = step_docs(tmp_path, db, "verify")
    assert heads(village_doc(verify)) == LOWEST_FIRST

    # Posted in the village: by 村民小组, then as the survey has them, numbered 1… down the list.
    docs = step_docs(tmp_path, db, "publicity1", record=False)
    notice = village_doc(docs)
    assert heads(notice) == BY_GROUP and seqs(notice) == [1, 2, 3, 4, 5]
    assert heads(village_doc(docs, "青山村")) == ["孙六"]
    # An objection names its household by the number posted: 赵四 is 2 here (5 on the meeting's list).
    fill(notice, objections=[("赵四", "家中有小轿车", "成立", "2019-12-05", 2)])
    run("register", "record", db, *docs)
    township = step_docs(tmp_path, db, "township_review")
    assert "赵四" not in heads(township[0]) and "李二" in heads(township[0])

    second = village_doc(step_docs(tmp_path, db, "publicity2"))
    assert heads(second) == ["李二", "王一", "张三", "钱五"] and seqs(second) == [1, 2, 3, 4]
    step_docs(tmp_path, db, "county_review")
    announcement = village_doc(step_docs(tmp_path, db, "announcement"))
    assert heads(announcement) == ["李二", "王一", "张三", "钱五"]

    # The register holds who is on it: everyone but 赵四, whom the objection took off.
    roster = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", roster)
    listed = [r[2] for r in openpyxl.load_workbook(roster).worksheets[0].iter_rows(min_row=4, values_only=True)
              if isinstance(r[0], int)]
    assert sorted(listed) == sorted(["王一", "张三", "李二", "钱五", "孙六"]), listed


def test_a_posted_list_printed_lowest_first_before_is_still_read_by_its_numbers(tmp_path, monkeypatch):
    """A 公示 printed by an earlier edgescreen (the meeting's order, the group as typed) and returned
    after the update: each 序号 is still its household, as the register stored it when printing."""
    from edgescreen.register import documents, steps

    monkeypatch.chdir(tmp_path)
    db = screened(tmp_path, people(lambda g: f"合隆镇前岗村{g}"))
    step_docs(tmp_path, db, "review")
    step_docs(tmp_path, db, "verify")
    with monkeypatch.context() as earlier:
        earlier.setattr(steps, "in_posted_order", lambda households: households)
        earlier.setattr(documents, "printed_group", lambda frame: frame["grp"].astype("string"))
        notice = village_doc(step_docs(tmp_path, db, "publicity1", record=False))
    assert heads(notice) == LOWEST_FIRST and table_rows(notice)[0]["村民小组"] == "合隆镇前岗村一组"
    fill(notice, objections=[("李二", "家中有小轿车", "成立", "2019-12-05", 1)])
    run("register", "record", db, *sorted(notice.parent.glob("*.xlsx")))
    township = step_docs(tmp_path, db, "township_review", record=False)
    assert heads(township[0]) == ["钱五", "张三", "王一", "赵四", "孙六"]


# Groups typed with their place before them (and the county before that), 30 households a village.
LONG = {0: "合隆镇前岗村第十二村民小组", 1: "农安县合隆镇前岗村第三村民小组", 2: "二社"}
SHORT = {0: "第十二村民小组", 1: "第三村民小组", 2: "二社"}


def many(n: int = 30) -> list[dict]:
    rows = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": LONG[k % 3], "户主姓名": f"户主{k}",
             "户主身份证号": make_id(serial=500 + k), "工资性收入": 9700 + 50 * k, "主要困难": "缺技术"}
            for k in range(n)]
    # Another village's group naming 前岗村: not its own place, printed as typed.
    rows.append({"乡(镇)": "合隆镇", "行政村": "青山村", "村民小组": "合隆镇前岗村第一村民小组", "户主姓名": "青山户",
                 "户主身份证号": make_id(serial=599), "工资性收入": 10000, "主要困难": "缺技术"})
    return rows


def table_sheet(path: Path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    header, cols = household_table(ws)
    first = header + 1
    body = [r for r in range(first, ws.max_row + 1) if isinstance(ws.cell(r, cols["序号"]).value, (int, float))]
    return ws, header, cols, body


def one_line(ws, col: int, texts) -> bool:
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width - 0.71
    return bool((printed_lines(list(texts), width) == 1).all())


def test_a_group_typed_with_its_place_prints_without_it_on_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = screened(tmp_path, many())

    # The 民主评议: the group without the village the title names, on one line; a row as tall as a row to
    # fill in (no group of four lines), and so 30 households on three pages (five before).
    review = step_docs(tmp_path, db, "review", record=False)
    ws, header, cols, body = table_sheet(village_doc(review))
    groups = [ws.cell(r, cols["村民小组"]).value for r in body]
    assert set(groups) == set(SHORT.values()), groups
    assert one_line(ws, cols["村民小组"], groups)
    assert {ws.row_dimensions[r].height for r in body} == {32}
    assert len(printed_pages(ws)) == 3, len(printed_pages(ws))
    ws, _, cols, body = table_sheet(village_doc(review, "青山村"))
    assert ws.cell(body[0], cols["村民小组"]).value == "合隆镇前岗村第一村民小组"
    for doc in review:
        fill_step("review", doc)
    run("register", "record", db, *review)

    # The visit's form, the widest: the group without its place, still printed at 9 pt or more.
    verify = step_docs(tmp_path, db, "verify", record=False)
    ws, header, cols, body = table_sheet(village_doc(verify))
    assert {ws.cell(r, cols["村民小组"]).value for r in body} == set(SHORT.values())
    assert printed_points(ws, header + 1) >= 9, printed_points(ws, header + 1)
    # Its rows are as tall as the declared income's lines (申报收入: 工资, 经营, 财产, 转移): a group that
    # wraps sets no row's height; 30 households on three pages (the parts on the form since schema 6, as
    # wide as their longest line with its thousands separators).
    assert len({ws.row_dimensions[r].height for r in body}) == 1
    assert len(printed_pages(ws)) == 3
    for doc in verify:
        fill_step("verify", doc)
    run("register", "record", db, *verify)

    # The 公示: one line a household.
    ws, _, cols, body = table_sheet(village_doc(step_docs(tmp_path, db, "publicity1")))
    assert one_line(ws, cols["村民小组"], SHORT.values())
    assert {ws.row_dimensions[r].height for r in body} == {20}

    # The township's form names each row's village: each group without its own place.
    ws, _, cols, body = table_sheet(step_docs(tmp_path, db, "township_review", record=False)[0])
    by_village = {(ws.cell(r, cols["行政村"]).value, ws.cell(r, cols["村民小组"]).value) for r in body}
    assert by_village == {("前岗村", g) for g in SHORT.values()} | {("青山村", "合隆镇前岗村第一村民小组")}
