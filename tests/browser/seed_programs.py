"""Browser-test data for programs and leadership (run by tests/browser/seed.py): the demo's
programs, visits, a project and a recognition note; the aide on shift all day around the
test run (an aide holds the desk only during a shift); an application waiting for the
teacher and one waiting for the librarian."""

from __future__ import annotations


def seed_programs() -> None:
    from shelfwise.people.models import Person
    from shelfwise.programs.demo import browser_shifts, demo_programs
    from shelfwise.programs.services import (
        application_recommend,
        application_submit,
        position_grant,
    )
    from shelfwise.schools.models import School

    lms = School.objects.get(code="LMS")
    people = {p.username: p for p in Person.objects.all()}
    aide, teacher = people["aide"], people["teacher"]
    browser_shifts(school=lms, aide=aide)
    position_grant(school=lms, student=aide, role="desk_aide", by=None)
    students = [people[name] for name in ("student", "maria") if name in people]
    demo_programs(school=lms, librarian=people["librarian"], aide=None, students=students)
    statement = "I would like to help younger students find books they enjoy."
    application_submit(
        school=lms, student=people["student"], role="ambassador", statement=statement,
        teacher=teacher,
    )  # fmt: skip
    if "maria" in people:
        waiting = application_submit(
            school=lms, student=people["maria"], role="tech_helper", statement=statement,
            teacher=teacher,
        )  # fmt: skip
        application_recommend(
            application=waiting, teacher=teacher, text="María is patient and great with devices."
        )
