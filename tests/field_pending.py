"""The cases of issue 12 still to be fixed: collected as strict xfails (tests/conftest.py), so main stays
green and a case fixed but still listed here fails the run (XPASS). Strike a line when its fix lands.
(Node ids as pytest writes them: non-ASCII parameters escaped.)"""

PENDING = {
    r'tests/test_field_crashes.py::test_long_village_names_give_one_bounded_workbook_each',
    r'tests/test_field_crashes.py::test_a_full_disk_is_named_as_a_full_disk_and_where',
    r'tests/test_field_crashes.py::test_an_output_path_too_long_is_named',
    r'tests/test_field_formats.py::test_impossible_option_values_are_usage_errors[--publicity-start-9999-12-31]',
    r'tests/test_field_households.py::test_villages_whose_file_names_sanitise_alike_each_get_one_workbook',
    r'tests/test_field_privacy.py::test_ids_and_phones_typed_with_separators_inside_printed_cells_are_masked',
    r'tests/test_field_privacy.py::test_a_head_named_with_a_leading_minus_is_written_as_typed',
    r'tests/test_field_processes.py::test_a_signal_while_writing_leaves_nothing_behind_and_says_so_in_one_line[SIGTERM-15-False]',
    r'tests/test_field_processes.py::test_a_signal_while_writing_leaves_nothing_behind_and_says_so_in_one_line[SIGHUP-1-False]',
    r'tests/test_field_processes.py::test_a_signal_while_writing_leaves_nothing_behind_and_says_so_in_one_line[SIGINT-2-True]',
    r'tests/test_field_processes.py::test_a_second_run_into_an_output_folder_being_written_is_refused',
    r'tests/test_field_processes.py::test_a_killed_runs_staging_folder_is_removed_by_the_next_run',
}
