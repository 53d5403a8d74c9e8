"""Catalog data for the OPAC browser tests (run by tests/browser/seed.py after main()).

Three books about volcanoes in three languages at different reading levels,
with copies at both schools, so the search page has facets to choose from and
the record page has "more in …" and "other reading levels" links.
"""

from __future__ import annotations


def seed_opac() -> None:
    from shelfwise.catalog.models import Item
    from shelfwise.catalog.services import record_create
    from shelfwise.marc.build import build_record
    from shelfwise.schools.models import School

    lms = School.objects.get(code="LMS")
    oak = School.objects.get(code="OAK")
    books = [
        ("Los volcanes", "spa", "García, Ana", 950, "Cómo se forman los volcanes."),
        ("Volcanoes", "eng", "Baker, Sam", 600, "How volcanoes form and why they erupt."),
        ("البراكين", "ara", "Nasser, Rami", 980, "كيف تتكون البراكين ولماذا تثور."),
    ]  # fmt: skip
    for n, (title, language, author, lexile, summary) in enumerate(books):
        record = record_create(
            marc_record=build_record(
                title=title,
                authors=[author],
                languages=(language,),
                summary=summary,
                subjects=["Volcanoes -- Juvenile literature"],
                year=2019,
                audience="c",
            ),
            by=None,
        )
        record.lexile = lexile
        record.save()  # reindexed by the post_save hook
        Item.objects.create(
            record=record,
            school=lms,
            barcode=f"OPC{n:05d}",
            call_number="551.21",
            location="Nonfiction",
        )
        Item.objects.create(record=record, school=oak, barcode=f"OPO{n:05d}", call_number="551.21")
