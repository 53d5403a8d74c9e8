"""The OneRoster package stays plain Python: importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_django_imports():
    code = (
        "import sys, shelfwise.oneroster, shelfwise.oneroster.generate; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env={}
    )
    assert out.stdout.strip() == "[]"
