"""Programs and events: the librarian's editor, attendance counts, photos, and the
public list anyone can read in their own language."""

from __future__ import annotations

import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shelfwise.audit.models import AuditEntry
from shelfwise.programs.models import Program, ProgramAttendance, ProgramPhoto
from shelfwise.programs.services import languages_parse, program_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
NY = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_program(personas, *, days=5, published=True, title="Family literacy night", **extra):
    starts = timezone.now() + timedelta(days=days)
    fields = {
        "title": title, "kind": "family_literacy", "audience": "families", "grades": "6–8",
        "partners": "ELL department", "starts_at": starts, "ends_at": starts + timedelta(hours=2),
        "location": "Library", "description": "Stories and snacks.",
        "materials": "Bilingual books\nBookmarks",
        "published": published,
    }  # fmt: skip
    fields.update(extra)
    return program_save(
        school=personas.school, by=personas.librarian, languages=["eng", "spa", "ara"], **fields
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_languages_are_read_from_names_or_codes():
    assert languages_parse("es, ara; English") == ["spa", "ara", "eng"]
    assert languages_parse("español, العربية, Somali, es") == ["spa", "ara", "som"]
    assert languages_parse("") == []
    with pytest.raises(ValidationError, match="Unknown language: Elvish"):
        languages_parse("es, Elvish")


def test_public_list_needs_no_login_and_speaks_the_readers_language(personas, client):
    make_program(personas)
    make_program(personas, title="Draft idea", published=False)
    make_program(personas, title="Last month's read-in", days=-30)
    response = client.get("/programs/events/LMS/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Family literacy night" in html and "Draft idea" not in html
    assert "English, Spanish, Arabic" in html
    assert html.index("Family literacy night") < html.index("Last month&#x27;s read-in")
    spanish = client.get("/programs/events/LMS/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "inglés, español, árabe" in spanish
    arabic = client.get("/programs/events/LMS/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in arabic and "الإسبانية" in arabic


def test_public_detail_hides_drafts_and_other_schools(personas, client):
    draft = make_program(personas, published=False)
    shown = make_program(personas, title="Book club")
    assert client.get(f"/programs/events/LMS/{draft.pk}/").status_code == 404
    assert client.get(f"/programs/events/OAK/{shown.pk}/").status_code == 404
    html = client.get(f"/programs/events/LMS/{shown.pk}/").content.decode()
    assert "Bookmarks" in html and "ELL department" in html


def test_events_index_sends_a_signed_in_reader_to_their_school(personas, client):
    assert "Lincoln Middle School" in client.get("/programs/events/").content.decode()
    client.force_login(personas.student)
    response = client.get("/programs/events/")
    assert response.status_code == 302 and response["Location"] == "/programs/events/LMS/"


def test_librarian_creates_and_edits_a_program_through_the_form(personas, client):
    client.force_login(personas.librarian)
    response = client.post(
        "/programs/manage/new/",
        {
            "title": "Esperanza Rising book club", "kind": "book_club", "audience": "students",
            "grades": "6–8", "partners": "ELL department", "starts_at": "2026-12-01T15:30",
            "ends_at": "2026-12-01T16:30", "location": "Reading corner", "description": "",
            "materials": "", "published": "on", "languages_text": "English, español",
        },
    )  # fmt: skip
    program = Program.objects.get()
    assert response.status_code == 302 and program.languages == ["eng", "spa"]
    assert AuditEntry.objects.filter(action="programs.program_create").count() == 1
    page = client.get(f"/programs/manage/{program.pk}/edit/").content.decode()
    assert 'value="English, Spanish"' in page


def test_bad_program_input_changes_nothing(personas, client):
    client.force_login(personas.librarian)
    data = {
        "title": "Makerspace", "kind": "makerspace", "audience": "students",
        "starts_at": "2026-12-01T15:30", "ends_at": "2026-12-01T14:00",
        "languages_text": "English",
    }  # fmt: skip
    response = client.post("/programs/manage/new/", data)
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    data.update(ends_at="", languages_text="Elvish")
    response = client.post("/programs/manage/new/", data)
    assert "Unknown language: Elvish" in response.content.decode()
    assert not Program.objects.exists()


def test_attendance_is_counted_by_grade_band(personas, client):
    program = make_program(personas, days=-1)
    client.force_login(personas.librarian)
    response = client.post(
        f"/programs/manage/{program.pk}/",
        {"attendance": "1", "band_6-8": "31", "band_family": "12", "band_staff": "4"},
    )
    assert response.status_code == 302
    assert dict(ProgramAttendance.objects.values_list("grade_band", "count")) == {
        "6-8": 31, "family": 12, "staff": 4,
    }  # fmt: skip
    html = client.get(f"/programs/manage/{program.pk}/").content.decode()
    assert "47 in all" in html
    bad = client.post(f"/programs/manage/{program.pk}/", {"attendance": "1", "band_6-8": "-3"})
    assert bad.status_code == 200
    assert ProgramAttendance.objects.get(grade_band="6-8").count == 31


def test_photo_upload_is_validated(personas, client):
    program = make_program(personas)
    client.force_login(personas.librarian)
    url = f"/programs/manage/{program.pk}/"
    fake = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    response = client.post(url, {"image": fake, "alt_text": "Students reading"})
    assert response.status_code == 200 and not ProgramPhoto.objects.exists()
    good = SimpleUploadedFile("../../etc/passwd.png", png_bytes(), content_type="image/png")
    no_alt = client.post(url, {"image": good, "alt_text": ""})
    assert no_alt.status_code == 200 and not ProgramPhoto.objects.exists()
    good.seek(0)
    assert client.post(url, {"image": good, "alt_text": "Students reading"}).status_code == 302
    photo = ProgramPhoto.objects.get()
    assert photo.image.name.startswith(f"programs/{personas.school.pk}/")
    assert "passwd" not in photo.image.name
    client.logout()
    served = client.get(f"/programs/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert (
        'alt="Students reading"'
        in client.get(f"/programs/events/LMS/{program.pk}/").content.decode()
    )


def test_draft_photos_are_for_the_librarian_only(personas, client):
    from shelfwise.programs.services import program_photo_add

    program = make_program(personas, published=False)
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    photo = program_photo_add(program=program, upload=upload, alt_text="x", by=personas.librarian)
    assert client.get(f"/programs/photos/{photo.pk}/").status_code == 404
    client.force_login(personas.student)
    assert client.get(f"/programs/photos/{photo.pk}/").status_code == 404
    client.force_login(personas.librarian)
    assert client.get(f"/programs/photos/{photo.pk}/").status_code == 200


def test_another_schools_librarian_sees_only_their_own_programs(personas, client):
    program = make_program(personas)
    client.force_login(personas.outsider)
    assert "Family literacy night" not in client.get("/programs/manage/").content.decode()
    assert client.get(f"/programs/manage/{program.pk}/").status_code == 404
    assert client.get(f"/programs/manage/{program.pk}/edit/").status_code == 404


@pytest.mark.parametrize("who", ["teacher", "ell", "aide", "student"])
def test_only_the_librarian_manages_programs(personas, client, who):
    program = make_program(personas)
    client.force_login(getattr(personas, who))
    for url in ("/programs/manage/", "/programs/manage/new/", f"/programs/manage/{program.pk}/"):
        assert client.get(url).status_code in (403, 404), (who, url)
    client.post(f"/programs/manage/{program.pk}/", {"attendance": "1", "band_6-8": "9"})
    assert not ProgramAttendance.objects.exists()


def test_program_times_show_in_the_schools_time_zone(personas, client):
    starts = datetime(2026, 12, 1, 15, 30, tzinfo=NY)
    program = make_program(personas, starts_at=starts, ends_at=starts + timedelta(hours=1))
    html = client.get(f"/programs/events/LMS/{program.pk}/").content.decode()
    assert "3:30" in html


def test_list_pages_do_not_grow_queries_with_programs(
    personas, client, django_assert_max_num_queries
):
    for n in range(12):
        make_program(personas, title=f"Program {n}", days=n - 4)
    with django_assert_max_num_queries(6):
        assert client.get("/programs/events/LMS/").status_code == 200
    client.force_login(personas.librarian)
    with django_assert_max_num_queries(14):
        assert client.get("/programs/manage/").status_code == 200
