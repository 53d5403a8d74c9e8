"""The REAL expectations: defaults in every interface language, a school's own wording per
language falling back to its English wording, the editor (librarian only), the poster."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.audit.models import AuditEntry
from shelfwise.programs.models import NormText
from shelfwise.programs.norms import norms_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def edit_data(heading_suffix="", lang="en"):
    data = {"lang": lang}
    for letter, word in zip(
        "REAL", ["Respect", "Engagement", "Accountability", "Leadership"], strict=True
    ):
        data[f"heading_{letter}"] = f"{word}{heading_suffix}"
        data[f"body_{letter}"] = f"First {word} line\nSecond {word} line"
    return data


def test_defaults_are_published_without_login_in_each_language(personas, client):
    html = client.get("/programs/norms/LMS/").content.decode()
    assert all(word in html for word in ("Respect", "Engagement", "Accountability", "Leadership"))
    assert "Return or renew books on time." in html
    spanish = client.get("/programs/norms/LMS/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Respeto" in spanish
    arabic = client.get("/programs/norms/LMS/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in arabic and "الاحترام" in arabic


def test_schools_english_wording_is_the_fallback_for_other_languages(personas, client):
    client.force_login(personas.librarian)
    assert client.post("/programs/expectations/edit/", edit_data(" (ours)")).status_code == 302
    norms = norms_for(school=personas.school, language="es")
    assert norms[0].heading == "Respect (ours)" and norms[0].language == "en"
    client.post("/programs/expectations/edit/?lang=es", edit_data(" (nuestro)", lang="es"))
    norms = norms_for(school=personas.school, language="es")
    assert norms[0].heading == "Respect (nuestro)" and norms[0].language == "es"
    assert norms[0].lines == ["First Respect line", "Second Respect line"]
    # Another school keeps the defaults.
    assert norms_for(school=personas.other_school, language="en")[0].heading == "Respect"
    assert AuditEntry.objects.filter(action="programs.norms_save").count() == 2
    page = client.get("/programs/norms/LMS/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in page and "Respect (nuestro)" in page


def test_an_empty_expectation_is_refused_and_nothing_is_saved(personas, client):
    client.force_login(personas.librarian)
    data = edit_data()
    data["body_L"] = "   "
    response = client.post("/programs/expectations/edit/", data)
    assert response.status_code == 200
    assert not NormText.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "ell", "aide", "student"])
def test_only_the_librarian_edits_the_norms(personas, client, who):
    client.force_login(getattr(personas, who))
    assert client.get("/programs/expectations/edit/").status_code == 403
    assert client.post("/programs/expectations/edit/", edit_data()).status_code == 403
    assert not NormText.objects.exists()


def test_the_poster_prints(personas, client):
    html = client.get("/programs/norms/LMS/poster/").content.decode()
    assert "We are REAL in the library" in html
    assert "programs/programs.css" in html and "data-print" in html
    css = Path("shelfwise/programs/static/programs/programs.css").read_text()
    assert "@media print" in css


def test_the_editor_names_its_languages(personas, client):
    client.force_login(personas.librarian)
    html = client.get("/programs/expectations/edit/?lang=es").content.decode()
    assert ">Spanish</a>" in html and ">Arabic</a>" in html
    assert 'aria-current="page">Spanish' in html
