"""Who may read and who may edit one guide: the object half of DESIGN.md §1 for guides.

The role table (`guides.view`, `guides.edit`) says what a role may do in a
school; these functions add the guide itself: a teacher or ELL specialist
edits only the guides they own or co-own (or that belong to a collaboration
they are part of), a librarian every guide of their school, a district
administrator every guide. Readers: editors always; published guides to the
staff of the school; to students and aides only when shared with a class
they are enrolled in; public guides to anyone holding the link.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shelfwise.guides.models import Guide
from shelfwise.people.models import Enrollment
from shelfwise.people.permissions import has_perm, is_district_admin, roles_by_school
from shelfwise.people.roles import Role

READING_STAFF = {Role.LIBRARIAN, Role.TEACHER, Role.ELL_SPECIALIST}


def _in_collaboration(person: Any, guide: Guide) -> bool:
    collaboration_id = getattr(guide, "collaboration_id", None)
    if not collaboration_id:
        return False
    from shelfwise.guides.links import collaboration_member_ids

    return person.pk in collaboration_member_ids(collaboration_id)


def guide_can_edit(person: Any, guide: Guide) -> bool:
    if not has_perm(person, "guides.edit", guide.school_id):
        return False
    if is_district_admin(person):
        return True
    if roles_by_school(person).get(guide.school_id) == Role.LIBRARIAN:
        return True
    return guide.editors.filter(pk=person.pk).exists() or _in_collaboration(person, guide)


def guide_can_read(person: Any, guide: Guide) -> bool:
    if guide.status != Guide.Status.PUBLISHED:
        return guide_can_edit(person, guide)
    if guide.visibility == Guide.Visibility.PUBLIC:
        return True
    if is_district_admin(person):
        return True
    role = roles_by_school(person).get(guide.school_id)
    if role in READING_STAFF:
        return True
    if role in (Role.STUDENT, Role.AIDE):
        return Enrollment.objects.filter(
            person=person,
            role="student",
            school_class__in=guide.classes.all(),
            school_class__active=True,
        ).exists()
    return False


def can_see_language_coverage(person: Any, guide: Guide) -> bool:
    """Decision: the home-language half of the access check (students per language,
    even as counts) is language-profile data. DESIGN.md §1 gives that to ELL
    specialists as their one right beyond a teacher's, so a teacher — even the
    guide's owner — sees the reading-band half only; librarians and ELL staff
    of the school (and district administrators) see both."""
    return has_perm(person, "guides.language_coverage", guide.school_id)


def readable_guides(*, person: Any, school: Any) -> QuerySet[Guide]:
    """Published guides of `school` that `person` may read (for the Guides page)."""
    published = Guide.objects.filter(school=school, status=Guide.Status.PUBLISHED)
    role = roles_by_school(person).get(getattr(school, "pk", school))
    if is_district_admin(person) or role in READING_STAFF:
        return published
    if role in (Role.STUDENT, Role.AIDE):
        return published.filter(
            Q(visibility=Guide.Visibility.PUBLIC)
            | Q(
                classes__enrollments__person=person,
                classes__enrollments__role="student",
                classes__active=True,
            )
        ).distinct()
    return published.none()


def editable_guides(*, person: Any, school: Any) -> QuerySet[Guide]:
    """Guides of `school` that `person` may edit, drafts included."""
    guides = Guide.objects.filter(school=school)
    if not has_perm(person, "guides.edit", school):
        return guides.none()
    role = roles_by_school(person).get(getattr(school, "pk", school))
    if is_district_admin(person) or role == Role.LIBRARIAN:
        return guides
    from shelfwise.guides.links import collaboration_filter

    return guides.filter(Q(editors=person) | collaboration_filter(person)).distinct()
