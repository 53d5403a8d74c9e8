"""Text folding: the translate table built from the parts of Unicode that hold
marks and digits is the one a loop over every code point would build."""

from __future__ import annotations

import sys

from shelfwise.search.text import _ARABIC, _fold_entries, _fold_table, fold


def test_the_fold_table_misses_no_mark_or_digit_anywhere_in_unicode():
    everything = _fold_entries(range(sys.maxunicode + 1))
    everything.update(_ARABIC)
    assert _fold_table() == everything


def test_folding_drops_marks_and_case_and_makes_digits_ascii():
    assert fold("Los Volcanes de México") == "los volcanes de mexico"
    assert fold("كِتَابٌ") == "كتاب"
    assert fold("٢٠٢٤ ߁") == "2024 1"
    assert fold("e\U000e0100") == "e"  # a variation selector of plane 14 goes too
