"""Staff catalog pages: search, a record with its MARC and copies, add a record, add/edit copies.

Views parse, authorize (the role table, then the object: an item is edited
only where the person may catalogue), call a selector or service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from stdnum import isbn as stdnum_isbn

from shelfwise.catalog import selectors, services
from shelfwise.catalog.forms import (
    AUDIENCE_LABELS,
    LITERARY_FORM_LABELS,
    IsbnLookupForm,
    ItemForm,
    RecordForm,
    suggested_call_number,
)
from shelfwise.catalog.models import Format, Item, ItemStatus, Record
from shelfwise.marc.build import build_record
from shelfwise.marc.display import field_lines
from shelfwise.marc.holdings import HOLDING_TAGS
from shelfwise.marc.languages import language_name
from shelfwise.marc.storage import from_storage
from shelfwise.people.permissions import has_perm, require_perm

PAGE_SIZE = 50

_STATUS_BADGES = {
    ItemStatus.AVAILABLE: "badge--success",
    ItemStatus.LOST: "badge--danger",
    ItemStatus.MISSING: "badge--danger",
    ItemStatus.DAMAGED: "badge--warning",
    ItemStatus.CLAIMED_RETURNED: "badge--warning",
    ItemStatus.WITHDRAWN: "badge--danger",
}


@require_perm("catalog.view_staff")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    result = selectors.record_search(query=query, school=request.school)
    if result.barcode_item is not None:
        url = reverse("catalog:record_detail", args=[result.barcode_item.record_id])
        return redirect(f"{url}#item-{result.barcode_item.pk}")
    page = Paginator(result.records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/search.html",
        {
            "query": result.query,
            "isbn": result.isbn,
            "page": page,
            "can_edit": has_perm(request.user, "catalog.edit", request.school),
        },
    )


def _bib_summary(record: Record) -> list[tuple[str, list[str]]]:
    """(label, [values]) of the extracted fields a record has, in reading order."""
    locale = get_language() or "en"
    reading = []
    if record.reading_grade_min is not None:
        grades = [record.reading_grade_min, record.reading_grade_max]
        reading.append(_("reading grade %(grades)s") % {"grades": _range(*grades)})
    if record.lexile is not None or record.lexile_code:
        reading.append(_lexile(record))
    if record.fp_level:
        reading.append(_("Fountas & Pinnell %(level)s") % {"level": record.fp_level})
    if record.ar_level is not None:
        reading.append(_("AR %(level)s") % {"level": record.ar_level})
    interest = []
    if record.interest_age_min is not None:
        ages = _range(record.interest_age_min, record.interest_age_max)
        interest.append(_("ages %(ages)s") % {"ages": ages})
    if record.interest_grade_min is not None:
        grades = _range(_grade(record.interest_grade_min), _grade(record.interest_grade_max))
        interest.append(_("grades %(grades)s") % {"grades": grades})
    if record.ar_interest:
        interest.append(_("AR interest %(level)s") % {"level": record.ar_interest})
    ar = []
    if record.ar_points is not None:
        ar.append(_("%(points)s points") % {"points": record.ar_points})
    rows: list[tuple[str, Any]] = [
        (_("Title"), record.title),
        (_("Statement of responsibility"), record.responsibility),
        (_("Authors"), record.authors),
        (_("Edition"), record.edition),
        (_("Published"), ", ".join(
            str(p) for p in (record.pub_place, record.publisher, record.pub_year) if p
        )),
        (_("Extent"), record.extent),
        (_("Format"), record.get_format_display()),
        (_("ISBN"), [_isbn_display(isbn) for isbn in record.isbns]),
        (_("Languages"), [language_name(code, locale) for code in record.languages]),
        (_("Series"), record.series),
        (_("Summary"), record.summary),
        (_("Subjects"), record.subjects),
        (_("Genres"), record.genres),
        (_("Dewey number"), record.dewey),
        (_("Literary form"), LITERARY_FORM_LABELS.get(record.literary_form, "")),
        (_("Biography"), _("Yes") if record.is_biography else ""),
        (_("Audience"), AUDIENCE_LABELS.get(record.audience, "")),
        (_("Reading level"), [r for r in reading if r]),
        (_("Interest level"), interest),
        (_("Accelerated Reader"), ar),
        (_("Control number"), " ".join(
            p for p in (record.control_number_source, record.control_number) if p
        )),
    ]  # fmt: skip
    shown = []
    for label, value in rows:
        values = [str(v) for v in (value if isinstance(value, list) else [value]) if v]
        if values:
            shown.append((label, values))
    return shown


def _isbn_display(isbn13: str) -> str:
    try:
        return stdnum_isbn.format(isbn13)
    except Exception:  # a stored value stdnum cannot hyphenate is shown as stored
        return isbn13


def _lexile(record: Record) -> str:
    """'AD580L', 'BR100L', 'NP': the Lexile as publishers print it."""
    if record.lexile is None:
        return record.lexile_code
    prefix = "BR" if record.lexile < 0 else ""
    return f"{record.lexile_code}{prefix}{abs(record.lexile)}L"


def _range(low: Any, high: Any) -> str:
    return str(low) if high is None or high == low else f"{low}–{high}"


def _grade(value: int | None) -> str | None:
    if value is None:
        return None
    return "K" if value == 0 else str(value)


def _record_or_404(pk: int) -> Record:
    try:
        return selectors.record_with_items(pk=pk)
    except Record.DoesNotExist:
        raise Http404 from None


@require_perm("catalog.view_staff")
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_or_404(pk)
    groups = selectors.items_by_school(record=record, first_school=request.school)
    # has_perm answers from the person's cached roles: no query per school.
    for group in groups:
        group.can_edit = has_perm(request.user, "catalog.edit", group.school)
        group.can_manage = has_perm(request.user, "circulation.manage", group.school)
        for item in group.items:
            item.badge = _STATUS_BADGES.get(item.status, "badge--info")
    try:
        marc_lines = [
            # Fixed fields are read by position: show their blanks, which HTML would collapse.
            (tag, indicators, text if tag >= "010" else text.replace(" ", "_"))
            for tag, indicators, text in field_lines(from_storage(bytes(record.marc)))
            # Holdings as they arrived may be stale; the copies table is the truth.
            if tag not in HOLDING_TAGS
        ]
    except Exception:  # a record whose stored MARC cannot be read still shows its fields
        marc_lines = None
    lookup_isbn = request.GET.get("isbn", "")
    return render(
        request,
        "catalog/record_detail.html",
        {
            "record": record,
            "fields": _bib_summary(record),
            "marc_lines": marc_lines,
            "groups": groups,
            "can_add_item": has_perm(request.user, "catalog.edit", request.school),
            "can_manage": has_perm(request.user, "circulation.manage", request.school),
            "found_isbn": lookup_isbn if lookup_isbn in record.isbns else "",
        },
    )


@require_perm("catalog.edit")
def record_add(request: HttpRequest) -> HttpResponse:
    prefilled_isbn = selectors.isbn13_or_none(request.GET.get("isbn", "")) or ""
    existing: list[Record] = []
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            kwargs = form.build_kwargs()
            existing = selectors.records_with_isbn(isbn=kwargs["isbn"]) if kwargs["isbn"] else []
            if existing:
                form.add_error(
                    "isbn",
                    _("ISBN %(isbn)s is already in the catalog on “%(title)s”. "
                      "Add a copy to that record instead.")
                    % {"isbn": kwargs["isbn"], "title": existing[0].title},
                )  # fmt: skip
            else:
                marc_record = build_record(**kwargs)
                try:
                    record = services.record_create(
                        marc_record=marc_record, by=request.user, school=request.school
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Record saved. Now add its first copy."))
                    return redirect("catalog:item_add", pk=record.pk)
    else:
        form = RecordForm(initial={"isbn": prefilled_isbn, "format": Format.BOOK})
    return render(
        request,
        "catalog/record_form.html",
        {
            "form": form,
            "prefilled_isbn": prefilled_isbn if request.method == "GET" else "",
            "existing": existing,
        },
    )


@require_perm("catalog.view_staff")
def record_by_isbn(request: HttpRequest) -> HttpResponse:
    form = IsbnLookupForm(request.GET or None)
    matches: list[Record] = []
    if form.is_valid():
        isbn = form.cleaned_data["isbn"]
        matches = selectors.records_with_isbn(isbn=isbn)
        if len(matches) == 1:
            url = reverse("catalog:record_detail", args=[matches[0].pk])
            return redirect(f"{url}?isbn={isbn}")
        if not matches and has_perm(request.user, "catalog.edit", request.school):
            return redirect(f"{reverse('catalog:record_add')}?isbn={isbn}")
    return render(
        request,
        "catalog/record_by_isbn.html",
        {
            "form": form,
            "matches": matches,
            "searched": form.is_bound and form.is_valid(),
            "can_add_item": has_perm(request.user, "catalog.edit", request.school),
        },
    )


def _item_fields(form: ItemForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    for name in ("location", "call_number", "copy_number", "notes"):
        data[name] = data.get(name) or ""
    return data


@require_perm("catalog.edit")
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = Record.objects.defer("marc", "marc_original").get(pk=pk)
    except Record.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                item = services.item_create(
                    record=record, school=request.school, by=request.user, **_item_fields(form)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Copy %(barcode)s added.") % {"barcode": item.barcode})
                if "add_another" in request.POST:
                    return redirect("catalog:item_add", pk=record.pk)
                url = reverse("catalog:record_detail", args=[record.pk])
                return redirect(f"{url}#item-{item.pk}")
    else:
        copies_here = Item.objects.filter(record=record, school=request.school).count()
        form = ItemForm(
            initial={
                "call_number": suggested_call_number(record),
                "copy_number": str(copies_here + 1),
                "item_type": "book",
            }
        )
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "record": record, "item": None, "school": request.school},
    )


@require_perm("catalog.view_staff")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.item_for_edit(pk=pk)
    except Item.DoesNotExist:
        raise Http404 from None
    # The object check: a copy is edited only by someone who catalogues at its school.
    if not has_perm(request.user, "catalog.edit", item.school):
        raise PermissionDenied("catalog.edit")
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                services.item_update(item=item, by=request.user, **_item_fields(form))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Copy %(barcode)s saved.") % {"barcode": item.barcode})
                url = reverse("catalog:record_detail", args=[item.record_id])
                return redirect(f"{url}#item-{item.pk}")
    else:
        form = ItemForm(initial={name: getattr(item, name) for name in services.ITEM_FIELDS})
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "record": item.record, "item": item, "school": item.school},
    )
