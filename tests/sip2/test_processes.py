"""`shelfwise sip2 --processes 2`: worker processes share the port, the connections
(evenly) and the per-kiosk cap."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.sip2.conftest import Client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_two_processes_serve_and_share_the_cap(kiosk, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the subprocess is pointed at the test database file")
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "LOG_LEVEL": "INFO",
    }
    log = (tmp_path / "sip2.log").open("wb")
    crowd: list[Client] = []
    server = subprocess.Popen(
        [sys.executable, "-m", "shelfwise.cli", "sip2", f"--port={port}", "--processes=2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120  # a loaded machine starts Django slowly
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        clients = [Client(port) for _ in range(3)]
        replies = [c.login().fixed["ok"] for c in clients]
        assert sorted(replies) == ["0", "1", "1"]  # max_connections = 2, across processes
        for c, ok in zip(clients, replies, strict=True):
            if ok == "1":
                status = c.send(
                    "99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"}
                )
                assert status.get("AO") == "LMS"
            c.close()
        time.sleep(0.5)
        again = Client(port)
        assert again.login().fixed["ok"] == "1"  # released when the others closed
        again.close()
        # Connections go to the worker with the fewest open, whatever the kernel
        # would wake: four kiosks at once are two a worker.
        crowd += [Client(port) for _ in range(4)]
        for c in crowd:
            c.send("99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"})
    finally:
        server.terminate()
        server.wait(20)
        log.close()
    assert server.returncode is not None
    for c in crowd:
        c.close()
    taken = re.findall(r"process (\d+) took a connection", (tmp_path / "sip2.log").read_text())
    assert len(taken) == 1 + 3 + 1 + 4  # the probe, the three, the one again, the four
    last_four = taken[-4:]
    assert sorted(last_four.count(pid) for pid in set(last_four)) == [2, 2]
