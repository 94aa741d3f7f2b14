"""`register status` says what `register record` and `register history` said, at an exit's posting.
(1) An objection naming, outside the list (名单外), a registered household on another village's exit
list of the round, its head written 瓜尔佳.文瑞 for 瓜尔佳·文瑞: record matched the head as listed
(procedure.head_keys) and said that village's posting decides it; status matched by whitespace only
and asked for that household's income to be checked next round, as if on no exit list.
(2) An objection at the exit posting settled 4 days after its period ended: history (and the event)
have the household leave on the day it was settled; status's village line said the period's end."""

from __future__ import annotations

import shutil

import pytest

from register_builders import fill
from survey_builders import make_id
from years_builders import exit_publicity_form, register_everyone, run, survey

IDS = {k: make_id(birth=f"19{60 + m}0404", serial=710 + m) for m, k in enumerate("ABC", start=1)}
PEOPLE = {"A": ("前岗村", "户A"), "B": ("前岗村", "户B"), "C": ("后岗村", "瓜尔佳·文瑞")}


def person(key: str, **over) -> dict:
    village, head = PEOPLE[key]
    return {"乡(镇)": "合隆镇", "行政村": village, "户主姓名": head, "户主身份证号": IDS[key], "户编号": f"HB{key}",
            **over}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """户A, 户B (前岗村) and 瓜尔佳·文瑞 (后岗村) on the register from 2019-12-27; in 2020 户B and 瓜尔佳·文瑞
    are 低保 and on the round's exit list; 前岗村's 退出公示 is printed (2020-11-30 to 2020-12-06), not
    filled in, 后岗村's exit still at its 民主评议."""
    tmp = tmp_path_factory.mktemp("status-matches-record")
    db = register_everyone(tmp, [person("A"), person("B"), person("C")])
    source = survey(tmp / "2020.xlsx", [person("A"), person("B", 是否低保户="是"), person("C", 是否低保户="是")])
    run("screen", source, "--year", "2020", "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    notice = exit_publicity_form(db, tmp)
    assert "前岗村" in notice.name, notice
    return db, notice


@pytest.fixture
def exit_notice(printed, tmp_path, monkeypatch):
    """A copy of the register and of 前岗村's printed 退出公示, for one test to fill and record."""
    monkeypatch.chdir(tmp_path)
    db, notice = printed
    (tmp_path / "reg").mkdir()
    return shutil.copy(db, tmp_path / "reg" / db.name), shutil.copy(notice, tmp_path / notice.name)


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("written", ["瓜尔佳.文瑞", "瓜尔佳文瑞"])
def test_a_head_written_otherwise_is_on_the_other_villages_exit_list_in_status_as_record_said(exit_notice, written):
    db, notice = exit_notice
    fill(notice, objections=[(written, "该户已享受低保,应一并退出", "成立", "2020-12-02", "名单外")])
    said = _flat(run("register", "record", db, notice).output)
    assert "它已列入本轮合隆镇后岗村的退出名单,由该村的退出公示办理" in said, said
    status = _flat(run("register", "status", db, "--as-of", "2020-12-10").output)
    assert "退出公示期间对名单外在册户的异议(也应退出)" in status, status
    assert "该户已列入本轮另一村的退出名单,由该村的退出公示办理" in status, status
    assert "下一轮请核实该户收入" not in status, status


def test_an_exit_objection_settled_after_the_period_is_the_exit_day_in_status_as_in_history(exit_notice):
    db, notice = exit_notice
    # Period 2020-11-30 to 2020-12-06; the objection to 户B verified and dismissed on 2020-12-10.
    fill(notice, objections=[("户B", "家中有人外出务工", "不成立", "2020-12-10")])
    said = _flat(run("register", "record", db, notice).output)
    assert "到2020-12-10才处理完" in said, said
    history = _flat(run("register", "history", db, "--id", IDS["B"]).output)
    assert "已退出:自2020-12-10起" in history, history
    status = _flat(run("register", "status", db).output)
    assert "已退出(自2020年12月10日)" in status, status
    assert "2020年12月6日)" not in status, status
