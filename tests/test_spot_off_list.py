"""A sample drawn from the register after the procedure (an outside tester's report, 2026-12): households the
民主评议 or the 入户核实 took off the list were drawn as 候选户, and a verifier who found what the meeting found
made them 错评. The listed stratum is the households still on the list when the sample is drawn; those taken
off are set apart (in neither stratum: the grounds they were taken off on are not on the form), and said."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, fill, pages_of, run, sample_rows
from test_register_sample import _script
from edgescreen.outputs.ledger import read_ledger
from edgescreen.outputs.privacy import mask_id


def test_households_taken_off_the_list_are_set_apart_not_drawn_as_listed(tmp_path, capsys):
    out = tmp_path / "walk"
    left = _script().main(["-o", str(out), "--villages", "3"])  # turned down at the meeting, the visit …
    capsys.readouterr()
    assert left
    said = "".join(run("sample", out / "农安县.db", "-o", tmp_path / "抽查", "--listed-rate", "1").output.split())
    drawn = sample_rows(tmp_path / "抽查")
    listed = [r for r in drawn if r["抽样层"] == "候选户"]
    masked = mask_id(pd.Series([r["户主身份证号"] for r in listed], dtype="string"))
    assert not {f"{r['户主姓名']} {m}" for r, m in zip(listed, masked)} & set(left), left
    ledger = read_ledger(out / "筛查" / "decisions.csv")
    candidates = ledger[ledger["status"] == "candidate"]
    taken_off = (candidates["head_name"] + " " + mask_id(candidates["head_id"]).to_numpy()).isin(left)
    assert len(listed) == len(candidates) - int(taken_off.sum()) == len(candidates) - len(left), (len(listed), left)
    assert f"识别程序中已从名单上去掉的{len(left)}户" in said and "民主评议" in said, said
    record = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))
    assert record["off_list"] == len(left)

    # backcheck sets apart the same households (the strata agree) and says so
    form = listed[0]["核查表"]
    ws_pages = pages_of(openpyxl.load_workbook(tmp_path / "抽查" / form).worksheets[0])
    seq = min(ws_pages)
    values = {"members": 3, "residents": 3, "wage_income": 9000, "business_income": 0, "property_income": 0,
              "transfer_income": 0, "business_costs": 0, "depreciation": 0, "taxes_fees": 0, "is_dibao": "否",
              "is_tekun": "否", "is_registered_poor": "否", "verifier": "王核查",
              "verify_date": dt.date.today().isoformat()}
    assert set(values) <= set(LABELS)
    (tmp_path / "填好").mkdir()
    fill(tmp_path / "抽查" / form, {seq: values}, save_as=tmp_path / "填好" / Path(form).name)
    said = "".join(run("backcheck", out / "农安县.db", tmp_path / "填好", "-o", tmp_path / "核查结果").output.split())
    assert f"识别程序中已从名单上去掉的{len(left)}户" in said and "比率不包括它们" in said, said
