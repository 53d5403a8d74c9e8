"""Reading guides: the Guides page, a guide, its print view, share link, QR code and files.

Every view checks the guide itself (`guides.access`), and the Guides page
and a guide's page the role table (`guides.view`) first. The share link,
print view, QR code and files are reachable without signing in, on purpose,
for a *published public* guide only (families at home scan the QR code, the
role table has no row for them); any other guide sends an anonymous
reader to the login page and a signed-in reader without rights gets a 404,
so a guide's existence does not leak.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.guides import access, selectors
from shelfwise.guides.models import Guide, Resource
from shelfwise.marc.languages import language_name
from shelfwise.people.cards import grade_label
from shelfwise.people.permissions import has_perm, require_perm
from shelfwise.people.roles import Role


def _readable_or_404(request: HttpRequest, guide: Guide) -> HttpResponse | None:
    """None when the reader may read `guide`; else the login page or a 404."""
    if access.guide_can_read(request.user, guide):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _shelf(guide: Guide, resources: list[Resource]) -> dict[int, dict[str, Any]]:
    """{record id: {available, call_number}} at the guide's school, in one query."""
    ids = {r.record_id for r in resources if r.record_id}
    if not ids:
        return {}
    rows = (
        Item.objects.filter(record_id__in=ids, school_id=guide.school_id)
        .exclude(status=ItemStatus.WITHDRAWN)
        .values("record_id")
        .annotate(
            copies=Count("pk"),
            available=Count("pk", filter=Q(status=ItemStatus.AVAILABLE)),
        )
    )
    calls = dict(
        Item.objects.filter(record_id__in=ids, school_id=guide.school_id)
        .exclude(call_number="")
        .values_list("record_id", "call_number")
    )
    return {
        row["record_id"]: {**row, "call_number": calls.get(row["record_id"], "")} for row in rows
    }


def share_url(request: HttpRequest, guide: Guide) -> str:
    return request.build_absolute_uri(reverse("guides:shared", args=[guide.share_token]))


def guide_context(request: HttpRequest, guide: Guide) -> dict[str, Any]:
    """What the reader, print and share-link pages show (one guide with its contents)."""
    locale = get_language() or "en"
    title, intro, text_language = selectors.guide_text(guide, locale)
    resources = selectors.guide_resources(guide)
    shelf = _shelf(guide, resources)
    sections = []
    for section in guide.sections.all():
        items = []
        for resource in section.resources.all():
            languages = selectors.resource_languages(resource)
            translation_codes = list(
                dict.fromkeys(code for term in resource.terms.all() for code in term.translations)
            )
            items.append(
                {
                    "resource": resource,
                    "languages": [language_name(code, locale) for code in languages],
                    "bands": selectors.resource_bands(resource),
                    "format": Resource.Format(selectors.resource_format(resource)).label,
                    "shelf": shelf.get(resource.record_id),
                    "frames": [line for line in resource.body.splitlines() if line.strip()],
                    "translation_columns": [
                        (code, language_name(code, locale)) for code in translation_codes
                    ],
                    "terms": [
                        {
                            "term": term.term,
                            "definition": term.definition,
                            "translations": [
                                term.translations.get(code, "") for code in translation_codes
                            ],
                        }
                        for term in resource.terms.all()
                    ],
                }
            )
        sections.append({"section": section, "items": items})
    user = request.user
    return {
        "guide": guide,
        "title": title,
        "intro": intro,
        "text_language": text_language,
        "sections": sections,
        "can_edit": user.is_authenticated and access.guide_can_edit(user, guide),
        "staff_links": user.is_authenticated and has_perm(user, "catalog.view_staff", guide.school),
        "share_url": share_url(request, guide),
        "large_type": _is_student(request),
        "grade_label": grade_label(guide.grade) if guide.grade else "",
    }


def _is_student(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in (Role.STUDENT, Role.AIDE)


@require_perm("guides.view")
def index(request: HttpRequest) -> HttpResponse:
    school = request.school
    readable = access.readable_guides(person=request.user, school=school)
    editable = access.editable_guides(person=request.user, school=school)
    mine = list(editable.prefetch_related("classes", "translations").order_by("title", "pk"))
    mine_ids = {g.pk for g in mine}
    others = list(readable.exclude(pk__in=mine_ids).prefetch_related("classes", "translations"))
    locale = get_language() or "en"
    for guide in (*mine, *others):
        guide.reader_title = selectors.guide_text(guide, locale)[0]
    return render(
        request,
        "guides/index.html",
        {
            "mine": mine,
            "others": others,
            "can_create": has_perm(request.user, "guides.edit", school),
            "large_type": _is_student(request),
        },
    )


@require_perm("guides.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        guide = selectors.guide_with_contents(pk=pk)
    except Guide.DoesNotExist:
        raise Http404 from None
    denied = _readable_or_404(request, guide)
    if denied:
        return denied
    return render(request, "guides/detail.html", guide_context(request, guide))


def shared(request: HttpRequest, token: str) -> HttpResponse:
    """The share link (and QR code): the same page, found by its unguessable token."""
    pk = get_object_or_404(Guide.objects.only("pk"), share_token=token).pk
    guide = selectors.guide_with_contents(pk=pk)
    denied = _readable_or_404(request, guide)
    if denied:
        return denied
    return render(request, "guides/detail.html", {**guide_context(request, guide), "shared": True})


def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        guide = selectors.guide_with_contents(pk=pk)
    except Guide.DoesNotExist:
        raise Http404 from None
    denied = _readable_or_404(request, guide)
    if denied:
        return denied
    return render(request, "guides/print.html", guide_context(request, guide))


def qr_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The share link as an SVG QR code (segno): error correction M survives a smudged print."""
    guide = get_object_or_404(Guide, pk=pk)
    denied = _readable_or_404(request, guide)
    if denied:
        return denied
    qr = segno.make(share_url(request, guide), error="m")
    svg = io.BytesIO()
    # A standalone file (with its XML namespace), so it works as <img src> and as a download.
    qr.save(
        svg, kind="svg", scale=6, border=4, xmldecl=False, title=_("QR code of the guide's link")
    )
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="guide-{guide.pk}-qr.svg"'
    return response


def resource_file(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(
        Resource.objects.select_related("section__guide"), pk=pk, file__gt=""
    )
    denied = _readable_or_404(request, resource.section.guide)
    if denied:
        return denied
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Served as a download, never inline: an uploaded file cannot run in our origin.
    return FileResponse(handle, as_attachment=True, filename=resource.file_name or None)
