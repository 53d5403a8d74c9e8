"""Professional learning the librarian designs and leads (DESIGN.md §2 "learning", issue 7)."""
