"""`register history --id` with a household member's ID (a spouse or son named in a complaint): the
household it belongs to, saying whose it is. Before: 登记簿里没有户主身份证号为 … 的农户."""
from __future__ import annotations

from test_years import SON_B, county  # noqa: F401  (county: a fixture)
from years_builders import run


def test_history_by_a_members_id_finds_the_household_and_says_whose(county):  # noqa: F811
    said = " ".join(run("register", "history", county["registered"], "--id", SON_B).output.split())
    # With the year whose survey listed it (a season's try: an in-law a daughter of one household in
    # 2019 and 儿媳 of another in 2020 read as both at once).
    assert f"身份证号 {SON_B} 不是户主的:2019 年度的调查列为「户B」户的家庭成员(与户主关系:子)" in said, said
    assert "户主 户B" in said and "民主评议" in said, said
    # An ID of no one: still said, head or member.
    none = " ".join(run("register", "history", county["registered"], "--id", "220122199901011234", code=2)
                    .output.split())
    assert "没有户主或家庭成员身份证号为 220122199901011234 的农户" in none, none
