"""`register record` refuses a batch with every problem of every file named at once. Before: the
checks against the register (a measure starting before its household entered, a recorded decision
changed without --amend) ran only when no file of the batch had a problem; the refusal named the
other files' problems and said "其余 N 个文件未发现问题" of files it had not compared, and the clerk who
put right what it named met a new refusal. Now each file that reads is compared against the
register whatever the others hold (each compares with the register alone), so "the rest" are fine
as said; still nothing is recorded until every file is."""
from __future__ import annotations

from pathlib import Path

import pytest

from register_builders import fill, meeting
from test_register import Walk, _by_name, dump, refused
from test_measures_returned import printed, registered_county
from years_builders import MeasureForm, run

QIAN = "合隆镇-前岗村-帮扶措施.xlsx"
HOU = "合隆镇-后岗村-帮扶措施.xlsx"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    """test_years' small county on the register from 2019-12-27 (前岗村: 户A …, 后岗村: 户K, 户L, 户M)."""
    return registered_county(tmp_path_factory, "record_unchecked")


def forms_with_two_problems(registered, tmp_path) -> tuple[Path, Path, Path]:
    """前岗村's form with a type not in the catalogue (a problem of its own rows); 后岗村's with a
    measure starting before its household entered (a problem only the register shows)."""
    db, forms = printed(registered, tmp_path)
    qian = MeasureForm(forms / QIAN)
    qian.add("户A", 帮扶类型="春节慰问团", 帮扶内容="慰问", 开始日期="2020-01-02", 帮扶责任人="王干部")
    qian.save()
    hou = MeasureForm(forms / HOU)
    hou.add("户K", 帮扶类型="健康", 帮扶内容="大病救助", 开始日期="2019-12-01", 帮扶责任人="李干部")
    hou.save()
    return db, forms / QIAN, forms / HOU


def test_a_measure_before_entry_is_named_beside_another_forms_bad_type(registered, tmp_path):
    db, qian, hou = forms_with_two_problems(registered, tmp_path)
    before = dump(db)
    output = flat(run("register", "record", db, qian, hou, code=2).output)
    assert "2 个文件中有 2 处问题" in output, output
    assert "「春节慰问团」" in output, output
    assert f"{HOU} 「帮扶措施」" in output and "「户K」的措施" in output and "2019-12-27" in output, output
    assert "未发现问题" not in output, output  # no file left that was not compared
    assert dump(db) == before
    # What the batch named is all there is: 后岗村's form alone is refused for the same one thing, and
    # with both put right the batch records.
    alone = flat(run("register", "record", db, hou, code=2).output)
    assert "1 个文件中有 1 处问题" in alone and "「户K」的措施" in alone, alone
    form = MeasureForm(qian)
    form.write(form.measure_row("户A"), 帮扶类型="小额信贷")
    form.save()
    form = MeasureForm(hou)
    form.write(form.measure_row("户K"), 开始日期="2019-12-27")
    form.save()
    done = flat(run("register", "record", db, qian, hou).output)
    assert "登记簿没有任何改动" not in done, done


def test_the_english_refusal_names_both_too(registered, tmp_path):
    db, qian, hou = forms_with_two_problems(registered, tmp_path)
    output = flat(run("register", "record", db, qian, hou, "--lang", "en", code=2).output)
    assert "problems found: 2 (files: 2)" in output, output
    assert "starts before the household entered the register on 2019-12-27" in output, output
    assert "Files with no problem" not in output, output


def test_a_decision_changed_without_amend_is_named_beside_another_files_bad_word(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    qing = next(p for p in docs if "青山村" in p.name)
    fill(qing, default=("同意", ""), form=meeting("2019-11-25"))
    walk.record(qing)
    # 青山村's form filled again, 孙六 turned down now: a recorded decision changed (--amend needed).
    fill(qing, decisions=_by_name(qing, {"孙六": ("不同意", "家中有小轿车")}))
    # 前岗村's with a word that is no decision; 三宝村's as it should be.
    qian = next(p for p in docs if "前岗村" in p.name)
    fill(qian, default=("同意", ""), decisions=_by_name(qian, {"张三": ("可以", "")}), form=meeting("2019-11-25"))
    sanbao = next(p for p in docs if "三宝村" in p.name)
    fill(sanbao, default=("同意", ""), form=meeting("2019-11-25"))
    output = flat(refused(walk, qian, qing, sanbao, words=[]))
    assert "2 个文件中有 3 处问题" in output and "其余 1 个文件未发现问题" in output, output
    assert "「可以」" in output, output
    assert "孙六" in output and "--amend" in output, output
    # The one said to be fine is: recorded alone, it goes in.
    walk.record(sanbao)
