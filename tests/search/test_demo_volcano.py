"""Issue 4, "done when": a newcomer finds the Spanish volcano book of the demo in two steps.

The demo catalog is `catalog.generate.demo_records` (what `shelfwise demo`
imports). Importing all 2,400 records takes minutes, so the test takes the
demo's own volcano records plus a slice of the rest, through the same
catalog service, and walks the pages a newcomer would: the home page is
the search box; step 1 searches "volcanoes", step 2 picks Spanish.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from shelfwise.catalog.generate import demo_records
from shelfwise.catalog.services import record_create

pytestmark = pytest.mark.django_db


def _subjects(record) -> str:
    return " ".join(field.value() for field in record.get_fields("650"))


def test_newcomer_finds_the_spanish_volcano_book_in_two_steps(client):
    records = list(demo_records(count=2400))
    volcano = [r for r in records if "Volcanoes" in _subjects(r)]
    spanish = [r for r in volcano if r["008"].data[35:38] == "spa"]
    assert spanish, "the demo catalog has a Spanish book about volcanoes"
    for record in volcano + [r for r in records if r not in volcano][:150]:
        record_create(marc_record=record, by=None)

    # The front page leads straight to the catalog search box.
    front = client.get("/", follow=True)
    assert 'id="opac-q"' in front.content.decode()

    # Step 1: search.
    step1 = client.get("/search/", {"q": "volcanoes"}).content.decode()
    assert "Los volcanes" in step1
    link = re.search(
        r'<a href="([^"]+)"[^>]*><span class="opac-facet__label">Spanish</span>', step1
    )
    assert link, "the results offer Spanish as a language"

    # Step 2: choose Spanish. Only Spanish books remain, the volcano book among them.
    step2 = client.get(unescape(link.group(1))).content.decode()
    titles = re.findall(r'class="opac-hit__title"><a href="[^"]+">([^<]+)</a>', step2)
    assert titles and all(t.startswith("Los volcanes") for t in titles), titles
    assert len(titles) == len(spanish)
