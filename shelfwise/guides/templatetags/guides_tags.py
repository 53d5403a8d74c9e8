"""`{% guides_for_record record %}`: the guides a reader may open that hold this catalog title.

For the OPAC's record page, so that published guides show to students in the
catalog, in their language where the guide has a translation.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from shelfwise.guides.access import readable_guides
from shelfwise.guides.models import Guide
from shelfwise.guides.selectors import guide_text

register = template.Library()


@register.inclusion_tag("guides/_record_guides.html", takes_context=True)
def guides_for_record(context: dict[str, Any], record: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    school = getattr(request, "school", None)
    if user is not None and user.is_authenticated and school is not None:
        guides = readable_guides(person=user, school=school)
    else:
        guides = Guide.objects.filter(
            status=Guide.Status.PUBLISHED, visibility=Guide.Visibility.PUBLIC
        )
    found = list(
        guides.filter(sections__resources__record=record)
        .distinct()
        .prefetch_related("translations")
        .order_by("title", "pk")[:10]
    )
    locale = get_language() or "en"
    # The share link works for every reader of the guide, signed in or not (public).
    return {
        "guides": [
            (reverse("guides:shared", args=[guide.share_token]), guide_text(guide, locale)[0])
            for guide in found
        ]
    }
