"""The cases of issue 12 still to be fixed: collected as strict xfails (tests/conftest.py), so main stays
green and a case fixed but still listed here fails the run (XPASS). Strike a line when its fix lands.
(Node ids as pytest writes them: non-ASCII parameters escaped.)"""

PENDING = {
    r'tests/test_field_formats.py::test_impossible_option_values_are_usage_errors[--publicity-start-9999-12-31]',
}
