"""Sets `request.school` and `request.membership`: the school a person is working in
(and `request.memberships`, all of theirs, schools loaded, by school name).

A person with several memberships picks one (kept in the session); a
district administrator may pick any school.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from shelfwise.people.permissions import remember_roles

SESSION_KEY = "shelfwise_school_id"


class CurrentSchoolMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.school = None
        request.membership = None
        request.memberships = []
        user = request.user
        if user.is_authenticated:
            memberships = list(user.memberships.select_related("school").order_by("school__name"))
            remember_roles(user, memberships)
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.school_id == wanted), None)
            chosen = chosen or (memberships[0] if memberships else None)
            request.membership = chosen
            request.school = chosen.school if chosen else None
            if chosen and chosen.role == "district_admin" and wanted and wanted != chosen.school_id:
                from shelfwise.schools.models import School

                request.school = School.objects.filter(pk=wanted).first() or chosen.school
        return self.get_response(request)
