"""DESIGN.md §1 for guides, grant by grant and denial by denial, through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shelfwise.audit.models import AuditEntry
from shelfwise.guides import services
from shelfwise.guides.access import guide_can_edit, guide_can_read, readable_guides
from shelfwise.guides.models import Guide
from shelfwise.people.models import SchoolClass
from tests.conftest import make_person
from tests.guides.conftest import enroll

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def guides(personas, unit):
    """The teacher's draft and published guides, the ELL specialist's own, another
    school's, and a published public one."""
    teacher, ell = personas.teacher, personas.ell
    draft = services.guide_create(
        school=personas.school, by=teacher, title="Draft", classes=[unit.science]
    )
    shared = services.guide_create(
        school=personas.school, by=teacher, title="Shared", classes=[unit.science]
    )
    services.guide_publish(guide=shared, by=teacher)
    other_class = services.guide_create(
        school=personas.school, by=ell, title="ELD only", classes=[unit.eld]
    )
    services.guide_publish(guide=other_class, by=ell)
    public = services.guide_create(
        school=personas.school, by=ell, title="Public", visibility=Guide.Visibility.PUBLIC
    )
    services.guide_publish(guide=public, by=ell)
    elsewhere = services.guide_create(
        school=personas.other_school, by=personas.outsider, title="OAK"
    )
    return {
        "draft": draft,
        "shared": shared,
        "other_class": other_class,
        "public": public,
        "elsewhere": elsewhere,
    }


# who → guides they may edit
EDIT = {
    "librarian": {"draft", "shared", "other_class", "public"},
    "district_admin": {"draft", "shared", "other_class", "public", "elsewhere"},
    "teacher": {"draft", "shared"},
    "ell": {"other_class", "public"},
    "aide": set(),
    "student": set(),
    "outsider": {"elsewhere"},
}
# who → guides they may read
READ = {
    "librarian": {"draft", "shared", "other_class", "public"},
    "district_admin": {"draft", "shared", "other_class", "public", "elsewhere"},
    "teacher": {"draft", "shared", "other_class", "public"},
    "ell": {"shared", "other_class", "public"},
    "aide": {"public"},  # not enrolled in Science 6 or ELD 4
    "student": {"shared", "public"},  # Sami is in Science 6
    "outsider": {"elsewhere", "public"},
}


@pytest.mark.parametrize("who", list(EDIT))
def test_edit_rights(personas, guides, who):
    person = getattr(personas, who)
    assert {name for name, g in guides.items() if guide_can_edit(person, g)} == EDIT[who]


@pytest.mark.parametrize("who", list(READ))
def test_read_rights(personas, guides, who):
    person = getattr(personas, who)
    assert {name for name, g in guides.items() if guide_can_read(person, g)} == READ[who]


def test_anonymous_reads_only_public_published(guides):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert {n for n, g in guides.items() if guide_can_read(anonymous, g)} == {"public"}


def test_student_sees_only_published_guides_of_their_classes_or_public(personas, guides):
    titles = set(
        readable_guides(person=personas.student, school=personas.school).values_list(
            "title", flat=True
        )
    )
    assert titles == {"Shared", "Public"}


def test_co_owner_may_edit(personas, guides):
    services.guide_update(
        guide=guides["draft"], by=personas.teacher, editors=[personas.teacher, personas.ell]
    )
    assert guide_can_edit(personas.ell, guides["draft"])


def test_inactive_class_shares_nothing(personas, guides, unit):
    SchoolClass.objects.filter(pk=unit.science.pk).update(active=False)
    assert not guide_can_read(personas.student, guides["shared"])


@pytest.mark.parametrize(
    ("who", "status"),
    # The outsider holds guides.edit in their own school: the guide itself says 404.
    [("teacher", 200), ("librarian", 200), ("ell", 404), ("student", 403), ("aide", 403),
     ("outsider", 404)],
)  # fmt: skip
def test_edit_page(client, personas, guides, who, status):
    client.force_login(getattr(personas, who))
    response = client.get(reverse("guides:edit", args=[guides["draft"].pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 200), ("teacher", 200), ("aide", 404), ("outsider", 404)],
)
def test_reader_page(client, personas, guides, who, status):
    client.force_login(getattr(personas, who))
    response = client.get(reverse("guides:detail", args=[guides["shared"].pk]))
    assert response.status_code == status


def test_student_cannot_open_a_draft_even_of_their_class(client, personas, guides):
    client.force_login(personas.student)
    assert client.get(reverse("guides:detail", args=[guides["draft"].pk])).status_code == 404
    shared_link = reverse("guides:shared", args=[guides["draft"].share_token])
    assert client.get(shared_link).status_code == 404


def test_share_link_sends_anonymous_to_login_unless_public(client, guides):
    response = client.get(reverse("guides:shared", args=[guides["shared"].share_token]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.get(reverse("guides:shared", args=[guides["public"].share_token]))
    assert response.status_code == 200
    assert b"Public" in response.content
    assert client.get(reverse("guides:shared", args=["not-a-token"])).status_code == 404


def test_share_link_for_the_student_of_the_class(client, personas, guides):
    client.force_login(personas.student)
    response = client.get(reverse("guides:shared", args=[guides["shared"].share_token]))
    assert response.status_code == 200


def test_reset_share_link_retires_the_old_one(client, personas, guides):
    old = guides["public"].share_token
    client.force_login(personas.ell)
    client.post(reverse("guides:share", args=[guides["public"].pk]))
    assert client.get(reverse("guides:shared", args=[old])).status_code == 404


def test_teacher_cannot_write_to_a_colleagues_guide(client, personas, guides):
    client.force_login(personas.teacher)
    target = guides["other_class"]
    for name in ("publish", "delete", "section_add", "translation"):
        response = client.post(reverse(f"guides:{name}", args=[target.pk]), {"title": "x"})
        assert response.status_code == 404, name
    assert Guide.objects.filter(pk=target.pk, title="ELD only").exists()
    assert not target.sections.exists()


def test_teacher_sees_bands_not_languages_librarian_both(client, personas, guides):
    client.force_login(personas.teacher)
    response = client.get(reverse("guides:access", args=[guides["shared"].pk]))
    assert response.status_code == 200
    assert response.context["check"].languages is None
    assert "Spanish" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="guides.view_language_coverage").exists()
    client.force_login(personas.librarian)
    response = client.get(reverse("guides:access", args=[guides["shared"].pk]))
    assert "Spanish" in response.content.decode()
    assert AuditEntry.objects.filter(
        action="guides.view_language_coverage", actor_id=personas.librarian.pk
    ).exists()


def test_access_page_names_no_student(client, personas, guides, unit):
    client.force_login(personas.librarian)
    html = client.get(reverse("guides:access", args=[guides["shared"].pk])).content.decode()
    for person in unit.students.values():
        assert person.first_name not in html


def test_ell_specialist_sees_coverage_of_any_guide_of_the_school(client, personas, guides):
    client.force_login(personas.ell)
    response = client.get(reverse("guides:access", args=[guides["shared"].pk]))
    assert response.status_code == 200 and response.context["with_languages"]


def test_students_cannot_open_access_check(client, personas, guides):
    client.force_login(personas.student)
    assert client.get(reverse("guides:access", args=[guides["shared"].pk])).status_code == 404


def test_new_student_of_the_class_gets_access(personas, guides, unit):
    newcomer = make_person("newkid", personas.school, "student", grade="06")
    assert not guide_can_read(newcomer, guides["shared"])
    enroll(unit.science, newcomer)
    assert guide_can_read(newcomer, guides["shared"])


def test_collaboration_participants_edit_its_guide(client, personas, unit):
    from shelfwise.instruction.models import Collaboration, Participant

    collaboration = Collaboration.objects.create(
        school=personas.school, title="Volcano research", kind="research", requested_by=personas.ell
    )
    Participant.objects.create(collaboration=collaboration, person=personas.ell, role="requester")
    guide = services.guide_create(
        school=personas.school, by=personas.librarian, title="Research guide"
    )
    assert not guide_can_edit(personas.teacher, guide)
    services.guide_update(guide=guide, by=personas.librarian, collaboration=collaboration)
    assert guide_can_edit(personas.ell, guide)  # takes part
    assert not guide_can_edit(personas.teacher, guide)  # does not
    Participant.objects.create(
        collaboration=collaboration, person=personas.teacher, role="co_teacher"
    )
    assert guide_can_edit(personas.teacher, guide)
    client.force_login(personas.teacher)
    assert client.get(reverse("guides:edit", args=[guide.pk])).status_code == 200
    assert client.get(reverse("guides:index")).context["mine"] == [guide]


def test_guide_cannot_join_another_schools_collaboration(personas):
    from shelfwise.guides.services import GuideError
    from shelfwise.instruction.models import Collaboration

    elsewhere = Collaboration.objects.create(
        school=personas.other_school, title="OAK", kind="unit", requested_by=personas.outsider
    )
    with pytest.raises(GuideError):
        services.guide_create(
            school=personas.school, by=personas.teacher, title="x", collaboration=elsewhere
        )
    assert not Guide.objects.filter(title="x").exists()


def test_new_guide_from_a_collaboration_starts_with_its_classes(client, personas, unit):
    from shelfwise.instruction.models import Collaboration, Participant

    collaboration = Collaboration.objects.create(
        school=personas.school,
        title="Volcano research",
        kind="research",
        requested_by=personas.teacher,
        grade="06",
    )
    collaboration.classes.set([unit.science])
    Participant.objects.create(
        collaboration=collaboration, person=personas.teacher, role="requester"
    )
    client.force_login(personas.teacher)
    form = client.get(reverse("guides:create"), {"collaboration": collaboration.pk}).context["form"]
    assert form.initial["collaboration"] == collaboration
    assert form.initial["classes"] == [unit.science]
    client.force_login(personas.aide)
    assert (
        client.get(reverse("guides:create"), {"collaboration": collaboration.pk}).status_code == 403
    )


def test_editor_links_back_to_the_collaboration(client, personas):
    from shelfwise.instruction.models import Collaboration

    collaboration = Collaboration.objects.create(
        school=personas.school, title="Volcano research", kind="research", requested_by=personas.ell
    )
    guide = services.guide_create(
        school=personas.school, by=personas.librarian, title="G", collaboration=collaboration
    )
    client.force_login(personas.librarian)
    html = client.get(reverse("guides:edit", args=[guide.pk])).content.decode()
    assert reverse("instruction:detail", args=[collaboration.pk]) in html
