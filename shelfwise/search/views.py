"""The student catalog (OPAC): search with facets, a record's public page, placing a hold.

Search and record pages are open to anonymous visitors and show only
bibliographic data and copy status. Placing a hold needs a signed-in reader
(`search.place_hold`) and goes through `circulation.services.hold_place`, so
every circulation policy applies. With htmx, facet and page links swap only
the results; without JavaScript they are ordinary links.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.catalog.models import Item, ItemStatus, Record
from shelfwise.circulation.models import Hold
from shelfwise.circulation.services import CirculationError, hold_place, hold_position
from shelfwise.marc.languages import language_name
from shelfwise.people.permissions import has_perm, require_perm
from shelfwise.search import opac
from shelfwise.search.facets import AVAILABLE, FACETS
from shelfwise.search.models import SearchDocument
from shelfwise.search.query import FIELDS
from shelfwise.search.selectors import search

PER_PAGE = 20
# The order facets are offered in, and their headings.
FACET_ORDER = ("language", "band", "format", "audience", AVAILABLE, "subject")


def _facet_titles() -> dict[str, str]:
    return {
        "language": _("Language"),
        "band": _("Reading level"),
        "format": _("Format"),
        "audience": _("Audience"),
        AVAILABLE: _("Availability"),
        "subject": _("Subject"),
    }


def _field_labels() -> dict[str, str]:
    return {
        "keyword": _("Everything"),
        "title": _("Title"),
        "author": _("Author"),
        "subject": _("Subject"),
        "series": _("Series"),
        "isbn": _("ISBN"),
    }


def _params(query: str, field: str, filters: dict[str, list[str]], page: int = 1) -> str:
    pairs: list[tuple[str, str]] = []
    if query:
        pairs.append(("q", query))
    if field != "keyword":
        pairs.append(("field", field))
    for name in FACET_ORDER:
        pairs += [(name, value) for value in filters.get(name, [])]
    if page > 1:
        pairs.append(("page", str(page)))
    return "?" + urlencode(pairs)


def _toggled(filters: dict[str, list[str]], name: str, value: str) -> dict[str, list[str]]:
    changed = {key: list(values) for key, values in filters.items()}
    values = changed.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return changed


def opac_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:2000]
    field = request.GET.get("field", "keyword")
    if field not in FIELDS:
        field = "keyword"
    filters = {name: request.GET.getlist(name) for name in FACETS if request.GET.getlist(name)}
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    school = request.school
    result = search(
        query=query, field=field, filters=filters, school=school, page=page, per_page=PER_PAGE
    )
    filters = result.filters
    if result.exact and result.total == 1 and result.records:
        return redirect("search:record", pk=result.records[0].pk)

    base = reverse("search:opac")
    facets = []
    titles = _facet_titles()
    for name in FACET_ORDER:
        selected = set(filters.get(name, []))
        values = []
        for value, count in result.facets.get(name, []):
            values.append(
                {
                    "label": opac.facet_label(name, value, school=school),
                    "count": opac.locale_number(count),
                    "selected": value in selected,
                    "url": base + _params(query, field, _toggled(filters, name, value)),
                }
            )
        if values:
            facets.append({"name": name, "title": titles[name], "values": values})
    chosen = [
        {
            "label": opac.facet_label(name, value, school=school),
            "title": titles[name],
            "url": base + _params(query, field, _toggled(filters, name, value)),
        }
        for name in FACET_ORDER
        for value in filters.get(name, [])
    ]
    pages = max((result.total + PER_PAGE - 1) // PER_PAGE, 1)
    context: dict[str, Any] = {
        "query": result.query.text,
        "field": field,
        "fields": list(_field_labels().items()),
        "result": result,
        "searched": bool(result.query.text or filters),
        "total": opac.locale_number(result.total),
        "facets": facets,
        "chosen": chosen,
        "clear_url": base + _params(query, field, {}),
        "page": result.page,
        "pages": pages,
        "page_label": opac.locale_number(result.page),
        "pages_label": opac.locale_number(pages),
        "previous_url": base + _params(query, field, filters, result.page - 1)
        if result.page > 1
        else None,
        "next_url": base + _params(query, field, filters, result.page + 1)
        if result.page < pages
        else None,
        "rows": _result_rows(result.records, back=_params(query, field, filters, result.page)),
        "start": (result.page - 1) * PER_PAGE + 1,
    }
    template = "search/_results.html" if request.headers.get("HX-Request") else "search/opac.html"
    return render(request, template, context)


def _result_rows(records: list[Record], *, back: str) -> list[dict[str, Any]]:
    back_query = "?" + urlencode({"back": reverse("search:opac") + back})
    ids = [r.pk for r in records]
    counts = {
        row["record_id"]: row
        for row in Item.objects.filter(record_id__in=ids)
        .exclude(status=ItemStatus.WITHDRAWN)
        .values("record_id")
        .annotate(n=Count("pk"), available=Count("pk", filter=Q(status=ItemStatus.AVAILABLE)))
    }
    rows = []
    for record in records:
        row = counts.get(record.pk, {"n": 0, "available": 0})
        rows.append(
            {
                "record": record,
                "url": reverse("search:record", args=[record.pk]) + back_query,
                "languages": [language_name(c, _lang()) for c in record.languages or []],
                "format": record.get_format_display(),
                "bands": [opac.band_label(b) for b in opac.record_bands(record)],
                "copies": row["n"],
                "available": row["available"],
            }
        )
    return rows


def _lang() -> str:
    return get_language() or "en"


def _reading_level(record: Record) -> list[str]:
    levels = []
    if record.lexile is not None:
        prefix = "BR" if record.lexile < 0 else ""
        levels.append(
            _("Lexile %(measure)s")
            % {"measure": f"{record.lexile_code}{prefix}{abs(record.lexile)}L"}
        )
    if record.reading_grade_min is not None:
        low, high = record.reading_grade_min, record.reading_grade_max
        grades = str(low) if high is None or high == low else f"{low}–{high}"
        levels.append(_("Reading grade %(grades)s") % {"grades": grades})
    if record.ar_level is not None:
        levels.append(_("Accelerated Reader level %(level)s") % {"level": record.ar_level})
    return levels


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Only indexed records are in the public catalog (a record being imported is not yet).
    if not SearchDocument.objects.filter(record_id=pk).exists():
        raise Http404
    record = Record.objects.defer("marc", "marc_original").filter(pk=pk).first()
    if record is None:
        raise Http404
    school = request.school
    copies = opac.record_copies(record=record, school=school)
    subject, other_languages = opac.record_other_languages(record=record)
    level_subject, other_levels = opac.record_other_levels(record=record)
    search_url = reverse("search:opac")
    for neighbour in other_languages:
        filters = {"language": [neighbour.value]}
        if subject:
            filters["subject"] = [subject]
        neighbour_url = _params("", "keyword", filters)
        neighbour.url = search_url + neighbour_url
    for neighbour in other_levels:
        neighbour_url = _params(
            "", "keyword", {"subject": [level_subject], "band": [neighbour.value]}
        )
        neighbour.url = search_url + neighbour_url
    can_hold = has_perm(request.user, "search.place_hold", school) and any(c.here for c in copies)
    active_hold = None
    if request.user.is_authenticated:
        active_hold = Hold.objects.filter(
            record=record,
            patron=request.user,
            status__in=[Hold.Status.WAITING, Hold.Status.READY],
        ).first()
    context = {
        "record": record,
        "authors": list(dict.fromkeys(a for a in [record.main_author, *record.authors] if a)),
        "languages": [language_name(c, _lang()) for c in record.languages or []],
        "bands": [opac.band_label(b) for b in opac.record_bands(record)],
        "levels": _reading_level(record),
        "audience": opac.facet_label("audience", record.audience) if record.audience else "",
        "subjects": [
            {"label": s, "url": search_url + _params("", "keyword", {"subject": [v]})}
            for s, v in ((s, opac.subject_value(s)) for s in record.subjects or [])
            if v
        ],
        "copies": [
            {"row": row, "due": opac.locale_date(row.due_on) if row.due_on else ""}
            for row in copies
        ],
        "summary": opac.copy_summary(copies),
        "subject": subject,
        "other_languages": other_languages,
        "level_subject": level_subject,
        "other_levels": other_levels,
        "can_hold": can_hold,
        "active_hold": active_hold,
        "back_url": request.GET.get("back", "") if _is_search_url(request.GET.get("back")) else "",
    }
    return render(request, "search/record.html", context)


def _is_search_url(url: str | None) -> bool:
    return bool(url) and url.startswith(reverse("search:opac") + "?")


@require_POST
@require_perm("search.place_hold")
def record_hold(request: HttpRequest, pk: int) -> HttpResponse:
    record = Record.objects.defer("marc", "marc_original").filter(pk=pk).first()
    if record is None or not SearchDocument.objects.filter(record_id=pk).exists():
        raise Http404
    try:
        hold = hold_place(
            record=record, patron=request.user, school=request.school, by=request.user
        )
    except CirculationError as exc:
        messages.error(request, str(exc))
        return redirect("search:record", pk=pk)
    if hold.status == Hold.Status.READY:
        messages.success(
            request,
            _("A copy of “%(title)s” is waiting for you at the library desk.")
            % {"title": record.title},
        )
    else:
        messages.success(
            request,
            _("Your hold on “%(title)s” is placed: you are number %(position)s in line.")
            % {"title": record.title, "position": opac.locale_number(hold_position(hold))},
        )
    return redirect("search:record", pk=pk)
