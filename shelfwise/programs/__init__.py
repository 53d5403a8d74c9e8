"""Library programs, student aides and leaders, the REAL expectations.

DESIGN.md §2 "programs and leadership", issue 7.
"""
