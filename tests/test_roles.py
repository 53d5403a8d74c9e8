"""The role table of DESIGN.md §1, both ways: what each persona sees and may do, and not.

Home pages are tested against the real site's URLs: every app they link to exists.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from shelfwise.catalog.models import ImportJob, Item, Record
from shelfwise.people.middleware import SESSION_KEY
from shelfwise.people.models import Membership
from shelfwise.people.permissions import has_perm
from shelfwise.people.roles import CONDITIONAL_GRANTS, PERMISSIONS, Role
from tests.conftest import make_person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_password_hashing"),
]

ROLE_OF = {
    "librarian": Role.LIBRARIAN,
    "district_admin": Role.DISTRICT_ADMIN,
    "teacher": Role.TEACHER,
    "ell": Role.ELL_SPECIALIST,
    "aide": Role.AIDE,
    "student": Role.STUDENT,
}

# What only one role's home page shows (a marker each), to prove it appears
# on that page and on no other.
HOME_MARKERS = {
    "librarian": "<dt>Titles (records)</dt>",
    "district_admin": "District overview",
    "teacher": "Find books and resources for your classes",
    "ell": "Find books in your students",
    "aide": "Thanks for helping in the library today.",
    "student": "What would you like to read next?",
}


def home_html(client, person) -> str:
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- Home pages ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(HOME_MARKERS))
def test_each_home_shows_its_role_and_no_other(client, personas, name):
    html = home_html(client, getattr(personas, name))
    assert HOME_MARKERS[name] in html
    for other, marker in HOME_MARKERS.items():
        if other != name:
            assert marker not in html, f"{name}'s home shows {other}'s content"
    template = f"core/home_{ROLE_OF[name].value}.html"
    assert template in [t.name for t in client.get("/").templates]


@pytest.mark.parametrize("name", list(ROLE_OF))
def test_header_shows_school_and_role(client, personas, name):
    html = home_html(client, getattr(personas, name))
    assert '<span class="site-header__school">Lincoln Middle School</span>' in html
    assert f'<span class="role-badge">{ROLE_OF[name].label}</span>' in html


def test_librarian_home_links_cataloguing_and_counts_the_collection(client, personas):
    school = personas.school
    record = Record.objects.create(title="Esperanza Rising", marc=b"", content_hash="a")
    other_record = Record.objects.create(title="Wonder", marc=b"", content_hash="b")
    Item.objects.create(record=record, school=school, barcode="LMS-1")
    Item.objects.create(record=record, school=school, barcode="LMS-2")
    Item.objects.create(record=other_record, school=school, barcode="LMS-3")
    Item.objects.create(record=other_record, school=personas.other_school, barcode="OAK-1")
    for n in range(7):
        ImportJob.objects.create(school=school, filename=f"destiny-{n}.mrc", status="done")
    ImportJob.objects.create(school=personas.other_school, filename="oak.mrc")

    html = home_html(client, personas.librarian)
    assert "<dt>Titles (records)</dt><dd>2</dd>" in html
    assert "<dt>Copies (items)</dt><dd>3</dd>" in html
    for name in ("catalog:search", "catalog:import", "catalog:export", "catalog:record_add"):
        assert f'href="{reverse(name)}"' in html, name
    # The five latest imports of this school only.
    assert html.count("destiny-") == 5
    assert "destiny-6.mrc" in html
    assert "destiny-1.mrc" not in html
    assert "oak.mrc" not in html
    assert "Finished" in html


def test_librarian_home_without_imports_shows_an_empty_state(client, personas):
    html = home_html(client, personas.librarian)
    assert 'class="empty-state"' in html
    assert "No MARC records have been imported into this school yet." in html


@pytest.mark.parametrize("name", ["teacher", "ell", "aide", "student"])
def test_other_homes_have_no_cataloguing_links(client, personas, name):
    html = home_html(client, getattr(personas, name))
    for url_name in ("catalog:import", "catalog:export", "catalog:record_add"):
        assert f'href="{reverse(url_name)}"' not in html, url_name


def test_student_home_links_only_to_pages_a_student_may_open(client, personas):
    html = home_html(client, personas.student)
    # The staff catalog refuses students: their home must not send them there.
    assert f'action="{reverse("catalog:search")}"' not in html
    assert f'href="{reverse("catalog:search")}"' not in html


@pytest.mark.parametrize("name", ["teacher", "ell", "aide", "librarian"])
def test_homes_have_a_labelled_catalog_search(client, personas, name):
    html = home_html(client, getattr(personas, name))
    assert f'<form class="search-form" method="get" action="{reverse("catalog:search")}">' in html
    assert '<label for="catalog-q">' in html
    assert 'name="q"' in html


def test_student_home_is_the_large_type_page(client, personas):
    html = home_html(client, personas.student)
    assert '<body class="page-student">' in html
    assert "Import MARC" not in html
    assert "Administration" not in html


def test_district_admin_home_lists_every_school_with_item_counts(client, personas):
    record = Record.objects.create(title="Wonder", marc=b"", content_hash="b")
    Item.objects.create(record=record, school=personas.school, barcode="LMS-1")
    for n in range(3):
        Item.objects.create(record=record, school=personas.other_school, barcode=f"OAK-{n}")
    html = home_html(client, personas.district_admin)
    assert "Schools of the district and the copies each holds</caption>" in html
    assert '<th scope="row">Lincoln Middle School</th>' in html
    assert '<th scope="row">Oak Elementary</th>' in html
    row = html.split('<th scope="row">Oak Elementary</th>')[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in row
    assert '<td class="num">4</td>' in html.split("<tfoot>")[1]


def test_district_admin_home_query_count_does_not_grow_with_schools(
    client, personas, django_assert_max_num_queries
):
    from shelfwise.schools.models import School

    client.force_login(personas.district_admin)
    for n in range(20):
        School.objects.create(code=f"S{n}", name=f"School {n}")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_person_without_membership_gets_a_plain_welcome(client, personas, django_user_model):
    person = django_user_model.objects.create_user(username="newcomer", password="x" * 12)
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    assert "core/home_none.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "not linked to a school yet" in html
    assert "site-header__school" not in html
    for marker in HOME_MARKERS.values():
        assert marker not in html


def test_staff_person_sees_the_admin_link(client, personas):
    personas.librarian.is_staff = True
    personas.librarian.save()
    html = home_html(client, personas.librarian)
    assert f'href="{reverse("admin:index")}"' in html


# --- Navigation -----------------------------------------------------------------


def nav_html(html: str) -> str:
    return html.split('<nav class="site-nav"')[1].split("</nav>")[0]


def test_navigation_per_role(client, personas):
    lib_nav = nav_html(home_html(client, personas.librarian))
    assert f'href="{reverse("catalog:import")}"' in lib_nav
    assert f'href="{reverse("catalog:export")}"' in lib_nav
    assert 'aria-current="page"' in lib_nav
    # A district administrator holds every permission, so sees the same.
    admin_nav = nav_html(home_html(client, personas.district_admin))
    assert f'href="{reverse("catalog:import")}"' in admin_nav
    for name in ("teacher", "ell", "aide", "student"):
        nav = nav_html(home_html(client, getattr(personas, name)))
        # Students get the OPAC (issue 4), not the staff catalog, which refuses them.
        assert (f'href="{reverse("catalog:search")}"' in nav) == (name != "student"), name
        assert f'href="{reverse("catalog:import")}"' not in nav, name
        assert f'href="{reverse("catalog:export")}"' not in nav, name


def test_login_page_has_no_navigation(client):
    html = client.get(reverse("login")).content.decode()
    assert "site-nav" not in html


# --- has_perm: every permission × persona ----------------------------------


def expected(name: str, perm: str) -> bool:
    if name == "district_admin":
        return True
    if name == "outsider":
        return False  # a librarian, but of OAK: nothing in LMS
    if (ROLE_OF[name], perm) in CONDITIONAL_GRANTS:
        # The aide holds the desk only during a shift; these personas have none.
        # tests/programs/test_desk_shifts.py covers the grant during a shift.
        return False
    return ROLE_OF[name] in PERMISSIONS[perm]


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
def test_has_perm_follows_the_role_table_in_the_school(personas, perm):
    for name, person in personas.all().items():
        assert has_perm(person, perm, personas.school) is expected(name, perm), (name, perm)
        assert has_perm(person, perm, personas.school.pk) is expected(name, perm), (name, perm)


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
def test_outsider_holds_librarian_rights_only_in_their_own_school(personas, perm):
    granted = Role.LIBRARIAN in PERMISSIONS[perm]
    assert has_perm(personas.outsider, perm, personas.other_school) is granted
    assert has_perm(personas.outsider, perm, personas.school) is False
    # Members of LMS (bar the district admin) hold nothing in OAK.
    for name in ("librarian", "teacher", "ell", "aide", "student"):
        assert has_perm(getattr(personas, name), perm, personas.other_school) is False
    assert has_perm(personas.district_admin, perm, personas.other_school) is True


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
def test_inactive_people_hold_nothing(personas, perm):
    for name, person in personas.all().items():
        person.is_active = False
        person.save()
        assert has_perm(person, perm, personas.school) is False, name
        assert has_perm(person, perm, personas.other_school) is False, name


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
def test_anonymous_and_no_school_hold_nothing(personas, perm):
    from django.contrib.auth.models import AnonymousUser

    assert has_perm(AnonymousUser(), perm, personas.school) is False
    assert has_perm(personas.librarian, perm, None) is False


def test_every_role_holds_something_or_is_meant_not_to():
    held = {role for roles in PERMISSIONS.values() for role in roles}
    # Teachers and students have no staff-only permission *yet*; their pages
    # are guarded by login alone. Every other role appears in the table.
    assert {Role.LIBRARIAN, Role.ELL_SPECIALIST, Role.AIDE} <= held


def test_unknown_permission_is_a_bug(personas):
    with pytest.raises(KeyError):
        has_perm(personas.librarian, "catalog.nonsense", personas.school)


# --- School switcher ----------------------------------------------------------


def test_switcher_hidden_for_one_membership(client, personas):
    html = home_html(client, personas.teacher)
    assert 'id="school-switcher"' not in html


def test_switcher_shown_for_district_admin_with_every_school(client, personas):
    html = home_html(client, personas.district_admin)
    switcher = html.split('id="school-switcher"')[1].split("</select>")[0]
    assert "Lincoln Middle School" in switcher
    assert "Oak Elementary" in switcher
    assert '<label for="school-switcher">' in html


def test_person_with_two_memberships_switches_between_them(client, personas):
    Membership.objects.create(
        person=personas.teacher, school=personas.other_school, role=Role.LIBRARIAN
    )
    html = home_html(client, personas.teacher)
    switcher = html.split('id="school-switcher"')[1].split("</select>")[0]
    assert "Oak Elementary" in switcher

    # Memberships are ordered by school name: Lincoln first, as a teacher.
    assert "core/home_teacher.html" in [t.name for t in client.get("/").templates]
    response = client.post(reverse("switch_school"), {"school": personas.other_school.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == personas.other_school.pk
    response = client.get("/")
    assert response.wsgi_request.school == personas.other_school
    assert "core/home_librarian.html" in [t.name for t in response.templates]
    assert '<span class="site-header__school">Oak Elementary</span>' in response.content.decode()


def test_district_admin_switches_to_any_school(client, personas):
    client.force_login(personas.district_admin)
    client.post(reverse("switch_school"), {"school": personas.other_school.pk})
    response = client.get("/")
    assert response.wsgi_request.school == personas.other_school
    assert response.wsgi_request.membership.role == Role.DISTRICT_ADMIN


@pytest.mark.parametrize("name", ["teacher", "student", "librarian"])
def test_switching_to_a_school_without_membership_is_ignored(client, personas, name):
    client.force_login(getattr(personas, name))
    response = client.post(reverse("switch_school"), {"school": personas.other_school.pk})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get("/").wsgi_request.school == personas.school


def test_switching_says_what_happened_as_an_alert(client, personas):
    client.force_login(personas.district_admin)
    response = client.post(
        reverse("switch_school"), {"school": personas.other_school.pk}, follow=True
    )
    html = response.content.decode()
    assert '<div class="alert alert--success" role="status">' in html
    assert "You are now working in Oak Elementary." in html

    client.force_login(personas.teacher)
    response = client.post(
        reverse("switch_school"), {"school": personas.other_school.pk}, follow=True
    )
    html = response.content.decode()
    assert '<div class="alert alert--error" role="alert">' in html
    assert '<strong class="alert__label">Error:</strong>' in html
    assert "You cannot work in that school." in html


def test_switcher_rejects_garbage_and_get(client, personas):
    client.force_login(personas.district_admin)
    assert client.get(reverse("switch_school")).status_code == 405
    response = client.post(reverse("switch_school"), {"school": "'; DROP TABLE"})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_switcher_needs_login(client, personas):
    response = client.post(reverse("switch_school"), {"school": personas.school.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_roles_of_a_new_membership_apply_at_once(client, personas):
    person = make_person("newlib", personas.other_school, Role.LIBRARIAN)
    assert has_perm(person, "catalog.edit", personas.other_school)
    assert not has_perm(person, "catalog.edit", personas.school)


# --- Django admin ---------------------------------------------------------------


def test_admin_lists_and_edits_schools_people_and_audit(client, personas):
    from shelfwise.audit.services import audit_log

    entry = audit_log(actor=personas.librarian, action="test.action", obj=personas.school)
    admin_user = make_person("root", personas.school, Role.LIBRARIAN)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    pages = [
        "admin:schools_school_changelist",
        "admin:schools_bellperiod_changelist",
        "admin:schools_closedday_changelist",
        "admin:people_person_changelist",
        "admin:people_membership_changelist",
        "admin:audit_auditentry_changelist",
    ]
    for name in pages:
        assert client.get(reverse(name)).status_code == 200, name
    html = client.get(reverse("admin:people_person_change", args=[personas.student.pk]))
    assert html.status_code == 200
    content = html.content.decode()
    assert "patron_barcode" in content  # profile fields
    assert "memberships-0-role" in content  # memberships inline
    # The audit log is read-only, even for a superuser.
    audit_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(audit_url).status_code == 200
    assert client.post(audit_url, {"action": "changed"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403


def test_a_page_reads_the_memberships_once(client, personas):
    """The permission check reuses the memberships the middleware loaded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.librarian)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/circulation/desk/").status_code == 200
    membership_reads = [q for q in queries.captured_queries if "people_membership" in q["sql"]]
    assert len(membership_reads) == 1, "\n".join(q["sql"][:300] for q in membership_reads)
