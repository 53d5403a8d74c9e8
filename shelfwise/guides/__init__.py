"""Curated resource guides with an access check (DESIGN.md §2 "guides", issue 5)."""
