"""Data for the guides browser tests (run by tests/browser/seed.py after the other seeds).

A class (Earth Science 6) that the teacher teaches, with three multilingual
students from the rostering seed (Arabic, Spanish, Somali at home); two
catalog titles on volcanoes held at LMS (English 1000L, Spanish); and a
published guide with every kind of resource, translated titles in Spanish
and Arabic.
"""

from __future__ import annotations


def seed_guides() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shelfwise.catalog.models import Item
    from shelfwise.catalog.services import record_create
    from shelfwise.guides import services
    from shelfwise.marc.build import build_record
    from shelfwise.people.models import Enrollment, Person, SchoolClass
    from shelfwise.schools.models import School

    lms = School.objects.get(code="LMS")
    teacher = Person.objects.get(username="teacher")
    science = SchoolClass.objects.create(
        sourced_id="seed-guides-science6", school=lms, title="Earth Science 6", grades=["06"]
    )
    Enrollment.objects.create(
        sourced_id="seed-guides-teacher", school_class=science, person=teacher, role="teacher"
    )
    for username in ("student", "maria", "hodan"):
        person = Person.objects.filter(username=username).first()
        if person is not None:
            Enrollment.objects.create(
                sourced_id=f"seed-guides-{username}",
                school_class=science,
                person=person,
                role="student",
            )
    records = {}
    for n, (title, language, lexile) in enumerate(
        [("Volcanoes up close", "eng", 1000), ("Volcanes de América", "spa", None)], start=1
    ):
        record = record_create(
            marc_record=build_record(
                title=title,
                authors=["Rivera, Paz"],
                languages=(language,),
                subjects=["Volcanoes"],
                year=2021,
            ),
            by=None,
        )
        if lexile:
            record.lexile = lexile
            record.save()
        Item.objects.create(
            record=record, school=lms, barcode=f"GDS{n:05d}", call_number="551.21 RIV"
        )
        records[language] = record

    guide = services.guide_create(
        school=lms,
        by=teacher,
        title="Volcanoes and us",
        intro="Start with the book, then the map and the words you will need.",
        unit="Earth's changing surface",
        subject="Volcanoes",
        grade="06",
        classes=[science],
    )
    services.guide_translation_set(
        guide=guide, by=teacher, language="es", title="Los volcanes y nosotros",
        intro="Empieza con el libro, luego el mapa y las palabras que necesitarás.",
    )  # fmt: skip
    services.guide_translation_set(
        guide=guide, by=teacher, language="ar", title="البراكين ونحن",
        intro="ابدأ بالكتاب، ثم الخريطة والكلمات التي ستحتاجها.",
    )  # fmt: skip
    start = services.section_add(guide=guide, by=teacher, title="Start here")
    services.resource_add(section=start, by=teacher, kind="record", record=records["eng"])
    services.resource_add(
        section=start,
        by=teacher,
        kind="link",
        title="Volcano Hazards Program",
        url="https://www.usgs.gov/programs/VHP",
        languages=["eng"],
        bands=["6-8"],
    )
    services.resource_add(
        section=start,
        by=teacher,
        kind="database",
        title="Britannica School",
        url="https://school.eb.com/",
        languages=["eng", "spa"],
        format="video",
    )
    supports = services.section_add(guide=guide, by=teacher, title="Words and frames")
    services.resource_add(
        section=supports,
        by=teacher,
        kind="vocabulary",
        title="Volcano words",
        vocabulary="magma | molten rock underground | es: magma | ar: صهارة\n"
        "crater | the bowl at the top | es: cráter | ar: فوهة",
    )
    services.resource_add(
        section=supports,
        by=teacher,
        kind="frames",
        title="Explaining an eruption",
        body="An eruption happens when ___.\nI think ___ because ___.",
    )
    services.resource_add(
        section=supports,
        by=teacher,
        kind="file",
        title="Cause and effect organizer",
        upload=SimpleUploadedFile("organizer.txt", b"Cause: ____\nEffect: ____\n"),
    )
    services.guide_publish(guide=guide, by=teacher)
