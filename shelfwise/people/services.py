"""Writes for people: accounts and their role in each school, each act audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.people.models import Membership, Person
from shelfwise.people.roles import Role
from shelfwise.schools.models import School


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("%(role)s is not a role. Choose one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )


def person_create(
    *,
    username: str,
    password: str,
    school: School,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: Any = None,
) -> Person:
    """Create an account with a role in one school. The password must pass the validators."""
    _check_role(role)
    person = Person(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, user=person)
    person.set_password(password)
    person.full_clean(exclude=["password"])
    with transaction.atomic():
        person.save()
        membership = Membership.objects.create(person=person, school=school, role=role)
        audit_log(
            actor=actor,
            action="person.create",
            obj=person,
            school=school,
            username=person.username,
        )
        audit_log(
            actor=actor,
            action="membership.set",
            obj=membership,
            school=school,
            person=person.username,
            role=role,
            previous_role=None,
        )
    return person


def membership_set(
    *, person: Person, school: School, role: str, actor: Any = None
) -> tuple[Membership, bool]:
    """Give `person` `role` in `school`, replacing any role they had there.

    Returns the membership and whether anything changed.
    """
    _check_role(role)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(person=person, school=school).first()
        )
        previous = membership.role if membership else None
        if membership is None:
            membership = Membership.objects.create(person=person, school=school, role=role)
        elif membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        else:
            return membership, False
        audit_log(
            actor=actor,
            action="membership.set",
            obj=membership,
            school=school,
            person=person.username,
            role=role,
            previous_role=previous,
        )
    # The permission cache on the object now lies; drop it.
    person.__dict__.pop("_roles_by_school", None)
    return membership, True
