"""Collection development: analysis, weeding, acquisitions (DESIGN.md §2 "collection", issue 6)."""
