"""The librarian's dashboard page."""

from __future__ import annotations

import zoneinfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shelfwise.people.permissions import require_perm
from shelfwise.reports.dashboard import librarian_dashboard


@require_perm("reports.dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    school = request.school
    board = librarian_dashboard(school=school, now=timezone.now())
    with timezone.override(zoneinfo.ZoneInfo(school.timezone)):
        return render(request, "reports/dashboard.html", {"board": board, **board.sections})
