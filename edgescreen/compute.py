"""Per-capita net income in integer fen, exactly as the plan defines it.

农民年人均纯收入 = (家庭总收入 − 家庭生产经营性支出) ÷ 家庭常住人口数. Which components make up each
total is the rule set's. Where the form gives the components they are summed (a blank one counts 0);
where it gives only the total (no component column, or every component cell of the household left
blank beside a total it filled in), the total is used. A sum with a component that did not parse, or
residents that are not a positive whole number, is not computable and stays NA; so is every figure of
a text file's row read shifted (read_shifted): its amounts are not the household's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .read import BEYOND_HEADER, ROW_FIELDS
from .rules import RuleSet, Sum


def _blank(cells: pd.Series) -> np.ndarray:
    """'' or NA (a column the sheet does not have)."""
    return (cells == "").to_numpy(dtype=bool, na_value=True)


def read_shifted(df: pd.DataFrame) -> np.ndarray:
    """Households on a CSV/TSV row with more fields than its header (read.BEYOND_HEADER, ROW_FIELDS:
    fields_beyond_header, row_longer_than_header): a field split in two (3,500 unquoted) pushed every
    field after it one column right, so its amounts were read from the wrong columns."""
    shifted = np.zeros(len(df), dtype=bool)
    for column in (BEYOND_HEADER[0], ROW_FIELDS):
        if column in df.columns:  # only a text file's rows have them, '' or NA where not longer
            shifted |= (df[column].fillna("") != "").to_numpy(dtype=bool)
    return shifted


def total_alone_column(definition: Sum) -> str:
    return f"{definition.total}_alone"


def blank_components(df: pd.DataFrame, definition: Sum) -> np.ndarray:
    """Households that give the total of `definition` and leave every one of its components blank,
    on a sheet that has component columns: the total is what they gave. Taken from the column
    normalise leaves (total_alone_column) when there is one; else one pass over the first
    component, and the others looked at only where it is blank."""
    column = total_alone_column(definition)
    if column in df.columns:
        return df[column].to_numpy(dtype=bool)
    n = len(df)
    at = np.flatnonzero(_blank(df[definition.components[0]]))
    present = df[definition.components[0]].iloc[at].notna().to_numpy(dtype=bool)
    for c in (*definition.components[1:], definition.total):
        cells = df[c].iloc[at]
        if c == definition.total:
            keep = ~_blank(cells)
        else:
            keep = _blank(cells)
            present = present | cells.notna().to_numpy(dtype=bool)
        at, present = at[keep], present[keep]
    alone = np.zeros(n, dtype=bool)
    alone[at[present]] = True
    return alone


def _sum(df: pd.DataFrame, definition: Sum) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(amount used, sum of components, whether the household gave components) for one Sum, in fen."""
    present = pd.concat([df[c].notna() for c in definition.components], axis=1).any(axis=1) \
        & ~blank_components(df, definition)
    parts = [df[f"{c}_fen"].where(df[c].notna(), 0) for c in definition.components]
    # skipna=False: a component that did not parse makes the sum unknown, not smaller.
    components = pd.concat(parts, axis=1).sum(axis=1, skipna=False).astype("Int64")
    amount = components.where(present, df[f"{definition.total}_fen"])
    return amount.astype("Int64"), components, present


def round_half_up_div(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator ÷ denominator rounded half away from zero, in integers (both Int64)."""
    num = numerator.astype("Int64")
    den = denominator.astype("Int64")
    magnitude = (2 * num.abs() + den) // (2 * den)
    return magnitude.where(num >= 0, -magnitude)


def per_capita_order(net_fen, residents) -> tuple[np.ndarray, np.ndarray]:
    """Two sort keys (for np.lexsort, the second the major) that order households by their exact
    per-capita net income, net ÷ residents, where a rounded fen would tie 3218.0033 with 3218.0014:
    the fraction of a fen left over, then the whole fen (floor). NaN where it is not computable.
    The fraction r ÷ residents (0 ≤ r < residents) orders exactly as a float: two different ones
    differ by at least 1 ÷ (residents × residents'), far above a float's error while residents stay
    below 2**26, and equal ones divide to the same float."""
    net = pd.Series(net_fen).astype("Int64")
    res = pd.Series(residents).astype("Float64").round().astype("Int64")
    usable = (net.notna() & res.notna() & (res > 0)).to_numpy(dtype=bool)
    n = net.to_numpy(dtype=np.int64, na_value=0)
    d = np.where(usable, res.to_numpy(dtype=np.int64, na_value=1), 1)
    whole, left = np.divmod(n, d)
    return (np.where(usable, left / d, np.nan), np.where(usable, whole.astype(float), np.nan))


def compute(households: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Adds total_income_used_fen, production_expenses_used_fen (and their component sums),
    net_income_fen and per_capita_fen (rounded to the fen, for display only)."""
    df = households
    income, income_components, has_income_components = _sum(df, rules.income)
    expenses, expense_components, has_expense_components = _sum(df, rules.expenses)
    df["total_income_used_fen"] = income
    df["income_components_fen"] = income_components.where(has_income_components)
    df["production_expenses_used_fen"] = expenses
    df["expense_components_fen"] = expense_components.where(has_expense_components)
    df["net_income_fen"] = (income - expenses).astype("Int64")
    # A row read shifted has no figures: a per-capita of −5,890.75 from its misplaced amounts would be
    # read as a fact about the household. Its fields_beyond_header (or row_longer_than_header) says why.
    shifted = read_shifted(df)
    if shifted.any():
        for column in ("total_income_used_fen", "income_components_fen", "production_expenses_used_fen",
                       "expense_components_fen", "net_income_fen"):
            df[column] = df[column].mask(shifted)
    residents = df["residents"].astype("Int64")
    usable = residents.notna() & (residents > 0) & df["net_income_fen"].notna()
    per_capita = round_half_up_div(df["net_income_fen"].where(usable), residents.where(usable, 1))
    df["per_capita_fen"] = per_capita.where(usable).astype("Int64")
    df["computable"] = np.asarray(usable.fillna(False), dtype=bool)
    return df
