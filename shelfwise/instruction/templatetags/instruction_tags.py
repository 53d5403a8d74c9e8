"""`{% instruction_inbox %}`: a staff member's unread collaboration notifications (home pages)."""

from __future__ import annotations

from django import template

from shelfwise.instruction.selectors import notifications_unread
from shelfwise.people.permissions import has_perm

register = template.Library()


@register.inclusion_tag("instruction/_inbox.html", takes_context=True)
def instruction_inbox(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    school = getattr(request, "school", None)
    if user is None or not has_perm(user, "instruction.collaborate", school):
        return {"show": False}
    items, unread = notifications_unread(person=user, limit=5)
    return {
        "show": True,
        "items": items,
        "unread": unread,
        "is_librarian": has_perm(user, "instruction.manage", school),
    }
