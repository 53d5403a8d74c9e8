"""The librarian's dashboard and the annual report (DESIGN.md §2 "reports", issue 7)."""
