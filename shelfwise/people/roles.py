"""The six roles of DESIGN.md §1 and what each may do, as data.

`PERMISSIONS` is the role table in code: one permission name per action a
view or service guards, mapped to the roles that hold it *in a school*. A
district administrator holds every permission in every school.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LIBRARIAN = "librarian", _("Librarian")
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    TEACHER = "teacher", _("Teacher")
    ELL_SPECIALIST = "ell_specialist", _("ELL specialist")
    AIDE = "aide", _("Library aide")
    STUDENT = "student", _("Student")


STAFF_ROLES = frozenset({Role.LIBRARIAN, Role.DISTRICT_ADMIN, Role.TEACHER, Role.ELL_SPECIALIST})

_LIB = frozenset({Role.LIBRARIAN})
_ALL_STAFF = frozenset({Role.LIBRARIAN, Role.TEACHER, Role.ELL_SPECIALIST})

PERMISSIONS: dict[str, frozenset[str]] = {
    # Staff catalog: the record view with its MARC and every item's status.
    "catalog.view_staff": _ALL_STAFF | {Role.AIDE},
    # Cataloguing: add/edit records and items, import and export MARC.
    "catalog.edit": _LIB,
    "catalog.import": _LIB,
    "catalog.export": _LIB,
    # Students' home languages and English-learner status (issue 3).
    "people.view_language_profile": frozenset({Role.LIBRARIAN, Role.ELL_SPECIALIST}),
    # The people of a school: names, grades, barcodes (not reading history).
    "people.view_roster": _LIB,
    "schools.manage": _LIB,
    # The circulation desk: scan patrons and items, check out/in, renew.
    # An aide sees only a patron's name and current loans there, and holds it
    # only during their shifts (CONDITIONAL_GRANTS below).
    "circulation.desk": frozenset({Role.LIBRARIAN, Role.AIDE}),
    # Policies, marking copies lost/damaged/withdrawn, a patron's full record.
    "circulation.manage": _LIB,
    # Teachers see who in their classes has something overdue: names and
    # counts only, never titles.
    "circulation.class_overdue": frozenset({Role.TEACHER, Role.ELL_SPECIALIST, Role.LIBRARIAN}),
    # Rostering: OneRoster import from the web, patron cards.
    "people.import_roster": _LIB,
    "people.print_cards": _LIB,
    # Setting students' home languages and EL status (the CSV ELL staff keep).
    "people.edit_language_profile": frozenset({Role.LIBRARIAN, Role.ELL_SPECIALIST}),
    "audit.view": _LIB,
    # Self-check (SIP2): kiosk accounts, the school's card/PIN policy, a reader's PIN.
    "sip2.manage": _LIB,
    # Any reader of the school sets their own kiosk PIN.
    "sip2.own_pin": frozenset(Role),
    # Collection development (issue 6). Profile and use of the collection; the
    # equity reports (home languages, EL counts, reading levels: counts only,
    # never a name); weeding; orders, budgets and targets; purchase requests.
    "collection.view_reports": frozenset({Role.LIBRARIAN, Role.ELL_SPECIALIST}),
    "collection.view_equity": frozenset({Role.LIBRARIAN, Role.ELL_SPECIALIST}),
    "collection.weed": _LIB,
    "collection.acquire": _LIB,
    "collection.request": _ALL_STAFF | {Role.STUDENT},
    # The student catalog: any reader of the school places a hold on a title there.
    "search.place_hold": _ALL_STAFF | {Role.AIDE, Role.STUDENT},
    # Professional learning (issue 7): the librarian designs sessions, keeps the
    # roster and reads all feedback; staff register, sign in, give feedback and
    # get their own certificates. Students and aides see none of it.
    "learning.manage": _LIB,
    "learning.participate": _ALL_STAFF,
    # Reports (issue 7): the librarian's dashboard of the week and the year so far.
    "reports.dashboard": _LIB,
    # The annual report of a school and its narratives; the district roll-up is
    # the district administrator's alone (people.permissions.is_district_admin).
    "reports.annual": _LIB,
    # Instruction (issue 5): request and plan collaborations (object by object:
    # a teacher only those they belong to), book library spaces, calendars.
    "instruction.collaborate": _ALL_STAFF,
    "instruction.book": _ALL_STAFF,
    # Every collaboration of the school, accepting/declining, spaces, standards.
    "instruction.manage": _LIB,
    # Resource guides (issue 5): everyone reads the guides shared with them
    # (object checks in guides.access); staff build them, a teacher or ELL
    # specialist only the guides they own or co-own, the librarian all.
    "guides.view": _ALL_STAFF | {Role.AIDE, Role.STUDENT},
    "guides.edit": _ALL_STAFF,
    # The home-language half of a guide's access check is language-profile
    # data (counts per language): the roles of people.view_language_profile.
    "guides.language_coverage": frozenset({Role.LIBRARIAN, Role.ELL_SPECIALIST}),
    # Programs and leadership (issue 7). The programs hub: everyone with a role.
    "programs.participate": _ALL_STAFF | {Role.AIDE, Role.STUDENT},
    # Programs, the REAL norms, aides (roster, shifts, applications), projects, visits.
    "programs.manage": _LIB,
    # Recognition notes, for the student's own staff only (checked per student).
    "programs.recognize": _ALL_STAFF,
    # Recommending a student who named them (checked per application).
    "programs.recommend": frozenset({Role.TEACHER, Role.ELL_SPECIALIST}),
    "programs.apply": frozenset({Role.STUDENT, Role.AIDE}),
    "programs.aide_shifts": frozenset({Role.AIDE}),
    # The library sign-in kiosk (a device someone signs in on).
    "programs.kiosk": frozenset({Role.LIBRARIAN, Role.AIDE}),
}

# Grants that hold only while a condition is true, answered by the app that owns
# it (people.permissions.grant_condition): an aide holds the desk only during one
# of their shifts (issue 7, shelfwise/programs/apps.py). Without a registered
# check the grant does not hold.
CONDITIONAL_GRANTS: frozenset[tuple[str, str]] = frozenset({(Role.AIDE, "circulation.desk")})
