"""`shelfwise bench sip2` works end to end at a tiny size (figures not checked: they mean
something only at full size on a quiet machine). Its own checks are: every reply as
expected, every loan the kiosks made returned and unlinked, copies out = open loans."""

from __future__ import annotations

import io
import os
import re
from concurrent.futures import ThreadPoolExecutor

from django.core.management import call_command


def test_bench_sip2_at_a_tiny_size():
    url = os.environ.get("DATABASE_URL", "")
    extra = [f"--database-url={url}"] if url.startswith(("postgres://", "postgresql://")) else []
    out = io.StringIO()

    def run() -> None:
        call_command(
            "bench", "sip2", "--students=60", "--items=300", "--records=60", "--kiosks=2",
            "--seconds=2", *extra, stdout=out,
        )  # fmt: skip

    # In a thread of its own: the benchmark's client runs asyncio, and the browser
    # tests' Playwright may already hold an event loop in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()
    text = out.getvalue()
    assert "2 kiosks at once" in text and "messages/s" in text
    assert " 0 failed replies" in text
    assert re.search(
        r"[1-9][\d,]* checkouts by kiosks in the audit log, 0 of their loans still open, 0 kept",
        text,
    )
    copies, loans = re.search(r"([\d,]+) copies out = ([\d,]+) open loans", text).groups()
    assert copies == loans
