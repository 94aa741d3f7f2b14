"""`register history` says what the register decided of each later round (outside tester, three income
years): a registered household's 2020 round showed only the screen's verdict (达到收入上限,不符合), never
the register's (收入超标但不满足退出条件 with the failing condition, 拟退出, 继续帮扶) that changes.xlsx
gave; an exited household's header had no 已退出 and day; a round whose survey missed it had no line.

The test reads what views.history_rounds gives, then what the command prints, of a register built
through the CLI."""

from __future__ import annotations

import re

from survey_builders import make_id
from years_builders import exit_to_publicity, register_everyone, run, survey

from edgescreen.register.registry import opened_register
from edgescreen.register.views import history_rounds, household_history

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"19{60 + m}0303", serial=680 + m) for m, k in enumerate("ABCD", start=1)}


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


def test_history_gives_each_rounds_register_decision_the_exit_and_the_round_not_surveyed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, [person(k) for k in "ABCD"])
    # 2020: 户A above the bound with no measure (stays); 户B 低保 (leaves by the exit procedure);
    # 户C not surveyed; 户D still in the band.
    source = survey(tmp_path / "2020.xlsx", [person("A", 工资性收入=15000), person("B", 是否低保户="是"),
                                            person("D", 工资性收入=10500)])
    run("screen", source, "--year", "2020", "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    exit_to_publicity(db, tmp_path, [])  # 户B leaves on 2020-12-06

    def outcome(key: str):
        with opened_register(db) as reg:
            return history_rounds(household_history(reg, IDS[key])[0], "zh")

    left, said, missing = outcome("A")
    assert left == "" and missing == {}
    assert said[2] == "  登记簿变动:收入超标但不满足退出条件(未享受过帮扶措施)", said
    left, said, missing = outcome("B")
    assert "已退出:自 2020-12-06 起" in left, left
    assert said[2] == "  登记簿变动:转入兜底保障,拟退出", said
    left, said, missing = outcome("C")
    assert said == {} and missing == {2: "第 2 轮筛查(2020年度,2020-11-20):本年未调查(登记簿在册,调查表中没有该户)"}, missing
    assert outcome("D")[1][2] == "  登记簿变动:继续帮扶"

    # And as the command prints it: each round's decision under it, 已退出 with its day, the round not
    # surveyed, and when each fact was recorded as a clerk reads a time (never 2026-12-05T10:51:37+00:00).
    printed = " ".join(run("register", "history", db, "--id", IDS["A"]).output.split())
    assert "登记簿变动:收入超标但不满足退出条件(未享受过帮扶措施)" in printed, printed
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:|[+-]\d\d:\d\d\b", printed) and "年" in printed, printed
    assert "已退出:自 2020-12-06 起" in " ".join(run("register", "history", db, "--id", IDS["B"]).output.split())
    assert "本年未调查" in " ".join(run("register", "history", db, "--id", IDS["C"]).output.split())
