"""Fixtures for the tests in this folder; the builders live in survey_builders.py."""

import pytest

from survey_builders import write_workbook


@pytest.fixture
def survey(tmp_path):
    """survey(rows, name='survey.xlsx', **kw) → path of a workbook written in tmp_path."""
    def make(rows, name="survey.xlsx", **kw):
        return write_workbook(tmp_path / name, rows, **kw)
    return make
