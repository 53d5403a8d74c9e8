"""Template helpers for feedback summaries: the Likert scale and each statement's wording."""

from __future__ import annotations

from django import template

from shelfwise.learning.models import LIKERT, Feedback

register = template.Library()


@register.simple_tag
def likert_scale() -> list:
    return LIKERT


@register.filter
def likert_statement(name: str) -> str:
    """The statement an item asks about ("clarity" → "The session was clear.")."""
    return str(Feedback._meta.get_field(name).verbose_name)
