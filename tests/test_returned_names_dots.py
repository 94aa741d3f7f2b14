"""A minority head's separator dot typed otherwise on a returned form is the listed name. Found by an
outside try: on the 第一次公示's 异议处理 sheet the head 瓜尔佳·文瑞 (U+00B7) was written 瓜尔佳•文瑞
(U+2022), and was refused as 名单中没有户主, the refusal offering 名单外; written so, the upheld objection
was recorded as a 漏评 of a household "not on this round's list" and the listed household stayed on it.
瓜尔佳文瑞, 瓜尔佳.文瑞, 瓜尔佳・文瑞 … were refused the same way; only spaces were let pass. Now each is the
listed household; two listed heads that differ only so stay ambiguous, both named; a name one character
off is asked about (名单上有「瓜尔佳·文瑞」(序号 2),是否指这一户?) before 名单外 is offered."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from register_builders import fill, table_rows
from survey_builders import household, make_id, write_workbook
from test_register import DATES, IDS, PEOPLE, Walk, dump, run

LISTED = "瓜尔佳·文瑞"  # U+00B7, as surveyed and printed
VARIANTS = ["瓜尔佳•文瑞", "瓜尔佳文瑞", "瓜尔佳.文瑞", "瓜尔佳・文瑞", "瓜尔佳．文瑞", "瓜尔佳‧文瑞", "瓜尔佳-文瑞",
            "瓜尔佳。文瑞", "瓜尔佳 · 文瑞"]


class MinorityWalk(Walk):
    """The small county of test_register with 前岗村's 张三 a Manchu head, 瓜尔佳·文瑞, and `more`
    households (township, village, group, head, wage) beside."""

    def __init__(self, tmp: Path, more: tuple = ()):
        self.tmp, self._places = tmp, None
        tmp.mkdir(parents=True, exist_ok=True)
        people = [(t, v, g, LISTED if name == "张三" else name, wage) for t, v, g, name, wage in PEOPLE] + list(more)
        ids = {LISTED: IDS["张三"], **IDS}
        self.rows = [household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name,
                                  "户主身份证号": ids.get(name) or make_id(birth="19650505", serial=900 + i),
                                  "工资性收入": wage, "主要困难": "缺技术"})
                     for i, (t, v, g, name, wage) in enumerate(people)]
        self.survey = write_workbook(tmp / "农安县.xlsx", self.rows)
        self.db = tmp / "农安县.db"
        self.screen = run("screen", self.survey, "-o", tmp / "out", "--register", self.db, "--date", DATES["round"])
        self._as_screened = self._register_stat()


def _publicity_ready(tmp: Path, more: tuple = ()) -> tuple[Path, Path]:
    """The register with the verification recorded and the 第一次公示 printed; 前岗村's form."""
    walk = MinorityWalk(tmp, more)
    walk.through("verify")
    walk.issue("publicity1")
    return walk.db, walk.doc("publicity1", "前岗村")


@pytest.fixture(scope="module")
def ready(tmp_path_factory):
    return _publicity_ready(tmp_path_factory.mktemp("dots"))


@pytest.fixture(scope="module")
def ready_two(tmp_path_factory):
    """前岗村 with two heads that differ by the dot alone: 瓜尔佳·文瑞 and 瓜尔佳文瑞."""
    return _publicity_ready(tmp_path_factory.mktemp("dots_two"), more=(("合隆镇", "前岗村", "3组", "瓜尔佳文瑞", 10300),))


def _copy(ready, tmp: Path) -> tuple[Path, Path]:
    """This test's own register and form (the module's walked once)."""
    db, doc = ready
    return Path(shutil.copy(db, tmp / db.name)), Path(shutil.copy(doc, tmp / doc.name))


def _seq(doc: Path, name: str) -> int:
    return next(int(r["序号"]) for r in table_rows(doc) if r["户主姓名"] == name)


def _facts(db: Path) -> dict[str, str]:
    """The publicity's objection outcome and decision per listed head, and the village's 漏评 facts."""
    con = sqlite3.connect(db)
    rows = con.execute("SELECT s.head_name, e.field, e.new FROM events e JOIN screened s ON s.household = e.household "
                       "WHERE e.step = 'publicity1' AND e.field IN ('objection_result', 'decision') "
                       "AND e.new IS NOT NULL").fetchall()
    omissions = con.execute("SELECT field, new FROM events WHERE (household IS NULL OR household < 0) "
                            "AND field LIKE 'omission%' AND new IS NOT NULL").fetchall()
    con.close()
    return {**{f"{name} {fld}": new for name, fld, new in rows}, **dict(omissions)}


def _flat(result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize("typed", VARIANTS)
def test_the_listed_minority_head_with_its_dot_typed_otherwise_is_that_household(ready, tmp_path, typed):
    db, doc = _copy(ready, tmp_path)
    fill(doc, objections=[(typed, "举报有经营性收入", "成立", "2019-12-05")])
    out = _flat(run("register", "record", db, doc))
    assert "名单外" not in out and "漏评" not in out, out
    facts = _facts(db)
    # The upheld objection takes the listed household off the list; no 漏评 is recorded.
    assert facts[f"{LISTED} objection_result"] == "upheld" and facts[f"{LISTED} decision"] == "no", facts
    assert not any(k.startswith("omission") for k in facts), facts
    assert facts["王一 decision"] == "yes", facts


def test_a_list_number_beside_the_name_with_another_dot_is_that_household(ready, tmp_path):
    """Before: 名单序号 2 beside 瓜尔佳•文瑞 was refused as 名单序号 2 是「瓜尔佳·文瑞」,不是「瓜尔佳•文瑞」."""
    db, doc = _copy(ready, tmp_path)
    fill(doc, objections=[("瓜尔佳•文瑞", "说他家有楼房", "不成立", "2019-12-05", _seq(doc, LISTED))])
    run("register", "record", db, doc)
    facts = _facts(db)
    assert facts[f"{LISTED} objection_result"] == "dismissed" and facts[f"{LISTED} decision"] == "yes", facts


def test_outside_the_list_with_the_listed_head_typed_with_another_dot_is_refused_as_on_the_list(ready, tmp_path):
    db, doc = _copy(ready, tmp_path)
    fill(doc, objections=[("瓜尔佳•文瑞", "举报有经营性收入", "成立", "2019-12-05", "名单外")])
    before = dump(db)
    out = _flat(run("register", "record", db, doc, code=2))
    assert f"「瓜尔佳•文瑞」在名单上(序号 {_seq(doc, LISTED)}),「名单序号」却写的是「名单外」" in out, out
    assert dump(db) == before


def test_a_head_one_character_off_is_asked_about_before_outside_the_list_is_offered(ready, tmp_path):
    db, doc = _copy(ready, tmp_path)
    seq = _seq(doc, LISTED)
    fill(doc, objections=[("瓜尔佳·文端", "举报有经营性收入", "成立", "2019-12-05"),
                          ("瓜尔佳/文瑞", "说他家有楼房", "不成立", "2019-12-06")])
    before = dump(db)
    out = _flat(run("register", "record", db, doc, code=2))
    for typed in ("瓜尔佳·文端", "瓜尔佳/文瑞"):
        said = f"名单中没有户主「{typed}」。名单上有「{LISTED}」(序号 {seq}),是否指这一户?"
        assert said in out, out
        # The question first, then the way out for a household not on the list.
        assert out.index("请在「名单序号」栏写「名单外」", out.index(said)) > out.index(said), out
    assert dump(db) == before
    # A name nothing like a listed one is refused as before, nothing asked.
    again = tmp_path / "again"
    again.mkdir()
    db, doc = _copy(ready, again)
    fill(doc, objections=[("欧阳明", "举报有经营性收入", "成立", "2019-12-05")])
    out = _flat(run("register", "record", db, doc, code=2))
    assert "名单中没有户主「欧阳明」:如果这条异议反映的是名单外的农户应当纳入(漏评)" in out and "是否指" not in out, out


def test_two_listed_heads_differing_by_the_dot_alone_stay_ambiguous_both_named(ready_two, tmp_path):
    db, doc = _copy(ready_two, tmp_path)
    dotted, bare = _seq(doc, LISTED), _seq(doc, "瓜尔佳文瑞")
    fill(doc, objections=[("瓜尔佳•文瑞", "举报有经营性收入", "成立", "2019-12-05")])
    before = dump(db)
    out = _flat(run("register", "record", db, doc, code=2))
    first, second = sorted([(dotted, LISTED), (bare, "瓜尔佳文瑞")])
    assert (f"名单中有 2 户户主叫「瓜尔佳•文瑞」:「{first[1]}」(序号 {first[0]})、「{second[1]}」(序号 {second[0]});"
            "请在「名单序号」栏写明是哪一户的名单序号") in out, out
    assert dump(db) == before
    # The list number says which: that household, not the other.
    fill(doc, objections=[("瓜尔佳•文瑞", "举报有经营性收入", "成立", "2019-12-05", dotted)])
    run("register", "record", db, doc)
    facts = _facts(db)
    assert facts[f"{LISTED} decision"] == "no" and facts["瓜尔佳文瑞 decision"] == "yes", facts
