"""The guide pages end to end through Django's test client: build, bad input, read, share."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shelfwise.guides import services
from shelfwise.guides.models import Guide, Resource, Section

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def guide(personas, unit):
    guide = services.guide_create(
        school=personas.school,
        by=personas.teacher,
        title="Volcanoes unit",
        subject="Volcanoes",
        classes=[unit.science],
    )
    services.section_add(guide=guide, by=personas.teacher, title="Start here")
    return guide


def test_create_guide_through_the_form(client, personas, unit):
    client.force_login(personas.teacher)
    assert client.get(reverse("guides:create")).status_code == 200
    response = client.post(
        reverse("guides:create"),
        {
            "title": "Ecosystems",
            "subject": "Ecology",
            "grade": "06",
            "classes": [unit.science.pk],
            "visibility": "classes",
        },
    )
    guide = Guide.objects.get(title="Ecosystems")
    assert response.status_code == 302
    assert list(guide.editors.all()) == [personas.teacher]
    assert list(guide.classes.all()) == [unit.science]
    assert guide.status == Guide.Status.DRAFT


def test_teacher_cannot_aim_a_guide_at_a_class_they_do_not_teach(client, personas, unit):
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:create"),
        {"title": "Sneaky", "classes": [unit.eld.pk], "visibility": "classes"},
    )
    assert response.status_code == 200
    assert "classes" in response.context["form"].errors
    assert not Guide.objects.filter(title="Sneaky").exists()


def test_editor_page_renders_every_part(client, personas, guide):
    client.force_login(personas.teacher)
    html = client.get(reverse("guides:edit", args=[guide.pk])).content.decode()
    for text in ("Start here", "Access check", "Publish", "Español", "العربية"):
        assert text in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("www.example.org", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("https://", "not a valid web address"),
        ("https://exa mple.org/", "not a valid web address"),
        ("https://user:secret@example.org/", "Remove the name and password"),
    ],
)
def test_bad_link_is_refused_and_nothing_saved(client, personas, guide, url, message):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:resource_add", args=[section.pk, "link"]),
        {"title": "Broken", "url": url, "languages": ["eng"], "format": "text"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_good_link_is_added_with_its_tags(client, personas, guide):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:resource_add", args=[section.pk, "database"]),
        {
            "title": "Britannica School",
            "url": "https://school.eb.com/",
            "languages": ["eng", "spa"],
            "bands": ["6-8"],
            "format": "video",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.kind, resource.languages, resource.bands, resource.format) == (
        "database",
        ["eng", "spa"],
        ["6-8"],
        "video",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ\x90\x00", "is not a kind of file guides take"),
        ("fake.pdf", b"<html>not a pdf</html>", "is not the kind of file its name says"),
        ("empty.pdf", b"", "is empty"),
        ("latin1.txt", "café".encode("latin-1") + b" and more text", "is not UTF-8 text"),
    ],
)
def test_bad_upload_is_refused_and_nothing_saved(
    client, personas, guide, media, name, content, message
):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:resource_add", args=[section.pk, "file"]),
        {
            "title": "Handout",
            "upload": SimpleUploadedFile(name, content),
            "languages": ["eng"],
            "format": "text",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_file_too_big_is_refused(client, personas, guide, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 1024)
    section = guide.sections.get()
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:resource_add", args=[section.pk, "file"]),
        {
            "upload": SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 2048),
            "languages": ["eng"],
            "format": "text",
        },
    )
    assert "files may be at most" in response.content.decode()
    assert not Resource.objects.exists()


def test_file_upload_and_download_by_readers_only(client, personas, guide, media):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    client.post(
        reverse("guides:resource_add", args=[section.pk, "file"]),
        {
            "upload": SimpleUploadedFile("Volcano diagram.pdf", b"%PDF-1.7\nhello"),
            "languages": ["eng"],
            "format": "text",
        },
    )
    resource = Resource.objects.get()
    assert (resource.title, resource.file_name, resource.file_size) == (
        "Volcano diagram.pdf",
        "Volcano diagram.pdf",
        14,
    )
    url = reverse("guides:file", args=[resource.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7\nhello"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(personas.student)  # in the class, but the guide is a draft
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_vocabulary_with_translations(client, personas, guide):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:resource_add", args=[section.pk, "vocabulary"]),
        {
            "title": "Volcano words",
            "vocabulary": "magma | molten rock | es: magma | Somali: magma\n"
            "crater | bowl at the top | es: cráter | ar: فوهة",
            "languages": ["eng"],
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.languages == ["eng", "spa", "som", "ara"]
    assert [t.translations for t in resource.terms.all()] == [
        {"spa": "magma", "som": "magma"},
        {"spa": "cráter", "ara": "فوهة"},
    ]
    html = client.get(reverse("guides:detail", args=[guide.pk])).content.decode()
    assert "cráter" in html and "Somali" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lava | hot rock\nmagma | rock | es magma", "write each translation as language: word"),
        ("lava | hot rock\nmagma | rock | blorpish: qa", "is not a language we know"),
        ("lava | hot rock\n| rock", "Line 2: the term is missing"),
        ("\n  \n", "Write at least one term"),
    ],
)
def test_bad_vocabulary_line(client, personas, guide, text, message):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:resource_add", args=[section.pk, "vocabulary"]),
        {"title": "Words", "vocabulary": text, "languages": ["eng"]},
    )
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_frames_and_organizer(client, personas, guide):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    client.post(
        reverse("guides:resource_add", args=[section.pk, "frames"]),
        {
            "title": "Talking about eruptions",
            "body": "I think ___ because ___.\nFirst, ___.",
            "languages": ["eng"],
        },
    )
    client.post(
        reverse("guides:resource_add", args=[section.pk, "organizer"]),
        {
            "title": "Cause and effect",
            "url": "https://example.org/organizer",
            "languages": ["eng"],
            "format": "text",
        },
    )
    assert Resource.objects.count() == 2
    html = client.get(reverse("guides:detail", args=[guide.pk])).content.decode()
    assert "I think ___ because ___." in html and "Open the organizer" in html


def test_record_picker_searches_and_adds(client, personas, guide, unit):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    url = reverse("guides:resource_add", args=[section.pk, "record"])
    response = client.get(url, {"q": "volcanes"})
    titles = [row["record"].title for row in response.context["results"]["rows"]]
    assert "Los volcanes" in titles
    client.post(url, {"record": unit.records["los_volcanes"].pk})
    resource = Resource.objects.get()
    assert (resource.kind, resource.title) == ("record", "Los volcanes")
    # Nonsense is refused with a message, nothing saved.
    response = client.post(url, {"record": "999999"}, follow=True)
    assert "Pick a title from the catalog" in response.content.decode()
    assert Resource.objects.count() == 1


def test_sections_move_rename_delete(client, personas, guide):
    client.force_login(personas.teacher)
    client.post(reverse("guides:section_add", args=[guide.pk]), {"title": "Books"})
    first, second = guide.sections.all()
    client.post(reverse("guides:section_move", args=[second.pk]), {"direction": "up"})
    assert [s.title for s in guide.sections.all()] == ["Books", "Start here"]
    client.post(reverse("guides:section_rename", args=[first.pk]), {"title": "Begin"})
    client.post(reverse("guides:section_rename", args=[second.pk]), {"title": "  "})
    assert [s.title for s in guide.sections.all()] == ["Books", "Begin"]
    client.post(reverse("guides:section_delete", args=[second.pk]))
    assert [s.title for s in guide.sections.all()] == ["Begin"]


def test_publish_and_student_reads_it_in_spanish(client, personas, guide):
    client.force_login(personas.teacher)
    client.post(
        reverse("guides:translation", args=[guide.pk]),
        {
            "language": "es",
            "tr-es-language": "es",
            "tr-es-title": "Unidad de volcanes",
            "tr-es-intro": "Hola",
        },
    )
    client.post(reverse("guides:publish", args=[guide.pk]), {"publish": "1"})
    guide.refresh_from_db()
    assert guide.is_published and guide.published_at is not None
    client.force_login(personas.student)
    response = client.get(reverse("guides:index"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Unidad de volcanes" in response.content.decode()
    response = client.get(reverse("guides:detail", args=[guide.pk]), HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "Unidad de volcanes" in html and 'lang="es"' in html
    response = client.get(reverse("guides:detail", args=[guide.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Volcanoes unit" in response.content.decode()


def test_print_view_and_qr_code(client, personas, guide):
    services.guide_publish(guide=guide, by=personas.teacher)
    client.force_login(personas.teacher)
    html = client.get(reverse("guides:print", args=[guide.pk])).content.decode()
    assert reverse("guides:qr", args=[guide.pk]) in html
    assert guide.share_token in html
    response = client.get(reverse("guides:qr", args=[guide.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_copy_makes_an_own_draft_with_everything(client, personas, guide, unit):
    section = guide.sections.get()
    services.resource_add(
        section=section,
        by=personas.teacher,
        kind="vocabulary",
        title="Words",
        vocabulary="lava | hot rock | es: lava",
    )
    services.guide_translation_set(
        guide=guide, by=personas.teacher, language="es", title="Volcanes"
    )
    services.guide_publish(guide=guide, by=personas.teacher)
    client.force_login(personas.ell)  # may read it (staff of the school), not edit it
    response = client.post(reverse("guides:copy", args=[guide.pk]))
    copy = Guide.objects.exclude(pk=guide.pk).get()
    assert response["Location"] == reverse("guides:edit", args=[copy.pk])
    assert copy.title == "Copy of Volcanoes unit" and copy.status == Guide.Status.DRAFT
    assert list(copy.editors.all()) == [personas.ell] and not copy.classes.exists()
    assert copy.copied_from == guide
    assert [t.translations for t in Resource.objects.get(section__guide=copy).terms.all()] == [
        {"spa": "lava"}
    ]
    assert copy.translations.get().title == "Volcanes"
    assert Section.objects.filter(guide=guide).count() == 1  # the original is untouched


def test_student_cannot_copy(client, personas, guide):
    services.guide_publish(guide=guide, by=personas.teacher)
    client.force_login(personas.student)
    assert client.post(reverse("guides:copy", args=[guide.pk])).status_code == 403


def test_suggestion_add_from_the_access_check(client, personas, guide, unit):
    client.force_login(personas.librarian)
    page = client.get(reverse("guides:access", args=[guide.pk]))
    spanish = next(row for row in page.context["check"].languages if row.key == "spa")
    assert not spanish.covered
    client.post(
        reverse("guides:suggestion_add", args=[guide.pk]),
        {"record": spanish.suggestions[0].pk, "section": guide.sections.get().pk},
    )
    page = client.get(reverse("guides:access", args=[guide.pk]))
    spanish = next(row for row in page.context["check"].languages if row.key == "spa")
    assert spanish.covered


def test_reader_page_query_count_does_not_grow(
    client, personas, guide, unit, django_assert_max_num_queries
):
    section = guide.sections.get()
    client.force_login(personas.teacher)
    url = reverse("guides:detail", args=[guide.pk])
    for n in range(3):
        services.resource_add(
            section=section, by=personas.teacher, kind="record", record=unit.records["volcanoes"]
        )
        services.resource_add(
            section=section,
            by=personas.teacher,
            kind="vocabulary",
            title=f"W{n}",
            vocabulary="a | b | es: c",
        )
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(10):
        services.resource_add(
            section=section, by=personas.teacher, kind="record", record=unit.records["los_volcanes"]
        )
        services.resource_add(
            section=section,
            by=personas.teacher,
            kind="vocabulary",
            title=f"V{n}",
            vocabulary="a | b | es: c",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_saving_without_owners_changes_nothing(personas, guide, unit):
    from shelfwise.guides.services import GuideError

    with pytest.raises(GuideError):
        services.guide_update(
            guide=guide, by=personas.librarian, title="Renamed", classes=[], editors=[]
        )
    guide.refresh_from_db()
    assert guide.title == "Volcanoes unit"
    assert list(guide.classes.all()) == [unit.science]
    assert list(guide.editors.all()) == [personas.teacher]


def test_teacher_saving_the_form_stays_an_owner(client, personas, guide, unit):
    client.force_login(personas.teacher)
    response = client.post(
        reverse("guides:edit", args=[guide.pk]),
        {
            "title": "Volcanoes unit",
            "classes": [unit.science.pk],
            "editors": [personas.ell.pk],
            "visibility": "classes",
        },
    )
    assert response.status_code == 302
    assert set(guide.editors.all()) == {personas.teacher, personas.ell}
