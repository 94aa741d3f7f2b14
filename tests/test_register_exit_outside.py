"""An exit posting's objection naming a household not on the exit list (名单外) that is on the
register: it says that household should leave too, and is no 漏评 (a household missed, to survey and
enter). Before: it was recorded and said as a 漏评, asking for a survey form."""
from __future__ import annotations

from register_builders import fill
from test_years import copy_db, county  # noqa: F401  (the module's county, a fixture)
from years_builders import exit_publicity_form, run


def test_a_registered_household_named_outside_an_exit_list_is_no_omission(county, tmp_path):  # noqa: F811
    db = copy_db(county["db"], tmp_path / "农安县.db")
    notice = exit_publicity_form(db, tmp_path)
    # 户A stays on the register (继续帮扶): not on the exit list.
    fill(notice, objections=[("户A", "该户也有稳定收入,应一并退出", "不成立", "2020-12-02")],
         save_as=tmp_path / "unmarked.xlsx")
    refused = " ".join(run("register", "record", db, tmp_path / "unmarked.xlsx", code=2).output.split())
    assert "名单外的在册户也应退出" in refused, refused
    fill(notice, objections=[("户A", "该户也有稳定收入,应一并退出", "不成立", "2020-12-02", "名单外")])
    said = "".join(run("register", "record", db, notice).output.split())
    assert "名单外在册户「户A」(合隆镇前岗村)" in said, said
    assert "不是漏评" in said, said
    assert "漏评," not in said and "入户登记表" not in said, said
    status = "".join(run("register", "status", db).output.split())
    assert "公示期间对名单外农户的异议" not in status, status
