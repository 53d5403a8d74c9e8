"""Instructional collaboration and library scheduling (DESIGN.md §2 "instruction", issue 5)."""
