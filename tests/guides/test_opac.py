"""Published guides show in the OPAC: on a record's page, to readers who may open them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shelfwise.guides import services
from tests.conftest import make_person

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def guide(personas, unit):
    guide = services.guide_create(
        school=personas.school, by=personas.teacher, title="Volcanoes unit", classes=[unit.science]
    )
    section = services.section_add(guide=guide, by=personas.teacher, title="Books")
    services.resource_add(
        section=section, by=personas.teacher, kind="record", record=unit.records["los_volcanes"]
    )
    services.guide_translation_set(
        guide=guide, by=personas.teacher, language="es", title="Unidad de volcanes"
    )
    return guide


def record_page(client, unit, **headers):
    url = reverse("search:record", args=[unit.records["los_volcanes"].pk])
    return client.get(url, **headers).content.decode()


def test_student_of_the_class_sees_the_published_guide_in_their_language(
    client, personas, unit, guide
):
    client.force_login(personas.student)
    assert "Volcanoes unit" not in record_page(client, unit)  # a draft: not yet
    services.guide_publish(guide=guide, by=personas.teacher)
    html = record_page(client, unit)
    assert "In guides for your classes" in html and "Volcanoes unit" in html
    assert reverse("guides:shared", args=[guide.share_token]) in html
    assert "Unidad de volcanes" in record_page(client, unit, HTTP_ACCEPT_LANGUAGE="es")


def test_other_students_do_not_see_it(client, personas, unit, guide):
    services.guide_publish(guide=guide, by=personas.teacher)
    outsider = make_person("other", personas.school, "student", grade="06")
    client.force_login(outsider)
    assert "Volcanoes unit" not in record_page(client, unit)
    client.logout()
    assert "Volcanoes unit" not in record_page(client, unit)


def test_opac_links_to_the_guides_page(client, personas):
    client.force_login(personas.student)
    html = client.get(reverse("search:opac")).content.decode()
    assert reverse("guides:index") in html
