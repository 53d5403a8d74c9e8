"""`shelfwise serve`: the web server (gunicorn), the task worker and the SIP2 server, together.

All are child processes; stopping `serve` (Ctrl-C or SIGTERM) stops them all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Shelfwise with gunicorn and run the background task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 3)))
        parser.add_argument("--no-worker", action="store_true", help="web server only")
        parser.add_argument(
            "--sip2-port", type=int, default=6001, help="SIP2 server for self-check kiosks"
        )
        parser.add_argument("--no-sip2", action="store_true", help="no SIP2 server")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        children: list[subprocess.Popen] = []
        web = [
            python,
            "-m",
            "gunicorn",
            "shelfwise.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        children.append(subprocess.Popen(web))
        if not options["no_worker"]:
            worker = [python, "-m", "shelfwise.cli", "db_worker", "--interval", "1"]
            children.append(subprocess.Popen(worker))
        if not options["no_sip2"]:
            sip2 = [python, "-m", "shelfwise.cli", "sip2", "--host", options["host"]]
            children.append(subprocess.Popen([*sip2, "--port", str(options["sip2_port"])]))
        self.stdout.write(f"Shelfwise is serving on http://{options['host']}:{options['port']}/")

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
