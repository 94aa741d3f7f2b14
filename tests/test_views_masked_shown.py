"""A head ID Excel stored as a number (2.20122195802276E+17) starred whole where the register's views
show it, as the village lists, the 花名册 and its 已销户/已退出 do (*.**************E+17): `register
status`'s 移出名单 (removed_households) and its 帮扶缺口 list, and history's heads found by a name,
starred it as an ID's middle (2.2012**********E+17), a number half masked. Today's survey check keeps
such an ID out, so the tests write it into the register's file, as a register kept from before holds
it (test_register_views_dates_ids)."""

from __future__ import annotations

import openpyxl

from test_register import Walk, run
from test_register_views_dates_ids import _stored_as_a_number

WHOLE = "*.**************E+17"


def _row(path, sheet: str, name: str) -> dict:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    header = next(r for r in rows if "身份证号" in r)
    return dict(zip(header, next(r for r in rows if name in r)))


def _line(said: str, name: str) -> str:
    return next(line for line in said.splitlines() if name in line)


def test_the_removed_list_and_a_heads_lookup_star_an_id_stored_as_a_number_whole(tmp_path):
    walk = Walk(tmp_path)
    walk.through("publicity1")  # 张三 taken off by an objection upheld
    _stored_as_a_number(walk.db, ("张三",))
    said = run("register", "status", walk.db, "--as-of", "2019-12-08", "-o", tmp_path / "进度.xlsx").output
    assert f"张三 {WHOLE}(合隆镇前岗村)— 第一次公示" in _line(said, "张三"), said
    assert _row(tmp_path / "进度.xlsx", "移出名单", "张三")["身份证号"] == WHOLE
    # history given the head's name for an ID: the heads so named, and the ID to ask by, as listed.
    said = " ".join(run("register", "history", walk.db, "--id", "张三", code=2).output.split())
    assert f"有 1 户:{WHOLE}(合隆镇前岗村)" in said and f"如 --id {WHOLE}" in said, said
    assert "2.2012" not in said, said


def test_the_support_gap_list_stars_an_id_stored_as_a_number_whole(tmp_path):
    walk = Walk(tmp_path)
    walk.through("announcement")  # registered without a measure: a 帮扶缺口 two months on
    _stored_as_a_number(walk.db, ("王一",))
    said = run("register", "status", walk.db, "--as-of", "2020-03-01", "-o", tmp_path / "进度.xlsx").output
    assert f"王一 {WHOLE}:纳入超过 30 天仍无帮扶措施" in _line(said, "王一"), said
    row = _row(tmp_path / "进度.xlsx", "帮扶缺口", "王一")
    assert row["身份证号"] == WHOLE, row
