"""Template context: the current school and role for the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def current_membership(request: HttpRequest) -> dict[str, Any]:
    return {
        "current_school": getattr(request, "school", None),
        "current_membership": getattr(request, "membership", None),
    }
