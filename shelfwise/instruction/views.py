"""Collaboration pages: list, request, the shared workspace, the librarian's view, standards."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.audit.services import audit_log
from shelfwise.instruction import selectors, services
from shelfwise.instruction.forms import (
    CollaborationForm,
    ParticipantForm,
    PlanForm,
    ReflectionForm,
    StandardsUploadForm,
    TaskForm,
    TransitionForm,
)
from shelfwise.instruction.models import Collaboration, Framework, Notification, Task
from shelfwise.instruction.scheduling import school_now
from shelfwise.instruction.standards import NotStandardsFileError, standards_import_text
from shelfwise.instruction.workflow import Status, TransitionError, next_statuses
from shelfwise.people.models import SchoolClass
from shelfwise.people.permissions import has_perm, require_perm


def _collaboration(request: HttpRequest, pk: int) -> Collaboration:
    """The collaboration, if the person may work on it here; 403 otherwise (404 if none)."""
    collab = get_object_or_404(Collaboration.objects.select_related("school"), pk=pk)
    if collab.school_id != getattr(request.school, "pk", None):
        raise PermissionDenied("another school")
    if not selectors.collaboration_can_edit(request.user, collab):
        raise PermissionDenied("not in this collaboration")
    return collab


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@require_perm("instruction.collaborate")
def collaboration_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    items = list(
        selectors.collaboration_list(person=request.user, school=request.school, status=status)
    )
    return render(
        request,
        "instruction/list.html",
        {
            "collaborations": items,
            "status": status,
            "statuses": Status.choices,
            "is_librarian": has_perm(request.user, "instruction.manage", request.school),
        },
    )


@require_perm("instruction.collaborate")
def collaboration_new(request: HttpRequest) -> HttpResponse:
    form = CollaborationForm(request.POST or None, person=request.user, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collab = services.collaboration_request(
                school=request.school,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                classes=data["classes"],
                grade=data["grade"],
                subject=data["subject"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                learning_goals=data["learning_goals"],
                ml_supports=data["ml_supports"],
                standards=data["standards"],
                co_teachers=data["co_teachers"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your request was sent to the librarian."))
            return redirect("instruction:detail", collab.pk)
    return render(request, "instruction/form.html", {"form": form, "editing": None})


@require_perm("instruction.collaborate")
def collaboration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    initial = {
        "title": collab.title,
        "kind": collab.kind,
        "classes": list(collab.classes.all()),
        "grade": collab.grade,
        "subject": collab.subject,
        "starts_on": collab.starts_on,
        "ends_on": collab.ends_on,
        "learning_goals": collab.learning_goals,
        "ml_supports": collab.ml_supports,
        "standards": list(collab.standards.all()),
    }
    form = CollaborationForm(
        request.POST or None,
        initial=initial,
        person=request.user,
        school=request.school,
        with_co_teachers=False,
    )
    # Classes already on it stay offered even if they are not the editor's own.
    offered = form.fields["classes"].queryset.values("pk")
    form.fields["classes"].queryset = SchoolClass.objects.filter(
        Q(pk__in=offered) | Q(pk__in=collab.classes.values("pk"))
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.collaboration_update(
                collaboration=collab,
                by=request.user,
                classes=list(data.pop("classes")),
                standards=list(data.pop("standards")),
                **data,
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect("instruction:detail", collab.pk)
    return render(request, "instruction/form.html", {"form": form, "editing": collab})


def _detail_context(request: HttpRequest, collab: Collaboration, **forms) -> dict:
    is_librarian = has_perm(request.user, "instruction.manage", collab.school)
    revisions = list(collab.plan_revisions.select_related("author")[:1])
    latest = revisions[0] if revisions else None
    return {
        "collab": collab,
        "participants": collab.participants.select_related("person"),
        "classes": collab.classes.all(),
        "standards": collab.standards.select_related("framework"),
        "history": collab.status_changes.select_related("by"),
        "tasks": collab.tasks.select_related("owner"),
        "bookings": collab.bookings.select_related("space", "period").order_by("starts_at"),
        "plan": latest,
        "revision_count": collab.plan_revisions.count(),
        "next_statuses": [
            (s, Status(s).label) for s in next_statuses(collab.status, is_librarian=is_librarian)
        ],
        "is_librarian": is_librarian,
        "plan_form": forms.get("plan_form")
        or PlanForm(
            initial={
                "body": latest.body if latest else "",
                "based_on": latest.number if latest else 0,
            }
        ),
        "task_form": forms.get("task_form") or TaskForm(collaboration=collab),
        "participant_form": forms.get("participant_form") or ParticipantForm(collaboration=collab),
        "reflection_form": forms.get("reflection_form")
        or ReflectionForm(
            initial={
                "worked": collab.reflection_worked,
                "evidence": collab.reflection_evidence,
                "next_time": collab.reflection_next,
            }
        ),
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "show_reflection": collab.status in (Status.TAUGHT, Status.REFLECTED),
        "can_book": has_perm(request.user, "instruction.book", collab.school),
    }


@require_perm("instruction.collaborate")
def collaboration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    Notification.objects.filter(person=request.user, collaboration=collab, read_at=None).update(
        read_at=school_now(collab.school)
    )
    return render(request, "instruction/detail.html", _detail_context(request, collab))


def _rerender(request: HttpRequest, collab: Collaboration, **forms) -> HttpResponse:
    return render(
        request, "instruction/detail.html", _detail_context(request, collab, **forms), status=400
    )


@require_POST
@require_perm("instruction.collaborate")
def collaboration_transition(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _rerender(request, collab, transition_form=form)
    try:
        services.collaboration_transition(
            collaboration=collab,
            by=request.user,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )
    except TransitionError as exc:
        form.add_error(None, str(exc))
        return _rerender(request, collab, transition_form=form)
    collab.refresh_from_db()
    messages.success(request, _("Status: %(status)s.") % {"status": collab.get_status_display()})
    return redirect("instruction:detail", collab.pk)


@require_POST
@require_perm("instruction.collaborate")
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_save(
                collaboration=collab,
                by=request.user,
                body=form.cleaned_data["body"],
                based_on=form.cleaned_data["based_on"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error("body", message)
        else:
            messages.success(request, _("Planning notes saved."))
            return redirect("instruction:detail", collab.pk)
    return _rerender(request, collab, plan_form=form)


@require_perm("instruction.collaborate")
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    return render(
        request,
        "instruction/plan_history.html",
        {"collab": collab, "revisions": collab.plan_revisions.select_related("author")},
    )


@require_POST
@require_perm("instruction.collaborate")
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    form = TaskForm(request.POST, collaboration=collab)
    if form.is_valid():
        try:
            services.task_add(
                collaboration=collab,
                by=request.user,
                title=form.cleaned_data["title"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Task added."))
            return redirect("instruction:detail", collab.pk)
    return _rerender(request, collab, task_form=form)


@require_POST
@require_perm("instruction.collaborate")
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    task = get_object_or_404(Task, pk=task_pk, collaboration=collab)
    services.task_set_done(task=task, by=request.user, done=request.POST.get("done") == "1")
    return redirect("instruction:detail", collab.pk)


@require_POST
@require_perm("instruction.collaborate")
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    form = ParticipantForm(request.POST, collaboration=collab)
    if form.is_valid():
        try:
            services.participant_add(
                collaboration=collab, by=request.user, person=form.cleaned_data["person"]
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Co-teacher added."))
            return redirect("instruction:detail", collab.pk)
    return _rerender(request, collab, participant_form=form)


@require_POST
@require_perm("instruction.collaborate")
def reflection_save(request: HttpRequest, pk: int) -> HttpResponse:
    collab = _collaboration(request, pk)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.reflection_save(
                collaboration=collab,
                by=request.user,
                worked=form.cleaned_data["worked"],
                evidence=form.cleaned_data["evidence"],
                next_time=form.cleaned_data["next_time"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Reflection saved."))
            return redirect("instruction:detail", collab.pk)
    return _rerender(request, collab, reflection_form=form)


@require_perm("instruction.manage")
def librarian_overview(request: HttpRequest) -> HttpResponse:
    today = school_now(request.school).date()
    overview = selectors.librarian_overview(school=request.school, today=today)
    monday = selectors.week_start(today)
    return render(
        request,
        "instruction/overview.html",
        {"o": overview, "monday": monday, "friday": monday + timedelta(days=4)},
    )


@require_perm("instruction.manage")
def standards_report(request: HttpRequest) -> HttpResponse:
    today = school_now(request.school).date()
    whole = request.GET.get("period") == "all"
    since = None if whole else selectors.school_year_start(today)
    rows = selectors.standards_taught(school=request.school, since=since)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="standards-taught.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Framework"),
                _("Code"),
                _("Standard"),
                _("Grade"),
                _("Subject"),
                _("Collaborations"),
            ]
        )
        for r in rows:
            writer.writerow([r.framework, r.code, r.name, r.grade, r.subject, r.count])
        return response
    return render(
        request,
        "instruction/standards_report.html",
        {"rows": rows, "since": since, "whole": whole},
    )


@require_perm("instruction.manage")
def standards_manage(request: HttpRequest) -> HttpResponse:
    form = StandardsUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            result = standards_import_text(text)
        except (UnicodeDecodeError, NotStandardsFileError) as exc:
            message = (
                str(exc) if isinstance(exc, NotStandardsFileError) else _("not a UTF-8 text file")
            )
            form.add_error("file", _("%(reason)s. Nothing was changed.") % {"reason": message})
        else:
            audit_log(
                actor=request.user,
                action="instruction.standards_import",
                school=request.school,
                created=result.created,
                updated=result.updated,
                rejected=len(result.errors),
            )
    frameworks = Framework.objects.all()
    return render(
        request,
        "instruction/standards.html",
        {"form": form, "result": result, "frameworks": frameworks},
    )


@require_perm("instruction.collaborate")
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(person=request.user)
        messages.success(request, _("All notifications marked as read."))
        return redirect("instruction:notifications")
    items = Notification.objects.filter(person=request.user).select_related("collaboration")[:100]
    return render(request, "instruction/notifications.html", {"items": items})
