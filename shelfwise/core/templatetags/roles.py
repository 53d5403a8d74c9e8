"""Template tags for the role table: `{% has_perm "catalog.import" as can_import %}`."""

from __future__ import annotations

from typing import Any

from django import template

from shelfwise.core.selectors import switchable_schools
from shelfwise.people.permissions import has_perm as _has_perm
from shelfwise.people.permissions import is_district_admin
from shelfwise.people.roles import PERMISSIONS

register = template.Library()


@register.simple_tag(takes_context=True)
def has_perm(context: dict[str, Any], perm: str) -> bool:
    """Whether the signed-in person holds `perm` in the school they are working in.

    A permission not (yet) in the role table is simply not held, so a link
    in the layout can name one before the module that defines it lands.
    """
    request = context.get("request")
    if request is None or perm not in PERMISSIONS:
        return False
    return _has_perm(request.user, perm, getattr(request, "school", None))


@register.simple_tag(takes_context=True)
def school_choices(context: dict[str, Any]) -> list:
    """Schools for the header's switcher; empty when there is nothing to switch to."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    district_admin = is_district_admin(user)
    schools = switchable_schools(
        person=user,
        district_admin=district_admin,
        memberships=getattr(request, "memberships", None),
    )
    return schools if len(schools) > 1 or district_admin else []
