"""Sheet XML made a column at a time (outputs/sheetdata.py): a text that begins or ends with white
space keeps it (xml:space="preserve", without which Excel drops it), and only such a text is marked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from edgescreen.outputs.sheetdata import cells

_EDGE = " \t\n\r"
_TEXT = st.text(alphabet=st.sampled_from(["a", "中", " ", "\t", "\n", "\r", "&", "<"]), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=40))
def test_only_the_texts_with_white_space_at_an_end_are_marked_preserved(values):
    made = cells("text_or_blank", values, None)
    assert len(made) == len(values)
    for value, cell in zip(values, made):
        if not value:
            assert cell == "<c/>"
        else:
            assert ('xml:space="preserve"' in cell) == (value[0] in _EDGE or value[-1] in _EDGE), (value, cell)


def test_a_column_without_white_space_at_the_ends_is_marked_nowhere():
    made = cells("text", ["张三", "李 四", "a\tb", "王五"], None)
    assert not any("preserve" in cell for cell in made)
    assert made[1] == '<c t="inlineStr"><is><t>李 四</t></is></c>'
