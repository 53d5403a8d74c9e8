"""`{{ n|masked }}`: a count of people as a report may show it (1–4 → "<5")."""

from __future__ import annotations

from django import template

from shelfwise.lib.privacy import masked_count

register = template.Library()


@register.filter
def masked(value: int) -> str:
    return masked_count(int(value or 0))
