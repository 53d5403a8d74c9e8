"""lib/write_queue.py: SQLite writers take turns across processes, never wait on themselves."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time

import pytest
from django.db import connection, transaction

from shelfwise.lib.write_queue import _queue, write_transaction
from shelfwise.schools.models import School


def _hold_turn(seconds: float, out) -> None:
    with _queue.turn():
        started = time.monotonic()
        time.sleep(seconds)
        out.send((started, time.monotonic()))
    out.close()


@pytest.mark.django_db(transaction=True)
def test_processes_take_turns():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows: writers do not queue")
    if connection.is_in_memory_db():
        pytest.skip("an in-memory database lives in one process")
    ctx = multiprocessing.get_context("fork")
    pipes, children = [], []
    for _ in range(3):
        receive, send = ctx.Pipe(duplex=False)
        children.append(ctx.Process(target=_hold_turn, args=(0.2, send)))
        pipes.append(receive)
    for child in children:
        child.start()
    spans = sorted(pipe.recv() for pipe in pipes)
    for child in children:
        child.join(10)
        assert child.exitcode == 0
    for (_, ended), (started, _) in itertools.pairwise(spans):
        assert started >= ended  # one after the other, never two at once


@pytest.mark.django_db(transaction=True)
def test_a_write_inside_a_write_does_not_wait_on_itself():
    done = []

    def nested() -> None:
        try:
            with write_transaction():
                School.objects.create(code="Q1", name="Queue one", timezone="UTC")
                with write_transaction():
                    School.objects.create(code="Q2", name="Queue two", timezone="UTC")
            done.append(True)
        finally:
            connection.close()

    worker = threading.Thread(target=nested)
    worker.start()
    worker.join(20)
    assert done == [True]
    assert set(School.objects.filter(code__in=["Q1", "Q2"]).values_list("code", flat=True)) == {
        "Q1",
        "Q2",
    }


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_rolls_back_and_frees_the_turn():
    with pytest.raises(RuntimeError), write_transaction():
        School.objects.create(code="Q3", name="Queue three", timezone="UTC")
        raise RuntimeError("the check-out failed")
    assert not School.objects.filter(code="Q3").exists()
    with write_transaction():  # the turn was given back: this would wait forever
        School.objects.create(code="Q4", name="Queue four", timezone="UTC")
    assert School.objects.filter(code="Q4").exists()
    assert not transaction.get_connection().in_atomic_block
