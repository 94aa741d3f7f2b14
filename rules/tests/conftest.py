"""pytest collects the rule tests in this folder: every .toml file of [[case]] entries becomes a test
file, and each case a test named after it. A case runs exactly as `edgescreen rules test` runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgescreen.rule_tests import CaseError, load_cases, run_case

HERE = Path(__file__).resolve().parent


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".toml" and file_path.resolve().parent == HERE:
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


class RuleCaseFile(pytest.File):
    def collect(self):
        try:
            loaded = load_cases(self.path)
        except CaseError as exc:
            raise self.CollectError(str(exc)) from None
        for serial, case in enumerate(loaded.cases.case, start=1):
            yield RuleCase.from_parent(self, name=case.name, loaded=loaded, case=case, serial=serial)


class RuleCaseFailed(Exception):
    pass


class RuleCase(pytest.Item):
    def __init__(self, *, loaded, case, serial, **kwargs):
        super().__init__(**kwargs)
        self.loaded, self.case, self.serial = loaded, case, serial

    def runtest(self) -> None:
        result = run_case(self.loaded, self.case, self.serial)
        if not result.passed:
            raise RuleCaseFailed(result.explain())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, RuleCaseFailed):
            inputs = ", ".join(f"{k} = {v!r}" for k, v in self.case.inputs.items())
            return f"{excinfo.value}\n  inputs: {inputs}\n  rules: {self.loaded.rules.path}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"rule case: {self.name}"
