"""抽查核实: the statistics of a spot check (issue 17, after-screening.md §5).

Two steps, each a pure function of DataFrames (no files, no printing; the forms, the CLI and the
reading of filled forms are built on top):

1. `draw_sample(households, key=..., seed=...)` → `SampleDesign`: villages per township, then
   listed (status == "candidate") and unlisted households per village, by rates with a per-village
   cap or by a target margin; reproducible from the seed (`new_seed()` when the user gives none).
   Formulas in `edgescreen.spotcheck.design`.
2. Join the verification onto `design.households` by index (`wrongly_listed`, `wrongly_unlisted`,
   optionally `fields_compared`/`fields_differing` and `enumerator`), then
   `error_rates(verified)` → weighted 错评/漏评/field error rates with Wilson intervals for the
   county, each township, village and enumerator, and `enumerator_outliers(verified)` → the
   enumerators whose errors stand out (exact binomial test, Holm–Bonferroni). Formulas in
   `edgescreen.spotcheck.estimate`.

Errors the user can fix raise `SpotCheckError`, an `EdgescreenError`.

On top of them, the two commands (`edgescreen sample`, `edgescreen backcheck`): source.py reads a
ledger or a register round; forms.py writes the blind verification form (入户核查表) and reads a
filled one back; sample.py draws and writes the sample's folder (`sample_into`); backcheck.py checks
the filled forms, screens the verified values through the pipeline and compares (`run_backcheck`,
`assess`); report.py writes backcheck.xlsx and report.html (`backcheck_into`).
"""

from .design import (
                     LISTED,
                     UNLISTED,
                     PrecisionSampleSize,
                     SampleDesign,
                     SampleOptions,
                     SpotCheckError,
                     draw_sample,
                     new_seed,
                     precision_sample_size,
                     stratum_of,
                     z_value,
)
from .estimate import (
                     FIELD_ERROR,
                     RATES,
                     WRONGLY_LISTED,
                     WRONGLY_UNLISTED,
                     RateEstimate,
                     binomial_upper_tail,
                     enumerator_outliers,
                     error_rates,
                     estimate_rate,
                     holm_adjust,
                     wilson_interval,
)

__all__ = ["LISTED", "UNLISTED", "PrecisionSampleSize", "SampleDesign", "SampleOptions", "SpotCheckError",
           "draw_sample", "new_seed", "precision_sample_size", "stratum_of", "z_value",
           "FIELD_ERROR", "RATES", "WRONGLY_LISTED", "WRONGLY_UNLISTED", "RateEstimate",
           "binomial_upper_tail", "enumerator_outliers", "error_rates", "estimate_rate", "holm_adjust",
           "wilson_interval"]
