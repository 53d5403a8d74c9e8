"""Collection pages: reports (chart, table, CSV), weeding, requests and orders. Thin:
parse, authorize, call the selectors or services, render."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.circulation.services import school_today
from shelfwise.collection import forms, reports, selectors, services
from shelfwise.collection.charts import bar_chart_svg, svg_data_uri
from shelfwise.collection.models import (
    BudgetLine,
    Order,
    OrderLine,
    PurchaseRequest,
    WeedingDecision,
    WeedingRule,
)
from shelfwise.collection.weeding import REASON_LABELS, rule_label, rules_for, weeding_list
from shelfwise.people.permissions import has_perm, is_district_admin, require_perm
from shelfwise.schools.models import School


def _school(request: HttpRequest) -> School:
    if request.school is None:
        raise Http404
    return request.school


def _today(request: HttpRequest) -> datetime.date:
    return school_today(_school(request))


def _scope(request: HttpRequest) -> tuple[list[int], bool]:
    """([school ids], district?) — the district only for a district administrator."""
    if request.GET.get("scope") == "district":
        if not is_district_admin(request.user):
            raise PermissionDenied("collection.district")
        return list(School.objects.values_list("pk", flat=True)), True
    return [_school(request).pk], False


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    # A cell starting like a formula runs as one in a spreadsheet (CSV injection).
    return (
        "'" + value
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
        else value
    )


def _csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # spreadsheet programs then read UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _report_response(
    request: HttpRequest, report: reports.Report, *, district: bool, **extra
) -> HttpResponse:
    code = "district" if district else _school(request).code
    if request.GET.get("format") == "csv":
        table = next(
            (t for t in report.tables if t.slug == request.GET.get("table")), report.tables[0]
        )
        return _csv(
            f"{report.slug}-{table.slug}-{code}-{_today(request).isoformat()}.csv",
            [c.label for c in table.columns],
            (
                [reports.csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
                for row in table.rows
            ),
        )
    svg = bar_chart_svg(
        labels=report.chart_labels,
        series=report.chart_series,
        ylabel=report.chart_ylabel,
        rtl=translation.get_language_bidi(),
    )
    tables = [
        {
            "table": t,
            "rows": [
                [(reports.fmt(v, c.kind), c.kind) for v, c in zip(row, t.columns, strict=True)]
                for row in t.rows
            ],
        }
        for t in report.tables
    ]
    query = "scope=district&" if district else ""
    return render(
        request,
        "collection/report.html",
        {
            "report": report,
            "tables": tables,
            "chart": svg_data_uri(svg),
            "district": district,
            "csv_query": query,
            **extra,
        },
    )


# ---------------------------------------------------------------- pages


@require_perm("collection.request")
def index(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    can = {
        perm: has_perm(request.user, f"collection.{perm}", school)
        for perm in ("view_reports", "view_equity", "weed", "acquire")
    }
    return render(
        request,
        "collection/index.html",
        {"can": can, "district_admin": is_district_admin(request.user)},
    )


@require_perm("collection.view_reports")
def profile(request: HttpRequest) -> HttpResponse:
    ids, district = _scope(request)
    return _report_response(
        request, reports.profile_report(school_ids=ids, today=_today(request)), district=district
    )


@require_perm("collection.view_reports")
def use(request: HttpRequest) -> HttpResponse:
    ids, district = _scope(request)
    form = forms.PeriodForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = reports.use_report(school_ids=ids, today=_today(request), start=start, end=end)
    return _report_response(request, report, district=district, period_form=form)


@require_perm("collection.view_equity")
def languages(request: HttpRequest) -> HttpResponse:
    ids, district = _scope(request)
    school = _school(request)
    can_set = has_perm(request.user, "collection.acquire", school) and not district
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied("collection.acquire")
        form = forms.TargetForm(request.POST)
        if form.is_valid():
            services.language_target_set(school=school, by=request.user, **form.cleaned_data)
            messages.success(request, _("The coverage target is saved."))
            return redirect("collection:languages")
    else:
        mode, per_speaker = selectors.language_target([school.pk])
        form = forms.TargetForm(initial={"mode": mode, "titles_per_speaker": per_speaker})
    coverage = selectors.language_coverage(school_ids=ids, today=_today(request))
    # Counts of students by home language and EL status: sensitive, so recorded.
    audit_log(
        actor=request.user,
        action="collection.view_languages",
        school=school,
        district=district,
        format=request.GET.get("format", "html"),
    )
    return _report_response(
        request,
        reports.language_report(coverage=coverage),
        district=district,
        target_form=form if can_set else None,
        gaps=[r for r in coverage.rows if r.below_target],
        can_request=has_perm(request.user, "collection.request", school),
    )


@require_perm("collection.view_equity")
def reading(request: HttpRequest) -> HttpResponse:
    ids, district = _scope(request)
    return _report_response(request, reports.reading_report(school_ids=ids), district=district)


@require_perm("collection.view_reports")
def district(request: HttpRequest) -> HttpResponse:
    if not is_district_admin(request.user):
        raise PermissionDenied("collection.district")
    report = reports.district_report(schools=School.objects.order_by("name"), today=_today(request))
    return _report_response(request, report, district=True)


@require_perm("collection.view_equity")
def suggestions(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    language = (request.GET.get("language") or "")[:8]
    band = request.GET.get("band") or ""
    if band and band not in selectors.BAND_GRADES:
        band = ""
    rows = []
    if language or band:
        rows = selectors.gap_suggestions(
            school=school,
            district_school_ids=list(School.objects.values_list("pk", flat=True)),
            language=language,
            band=band,
        )
    coverage = selectors.language_coverage(school_ids=[school.pk], today=_today(request))
    return render(
        request,
        "collection/suggestions.html",
        {
            "rows": rows,
            "language": language,
            "band": band,
            "languages": coverage.rows,
            "bands": list(selectors.BAND_GRADES),
            "language_name": selectors.language_name(language) if language else "",
            "can_request": has_perm(request.user, "collection.request", school),
        },
    )


# ---------------------------------------------------------------- weeding


@require_perm("collection.weed")
def weeding(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    rules = rules_for(school)
    if request.method == "POST":
        form = forms.RuleForm(request.POST)
        if form.is_valid():
            rule = get_object_or_404(WeedingRule, pk=form.cleaned_data["rule"], school=school)
            services.weeding_rule_update(
                rule=rule,
                max_age=form.cleaned_data["max_age"],
                max_idle=form.cleaned_data["max_idle"],
                by=request.user,
            )
            messages.success(request, _("Rule %(rule)s saved.") % {"rule": rule_label(rule)})
        else:
            messages.error(request, _("Enter years from 1 to 100, or leave blank for X."))
        return redirect("collection:weeding")
    sections = [
        (key, selectors.SECTION_LABELS[key])
        for key in (*selectors.DEWEY_CLASSES, *selectors.SECTIONS)
    ]
    decisions = WeedingDecision.objects.filter(school=school).select_related("decided_by")[:50]
    return render(
        request,
        "collection/weeding.html",
        {
            "rules": [
                (rule, rule_label(rule))
                for rule in sorted(
                    rules, key=lambda r: (bool(r.section), r.dewey_prefix.ljust(3, "0"), r.section)
                )
            ],
            "sections": sections,
            "decisions": decisions,
        },
    )


@require_perm("collection.weed")
def weeding_section(request: HttpRequest, section: str) -> HttpResponse:
    school = _school(request)
    if section not in (*selectors.DEWEY_CLASSES, *selectors.SECTIONS):
        raise Http404
    today = _today(request)
    if request.method == "POST":
        form = forms.DecisionForm(request.POST)
        if form.is_valid():
            from shelfwise.catalog.models import Item

            item = get_object_or_404(Item, pk=form.cleaned_data["item"], school=school)
            try:
                services.weeding_decide(
                    item=item,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    confirm_last_copy=form.cleaned_data["confirm_last_copy"],
                    by=request.user,
                    today=today,
                )
                messages.success(
                    request, _("Decision saved for %(barcode)s.") % {"barcode": item.barcode}
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Choose a decision."))
        return redirect("collection:weeding_section", section=section)
    candidates = weeding_list(school=school, section=section, today=today)
    if request.GET.get("format") == "csv":
        return _csv(
            f"weeding-{section}-{school.code}-{today.isoformat()}.csv",
            [
                _("Barcode"),
                _("Title"),
                _("Call number"),
                _("Dewey"),
                _("Year"),
                _("Last circulated"),
                _("Reasons"),
                _("Last copy in a language below target"),
                _("Decision"),
            ],
            (
                [
                    c.barcode,
                    c.title,
                    c.call_number,
                    c.dewey,
                    c.pub_year,
                    c.last_circulated or "",
                    " ".join(c.reasons),
                    " ".join(c.flag_languages),
                    c.decision,
                ]
                for c in candidates
            ),
        )
    return render(
        request,
        "collection/weeding_section.html",
        {
            "section": section,
            "label": selectors.SECTION_LABELS[section],
            "candidates": candidates,
            "decisions": WeedingDecision.Decision.choices,
            "reason_labels": REASON_LABELS,
        },
    )


@require_perm("collection.weed")
def weeding_log_csv(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    rows = WeedingDecision.objects.filter(school=school).select_related("decided_by")
    return _csv(
        f"weeding-decisions-{school.code}.csv",
        [
            _("Decided"),
            _("Decision"),
            _("Barcode"),
            _("Title"),
            _("Call number"),
            _("Dewey"),
            _("Year"),
            _("Reasons"),
            _("Last copy flag"),
            _("Note"),
            _("By"),
            _("Withdrawn"),
        ],
        (
            [
                d.decided_at.isoformat(),
                d.decision,
                d.barcode,
                d.title,
                d.call_number,
                d.dewey,
                d.pub_year,
                " ".join(d.reasons),
                d.last_copy_flag,
                d.note,
                str(d.decided_by or ""),
                d.withdrawn_at.isoformat() if d.withdrawn_at else "",
            ]
            for d in rows.iterator()
        ),
    )


# ---------------------------------------------------------------- requests


@require_perm("collection.request")
def requests(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    initial = {
        k: request.GET[k][:40]
        for k in ("gap", "gap_value", "language", "title", "isbn")
        if request.GET.get(k)
    }
    form = forms.RequestForm(
        request.POST or None, initial=initial or None, school=school, person=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.purchase_request_create(
                school=school, by=request.user, **{**data, "gap": data["gap"] or ""}
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Your request is sent to the librarian."))
            return redirect("collection:requests")
    mine = PurchaseRequest.objects.filter(school=school, requested_by=request.user)
    return render(request, "collection/requests.html", {"form": form, "mine": mine})


@require_perm("collection.acquire")
def requests_manage(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    if request.method == "POST":
        form = forms.StatusForm(request.POST)
        if form.is_valid():
            found = get_object_or_404(
                PurchaseRequest, pk=form.cleaned_data["request"], school=school
            )
            try:
                services.purchase_request_set_status(
                    request=found,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("Answer saved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("collection:requests_manage")
    rows = PurchaseRequest.objects.filter(school=school).select_related("requested_by")[:300]
    return render(
        request,
        "collection/requests_manage.html",
        {
            "rows": rows,
            "open": (PurchaseRequest.Status.SUBMITTED, PurchaseRequest.Status.WISH_LIST),
        },
    )


# ---------------------------------------------------------------- orders


@require_perm("collection.acquire")
def orders(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    budget_form = forms.BudgetForm(
        request.POST if request.POST.get("form") == "budget" else None, prefix="budget"
    )
    order_form = forms.OrderForm(
        request.POST if request.POST.get("form") == "order" else None, prefix="order", school=school
    )
    if request.method == "POST":
        try:
            if budget_form.is_bound and budget_form.is_valid():
                services.budget_line_create(
                    school=school, by=request.user, **budget_form.cleaned_data
                )
                messages.success(request, _("Budget line added."))
                return redirect("collection:orders")
            if order_form.is_bound and order_form.is_valid():
                vendor = services.vendor_get_or_create(name=order_form.cleaned_data["vendor"])
                order = services.order_create(
                    school=school,
                    vendor=vendor,
                    budget_line=order_form.cleaned_data["budget_line"],
                    by=request.user,
                )
                return redirect("collection:order", pk=order.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    budgets = [
        {"line": line, **services.budget_figures(line)}
        for line in BudgetLine.objects.filter(school=school)
    ]
    rows = (
        Order.objects.filter(school=school)
        .select_related("vendor", "budget_line")
        .annotate(n=Count("lines"))
    )
    return render(
        request,
        "collection/orders.html",
        {"budgets": budgets, "orders": rows, "budget_form": budget_form, "order_form": order_form},
    )


@require_perm("collection.acquire")
def order(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school(request)
    found = get_object_or_404(
        Order.objects.select_related("vendor", "budget_line"), pk=pk, school=school
    )
    line_form = forms.LineForm(
        request.POST if request.POST.get("form") == "line" else None, prefix="line", school=school
    )
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "line" and line_form.is_valid():
                data = line_form.cleaned_data
                services.order_line_add(
                    order=found,
                    by=request.user,
                    request=data["request"],
                    isbn=data["isbn"],
                    title=data["title"],
                    language=data["language"],
                    quantity=data["quantity"],
                    unit_price=data["unit_price"],
                )
                messages.success(request, _("Line added."))
                return redirect("collection:order", pk=pk)
            if action == "place":
                services.order_place(order=found, by=request.user)
                messages.success(request, _("Order placed."))
                return redirect("collection:order", pk=pk)
            if action == "receive":
                receive = forms.ReceiveForm(request.POST)
                if receive.is_valid():
                    line = get_object_or_404(
                        OrderLine, pk=receive.cleaned_data["line"], order=found
                    )
                    items = services.order_line_receive(
                        line=line,
                        barcodes=receive.cleaned_data["barcodes"].splitlines(),
                        by=request.user,
                        today=_today(request),
                    )
                    messages.success(request, _("%(n)s copies received.") % {"n": len(items)})
                else:
                    messages.error(request, _("Scan the barcode of each copy received."))
                return redirect("collection:order", pk=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            if action != "line":
                return redirect("collection:order", pk=pk)
    return render(
        request,
        "collection/order.html",
        {
            "order": found,
            "lines": found.lines.select_related("request", "record"),
            "line_form": line_form,
            "budget": services.budget_figures(found.budget_line),
            "total": sum((ln.total for ln in found.lines.all()), 0),
        },
    )
