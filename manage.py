#!/usr/bin/env python
"""Django's manage.py; `shelfwise` (the console script) does the same."""

from shelfwise.cli import main

if __name__ == "__main__":
    main()
