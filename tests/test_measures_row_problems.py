"""A measure form's row with a problem of its own (帮扶责任人 blank) is not compared against the
register, so a start before the household entered, on the same row, was named only once the first
was put right: a second refusal. Now both come in the first (README: every problem of a file at
once), and once both are put right the form records."""
from __future__ import annotations

import pytest

from test_register import dump
from test_measures_returned import printed, registered_county
from test_record_unchecked import flat
from years_builders import MeasureForm, run

HOU = "合隆镇-后岗村-帮扶措施.xlsx"


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    """test_years' small county on the register from 2019-12-27 (后岗村: 户K, 户L, 户M)."""
    return registered_county(tmp_path_factory, "fix_measures_row_problems")


def test_a_blank_person_and_a_start_before_entry_on_one_row_are_both_named(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / HOU)
    row = form.add("户K", 帮扶类型="健康", 帮扶内容="大病救助", 开始日期="2019-12-01")  # no 帮扶责任人
    form.save()
    before = dump(db)
    output = flat(run("register", "record", db, forms / HOU, code=2).output)
    assert "1 个文件中有 2 处问题" in output, output
    assert "「帮扶责任人」没有填写" in output, output
    assert "「户K」的措施" in output and "早于该户纳入" in output and "2019-12-27" in output, output
    assert dump(db) == before
    # Both put right in one go: recorded, no second refusal.
    form = MeasureForm(forms / HOU)
    form.write(row, 开始日期="2019-12-27", 帮扶责任人="李干部")
    form.save()
    done = flat(run("register", "record", db, forms / HOU).output)
    assert "登记簿没有任何改动" not in done, done


def test_a_row_with_an_unknown_type_says_its_start_before_entry_as_typed(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / HOU)
    form.add("户K", 帮扶类型="看病报销", 帮扶内容="大病救助", 开始日期="2019-12-01", 帮扶责任人="李干部")
    form.save()
    output = flat(run("register", "record", db, forms / HOU, code=2).output)
    assert "1 个文件中有 2 处问题" in output, output
    assert "「看病报销」" in output and "看病报销:大病救助(自 2019-12-01)" in output, output


def test_rows_of_a_household_with_a_problem_starting_after_entry_are_not_refused_for_their_start(registered,
                                                                                                 tmp_path):
    """Only the blank is named: the rows (the one with the problem, and the household's other one,
    which the register is not compared with either) start on or after the household entered."""
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / HOU)
    form.add("户K", 帮扶类型="健康", 帮扶内容="大病救助", 开始日期="2019-12-27", 帮扶责任人="李干部")
    form.add("户K", 帮扶类型="就业", 帮扶内容="公益岗位", 开始日期="2019-12-28")  # no 帮扶责任人
    form.save()
    output = flat(run("register", "record", db, forms / HOU, code=2).output)
    assert "1 个文件中有 1 处问题" in output and "早于该户纳入" not in output, output
