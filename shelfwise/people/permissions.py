"""The one permission check every view, service and API call goes through.

`has_perm(person, "catalog.edit", school)` answers from the role table in
`roles.PERMISSIONS`; `require_perm` wraps a view so that it runs only for a
person holding the permission in the request's current school.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from shelfwise.people.roles import CONDITIONAL_GRANTS, PERMISSIONS, Role

# (role, perm) -> check(person, school_id); see roles.CONDITIONAL_GRANTS. Apps
# that own a condition register it in their AppConfig.ready(), since people
# must not import them.
_conditions: dict[tuple[str, str], Callable[[Any, int], bool]] = {}


def grant_condition(role: str, perm: str, check: Callable[[Any, int], bool]) -> None:
    if (role, perm) not in CONDITIONAL_GRANTS:
        raise KeyError(f"{role} {perm} is not a conditional grant in roles.CONDITIONAL_GRANTS")
    _conditions[(role, perm)] = check


def roles_by_school(person: Any) -> dict[int, str]:
    """{school_id: role} for an active person, cached on the object for the request."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return {}
    cached = getattr(person, "_roles_by_school", None)
    if cached is None:
        cached = dict(person.memberships.values_list("school_id", "role"))
        person._roles_by_school = cached
    return cached


def remember_roles(person: Any, memberships: Iterable[Any]) -> None:
    """Give `roles_by_school` the memberships a caller has loaded already (the
    middleware does for every request): one query fewer per page."""
    person._roles_by_school = {m.school_id: m.role for m in memberships}


def is_district_admin(person: Any) -> bool:
    return Role.DISTRICT_ADMIN in roles_by_school(person).values()


def has_perm(person: Any, perm: str, school: Any) -> bool:
    """True when `person` may do `perm` in `school` (a School or its id)."""
    granted_to = PERMISSIONS[perm]  # an unknown name is a bug: fail loudly
    roles = roles_by_school(person)
    if not roles:
        return False
    if Role.DISTRICT_ADMIN in roles.values():
        return True
    if school is None:
        return False
    school_id = school if isinstance(school, int) else school.pk
    role = roles.get(school_id)
    if role not in granted_to:
        return False
    if (role, perm) in CONDITIONAL_GRANTS:
        check = _conditions.get((role, perm))
        return check is not None and check(person, school_id)
    return True


def ensure_perm(person: Any, perm: str, school: Any) -> None:
    if not has_perm(person, perm, school):
        raise PermissionDenied(perm)


def require_perm(perm: str) -> Callable:
    """View decorator: log in first, then hold `perm` in the current school."""
    PERMISSIONS[perm]  # validate at import time

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            ensure_perm(request.user, perm, getattr(request, "school", None))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
