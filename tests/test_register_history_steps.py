"""`register history` shows a step's village facts (the meeting's 主持人, the 审核人, the 复审人) only to
the households that went through the step, each with the changeset that recorded it. Before, every
household screened in the village had them: one above the limit, never on any list, showed the
meeting's host and both reviewers, and one taken off at the meeting the reviewers after it, each
with 'nan · nan' where who recorded it and when should be (an outside try, end2019.db)."""

from __future__ import annotations

import pytest

from register_builders import fill
from test_register import DATES, IDS, Walk, _by_name, run


class NamedWalk(Walk):
    """The usual walk (周七 不通过 at the township's review), the review forms naming the reviewers."""

    def township_review(self, record: bool = True):
        docs = self.issue("township_review")
        for p in docs:
            fill(p, default=("通过", ""), decisions=_by_name(p, {"周七": ("不通过", "户籍不在本村")}),
                 form={"审核日期": DATES["township_date"], "审核人姓名": "李明"})
        if record:
            self.record(*docs)
        return docs

    def county_review(self, record: bool = True):
        docs = self.issue("county_review")
        for p in docs:
            fill(p, default=("通过", ""), form={"复审日期": DATES["county_date"], "复审人姓名": "赵科长"})
        if record:
            self.record(*docs)
        return docs


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    walk = NamedWalk(tmp_path_factory.mktemp("history-steps"))
    walk.through("announcement")
    return walk


def _history(walk, name: str, *extra) -> list[str]:
    return [" ".join(line.split()) for line in run("register", "history", walk.db, "--id", IDS[name],
                                                   *extra).output.splitlines()]


def _fact_with_source(lines: list[str], fact: str) -> str:
    """The source line under the history's line of `fact` (there must be one)."""
    at = [i for i, line in enumerate(lines) if fact in line]
    assert len(at) == 1, (fact, lines)
    return lines[at[0] + 1]


def test_a_household_never_on_a_list_has_no_hosts_or_reviewers(walk):
    """富贵, above the limit: was 民主评议 · 主持人:王书记 / nan · nan ·, and the same for both reviewers."""
    lines = _history(walk, "富贵")
    said = "\n".join(lines)
    for words in ("主持人", "王书记", "审核人姓名", "李明", "复审人姓名", "赵科长", "nan"):
        assert words not in said, (words, said)
    assert "尚无认定环节的记录" in said, said


def test_a_household_taken_off_at_the_meeting_stops_there(walk):
    """李二, 不同意 at the meeting: the meeting with its result, reason and host, and nothing after."""
    lines = _history(walk, "李二")
    said = "\n".join(lines)
    assert "2019-11-25 民主评议 · 评议结果:不同意" in said and "民主评议 · 备注:家中有小轿车" in said, said
    assert "register record · 合隆镇-前岗村-民主评议.xlsx" in _fact_with_source(lines, "民主评议 · 主持人:王书记")
    for words in ("乡镇审核", "县级复审", "审核人姓名", "复审人姓名", "nan"):
        assert words not in said, (words, said)
    english = "\n".join(_history(walk, "李二", "--lang", "en"))
    assert "chaired by: 王书记" in english, english
    for words in ("township review", "county review", "李明", "赵科长", "nan"):
        assert words not in english, (words, english)


def test_a_household_through_every_step_has_each_host_and_reviewer_with_its_record(walk):
    """王一, an objection about him 不成立 at the first publicity, went through every step."""
    lines = _history(walk, "王一")
    said = "\n".join(lines)
    assert "第一次公示 · 异议内容:说他家有楼房" in said and "第一次公示 · 处理结果:不成立" in said, said
    for fact, file in (("民主评议 · 主持人:王书记", "合隆镇-前岗村-民主评议.xlsx"), ("乡镇审核 · 审核人姓名:李明", "合隆镇-乡镇审核.xlsx"),
                       ("县级复审 · 复审人姓名:赵科长", "农安县-县级复审.xlsx")):
        assert f"register record · {file}" in _fact_with_source(lines, fact), (fact, said)
    assert "公告 · 公告:在册" in said and "nan" not in said, said


def test_an_upheld_objection_and_a_township_refusal_end_the_reviewers_there(walk):
    """张三, whose objection was upheld (成立) at the first publicity, came before no reviewer; 周七,
    不通过 at the township's review, has its reviewer and not the county's."""
    said = "\n".join(_history(walk, "张三"))
    assert "第一次公示 · 处理结果:成立" in said and "第一次公示 · 第一次公示:异议成立" in said, said
    assert "主持人:王书记" in said, said
    for words in ("乡镇审核", "县级复审", "审核人姓名", "复审人姓名", "nan"):
        assert words not in said, (words, said)
    lines = _history(walk, "周七")
    said = "\n".join(lines)
    assert "乡镇审核 · 审核意见:不通过" in said and "户籍不在本村" in said, said
    assert "合隆镇-乡镇审核.xlsx" in _fact_with_source(lines, "乡镇审核 · 审核人姓名:李明")
    for words in ("县级复审", "复审人姓名", "赵科长", "nan"):
        assert words not in said, (words, said)


def test_a_reviewer_added_by_amend_alone_shows_its_own_record(tmp_path):
    """The township's 审核人 put right by --amend with nothing else changed: that changeset holds no
    fact of the household's, and the line's record was nan · nan. (The name was added to a form
    recorded without it; a blank 审核人 is refused now, so here a name written wrong is corrected.)"""
    walk = NamedWalk(tmp_path)
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": DATES["township_date"], "审核人姓名": "李名"})
    walk.record(*docs)
    for p in docs:
        fill(p, form={"审核人姓名": "李明"})
    walk.record(*docs, extra=("--amend", "--reason", "审核人姓名写错"))
    lines = _history(walk, "王一")
    source = _fact_with_source(lines, "乡镇审核 · 审核人姓名:李名 → 李明")
    assert "register record --amend · 合隆镇-乡镇审核.xlsx · 更正:审核人姓名写错" in source, lines
    assert "nan" not in "\n".join(lines)
