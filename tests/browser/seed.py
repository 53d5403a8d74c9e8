"""Data for the browser tests: run in the server's environment (`python -m tests.browser.seed`).

The same personas as tests/conftest.py, created through the services the
`add-school` / `add-user` commands use, plus a few records, copies and
imports so that the librarian's tables have rows.
"""

from __future__ import annotations

import os

PASSWORD = "correct horse battery staple"

PEOPLE = [
    # username, school, role, first name
    ("librarian", "LMS", "librarian", "Lena"),
    ("district", "LMS", "district_admin", "Dana"),
    ("teacher", "LMS", "teacher", "Tom"),
    ("ell", "LMS", "ell_specialist", "Elif"),
    ("aide", "LMS", "aide", "Ava"),
    ("student", "LMS", "student", "Sami"),
    ("outsider", "OAK", "librarian", "Otto"),
    # Locked out by the tests, so that its page can be checked.
    ("lockme", "LMS", "student", "Lou"),
]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelfwise.settings")
    import django

    django.setup()

    from shelfwise.catalog.models import ImportJob, Item
    from shelfwise.catalog.services import record_create
    from shelfwise.marc.build import build_record
    from shelfwise.people.models import Membership, Person
    from shelfwise.people.services import person_create
    from shelfwise.schools.services import school_create

    schools = {
        "LMS": school_create(code="LMS", name="Lincoln Middle School", timezone="America/New_York"),
        "OAK": school_create(code="OAK", name="Oak Elementary", timezone="America/New_York"),
    }
    for username, code, role, first_name in PEOPLE:
        person_create(
            username=username,
            password=PASSWORD,
            school=schools[code],
            role=role,
            first_name=first_name,
        )
    # A person with a membership in both schools (the switcher shows for them).
    teacher = Person.objects.get(username="teacher")
    Membership.objects.create(person=teacher, school=schools["OAK"], role="teacher")
    # And one with none.
    Person.objects.create_user(username="newcomer", password=PASSWORD)

    Person.objects.filter(username="student").update(patron_barcode="P000001")
    titles = [
        ("Esperanza Rising", "eng"),
        ("El principito", "spa"),
        ("Wonder", "eng"),
        ("ألف ليلة وليلة", "ara"),
        ("New Kid", "eng"),
    ]
    for n, (title, language) in enumerate(titles):
        record = record_create(
            marc_record=build_record(
                title=title,
                authors=["Author, Example"],
                languages=(language,),
                summary="A story.",
                subjects=["Friendship -- Fiction"],
                year=2001,
            ),
            by=None,
        )
        Item.objects.create(
            record=record,
            school=schools["LMS"],
            barcode=f"LMS{n:05d}",
            call_number=f"FIC {n}",
            location="Fiction",
        )
        if n % 2:
            Item.objects.create(record=record, school=schools["OAK"], barcode=f"OAK{n:05d}")
    for filename, status, size, read in [
        ("destiny-export.mrc", "done", 1000, 1000),
        ("koha-2024.mrc", "running", 1000, 420),
        ("broken.mrc", "failed", 1000, 10),
    ]:
        ImportJob.objects.create(
            school=schools["LMS"],
            filename=filename,
            status=status,
            size=size,
            bytes_read=read,
            created=12,
            updated=3,
            rejected=1,
        )


if __name__ == "__main__":
    main()


def seed_rostering() -> None:
    """Roster imports (finished with issues, failed, still running) and students' language
    profiles, for the rostering pages. Runs after main(), in the same process."""
    from shelfwise.people.models import Membership, Person, RosterImport, RosterIssue
    from shelfwise.schools.models import School

    lms = School.objects.get(code="LMS")
    librarian = Person.objects.get(username="librarian")
    student = Person.objects.get(username="student")
    Person.objects.filter(pk=student.pk).update(
        sourced_id="s-sami", last_name="Haddad", home_languages=["ara"], english_learner=True
    )
    for username, first, last, languages, learner in [
        ("maria", "María", "López", ["spa", "eng"], False),
        ("hodan", "Hodan", "Warsame", ["som"], True),
        ("kim", "Kim", "Tran", [], None),
    ]:
        person = Person.objects.create_user(
            username=username,
            first_name=first,
            last_name=last,
            sourced_id=f"s-{username}",
            grade="07",
            home_languages=languages,
            english_learner=learner,
        )
        Membership.objects.create(person=person, school=lms, role="student")

    done = RosterImport.objects.create(
        started_by=librarian,
        filename="district-roster-2025.zip",
        status="done",
        counts={"people_created": 412, "people_updated": 9, "people_deactivated": 3, "rejected": 2},
        warnings=["org 'org-9' (department) is the school of classes or enrollments"],
    )
    RosterIssue.objects.create(
        job=done,
        kind="rejected",
        file="users.csv",
        line=14,
        sourced_id="usr-1014",
        message="role 'janitor' is not a OneRoster role",
    )
    RosterIssue.objects.create(
        job=done,
        kind="rejected",
        file="enrollments.csv",
        line=7,
        sourced_id="enr-7",
        message="the class or the user it names is not in Shelfwise",
    )
    RosterIssue.objects.create(
        job=done,
        kind="left_with_loans",
        person=student,
        sourced_id="s-sami",
        message="Sami Haddad left with 1 item(s) out: LMS00001 El principito",
    )
    RosterImport.objects.create(
        started_by=librarian,
        filename="grades.zip",
        status="failed",
        error="no manifest.csv and no OneRoster files in grades.zip; found grades.csv",
    )
    RosterImport.objects.create(
        started_by=librarian, filename="district-roster-2026.zip", status="running"
    )


if __name__ == "__main__":
    seed_rostering()


def seed_account_pages() -> None:
    """My library, the overdue list and patron cards: the student has an overdue loan,
    one on time, a waiting hold, a ready hold (and its notice) and, by choice, a reading
    history; a class joins the teacher and the student. Own records and copies
    (ACC…), so the desk tests' copies stay on the shelf. Runs after main()."""
    from datetime import timedelta

    from django.utils import timezone

    from shelfwise.catalog.models import Item
    from shelfwise.catalog.services import record_create
    from shelfwise.circulation.notices import notice_send
    from shelfwise.circulation.services import hold_place, loan_checkin, loan_checkout
    from shelfwise.marc.build import build_record
    from shelfwise.people.models import Enrollment, Person, SchoolClass
    from shelfwise.schools.models import School

    lms = School.objects.get(code="LMS")
    librarian = Person.objects.get(username="librarian")
    teacher = Person.objects.get(username="teacher")
    student = Person.objects.get(username="student")
    Person.objects.filter(pk=student.pk).update(
        last_name="Haddad", grade="06", homeroom="6A", keeps_reading_history=True
    )
    student.refresh_from_db()
    copies = {}
    for n, title in enumerate(["Hatchet", "Holes", "Ghost", "Front Desk", "Smile"], start=1):
        record = record_create(
            marc_record=build_record(title=title, authors=["Author, Example"]), by=None
        )
        copies[title] = Item.objects.create(
            record=record, school=lms, barcode=f"ACC{n:05d}", call_number=f"FIC {title[:3]}"
        )
    long_ago = timezone.now() - timedelta(days=40)
    loan_checkout(item=copies["Hatchet"], patron=student, by=librarian, now=long_ago)
    loan_checkout(item=copies["Holes"], patron=student, by=librarian)
    loan_checkout(item=copies["Smile"], patron=student, by=librarian, now=long_ago)
    loan_checkin(item=copies["Smile"], by=librarian)  # kept: the student opted in
    loan_checkout(item=copies["Ghost"], patron=teacher, by=librarian)
    hold_place(record=copies["Ghost"].record, patron=student, school=lms, by=student)
    hold_place(record=copies["Front Desk"].record, patron=student, school=lms, by=student)
    notice_send(
        patron=student,
        kind="overdue",
        key="seed-overdue",
        subject="Hatchet is overdue",
        body="Please bring “Hatchet” back to the library, or renew it.",
    )
    english = SchoolClass.objects.create(
        sourced_id="seed-class-english", school=lms, title="Period 2 English", grades=["06"]
    )
    Enrollment.objects.create(
        sourced_id="seed-enr-teacher", school_class=english, person=teacher, role="teacher"
    )
    Enrollment.objects.create(
        sourced_id="seed-enr-student", school_class=english, person=student, role="student"
    )


if __name__ == "__main__":
    seed_account_pages()


if __name__ == "__main__":
    from tests.browser.seed_programs import seed_programs

    seed_programs()


def seed_instruction() -> None:
    """Collaborations, spaces and bookings (the instruction demo) on a bell schedule for LMS."""
    from datetime import time

    from shelfwise.instruction.demo import demo_instruction
    from shelfwise.people.models import Person
    from shelfwise.schools.models import BellPeriod, School

    lms = School.objects.get(code="LMS")
    if not lms.bell_periods.exists():
        for order, (start, end) in enumerate(
            [(time(8), time(8, 50)), (time(9), time(9, 50)), (time(10), time(10, 50))], start=1
        ):
            BellPeriod.objects.create(
                school=lms, name=f"Period {order}", order=order, starts_at=start, ends_at=end
            )
    people = {
        p.username: p for p in Person.objects.filter(username__in=["librarian", "teacher", "ell"])
    }
    demo_instruction(school=lms, people=people)


if __name__ == "__main__":
    seed_instruction()


if __name__ == "__main__":
    from tests.browser.seed_opac import seed_opac

    seed_opac()


if __name__ == "__main__":
    from tests.browser.seed_guides import seed_guides

    seed_guides()


if __name__ == "__main__":
    from tests.browser.learning_seed import seed_learning

    seed_learning()


if __name__ == "__main__":
    from tests.browser.seed_collection import seed_collection

    seed_collection()
