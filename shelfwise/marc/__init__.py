"""MARC 21 reading, field extraction, holdings and export for Shelfwise, on top of pymarc.

Pure Python with no Django imports, so the catalog app, the CLI and tests can all use it.
"""
