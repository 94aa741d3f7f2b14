"""register measures -o FOLDER --force over a folder with measure forms still out (printed, no
measure recorded from them): each one the folder holds as printed is carried into the new folder
byte for byte, said in one line; the village's new form beside it carries its print date; a form
filled in where it was printed keeps the refusal; a recorded one goes."""
from __future__ import annotations

import hashlib
from pathlib import Path

from test_years import PEOPLE_2019  # the small county of test_years
from test_measures_returned import printed, registered_county
from years_builders import MeasureForm, run

import pytest


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "measures_live")


def test_forms_still_out_are_carried_over_and_the_new_ones_carry_their_day(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    first = {p.name: sha(p) for p in forms.glob("*.xlsx")}
    assert "合隆镇-前岗村-帮扶措施.xlsx" in first
    said = run("register", "measures", db, "--date", "2020-06-01", "-o", forms, "--force").output
    now = {p.name: sha(p) for p in forms.glob("*.xlsx")}
    for name, digest in first.items():  # every form out kept, byte for byte, at its place
        assert now.get(name) == digest
        dated = name.replace(".xlsx", "-2020-06-01.xlsx")
        assert dated in now and now[dated] != digest  # the village's new form: its own name
    assert len(now) == 2 * len(first)
    assert f"{len(first)} 份已发出、尚未登记的文书原样保留在" in said
    # Both are the register's documents: the new one records as its own form.
    form = MeasureForm(forms / "合隆镇-前岗村-帮扶措施-2020-06-01.xlsx")
    head = next(p["户主姓名"] for p in PEOPLE_2019 if p.get("行政村") == "前岗村")
    form.add(head, 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-06-02", 帮扶责任人="王干部")
    form.save()
    run("register", "record", db, form.path)


def test_a_recorded_form_goes_and_a_filled_one_still_refuses(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / "合隆镇-前岗村-帮扶措施.xlsx")
    head = next(p["户主姓名"] for p in PEOPLE_2019 if p.get("行政村") == "前岗村")
    form.add(head, 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="王干部")
    form.save()
    run("register", "measures", db, "--date", "2020-01-07", "-o", forms, "--force", code=2)  # filled in place
    run("register", "record", db, form.path)
    (forms / "合隆镇-前岗村-帮扶措施.xlsx").unlink()  # recorded: the clerk keeps it elsewhere
    others = {p.name: sha(p) for p in forms.glob("*.xlsx")}
    run("register", "measures", db, "--date", "2020-06-01", "-o", forms, "--force")
    now = {p.name: sha(p) for p in forms.glob("*.xlsx")}
    assert "合隆镇-前岗村-帮扶措施.xlsx" in now and "合隆镇-前岗村-帮扶措施-2020-06-01.xlsx" not in now
    assert all(now[name] == digest for name, digest in others.items())
