"""Building guides: the editor, sections and resources, publishing, copying, sharing,
and the access check page.

Each view holds `guides.edit` in the current school and then may edit the
guide itself (`access.guide_can_edit`); a guide another person may not edit
is a 404 to them, not a 403, so its existence does not leak. Writes go
through guides.services; a GuideError comes back to the form as a message
and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.audit.services import audit_log
from shelfwise.catalog.models import Record
from shelfwise.guides import access, selectors, services
from shelfwise.guides.forms import GuideForm, ResourceForm, SectionForm, TranslationForm
from shelfwise.guides.models import Guide, Resource, Section
from shelfwise.guides.services import GuideError
from shelfwise.guides.views import share_url
from shelfwise.marc.languages import language_name
from shelfwise.people.permissions import require_perm
from shelfwise.search.selectors import search

GUIDE_FIELDS = ("title", "intro", "unit", "subject", "grade", "visibility", "collaboration")


def _editable(request: HttpRequest, guide: Guide) -> Guide:
    if not access.guide_can_edit(request.user, guide):
        raise Http404
    return guide


def _guide(request: HttpRequest, pk: int) -> Guide:
    return _editable(request, get_object_or_404(Guide.objects.select_related("school"), pk=pk))


def _section(request: HttpRequest, pk: int) -> Section:
    section = get_object_or_404(Section.objects.select_related("guide__school"), pk=pk)
    _editable(request, section.guide)
    return section


def _resource(request: HttpRequest, pk: int) -> Resource:
    resource = get_object_or_404(
        Resource.objects.select_related("section__guide__school", "record"), pk=pk
    )
    _editable(request, resource.section.guide)
    return resource


def _edit_url(guide: Guide, anchor: str = "") -> str:
    return reverse("guides:edit", args=[guide.pk]) + (f"#{anchor}" if anchor else "")


def _from_collaboration(request: HttpRequest) -> dict[str, Any]:
    """Start values from ?collaboration=<pk>, when the person may see that collaboration."""
    from shelfwise.instruction.selectors import collaborations_visible

    pk = request.GET.get("collaboration", "")
    if not pk.isdigit():
        return {}
    found = collaborations_visible(person=request.user, school=request.school).filter(pk=pk)
    collaboration = found.prefetch_related("classes").first()
    if collaboration is None:
        return {}
    return {
        "collaboration": collaboration,
        "title": collaboration.title,
        "unit": collaboration.title,
        "grade": collaboration.grade,
        "classes": list(collaboration.classes.all()),
    }


@require_perm("guides.edit")
def create(request: HttpRequest) -> HttpResponse:
    form = GuideForm(
        request.POST or None,
        initial=_from_collaboration(request),
        school=request.school,
        person=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guide = services.guide_create(
                school=request.school,
                by=request.user,
                title=data["title"],
                intro=data["intro"],
                unit=data["unit"],
                subject=data["subject"],
                grade=data["grade"],
                visibility=data["visibility"],
                classes=data["classes"],
                editors=data["editors"],
                collaboration=data["collaboration"],
            )
        except GuideError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Guide created. Add its first section."))
            return redirect(_edit_url(guide, "sections"))
    return render(request, "guides/create.html", {"form": form})


@require_perm("guides.edit")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request, pk)
    initial = {
        "title": guide.title,
        "intro": guide.intro,
        "unit": guide.unit,
        "subject": guide.subject,
        "grade": guide.grade,
        "visibility": guide.visibility,
        "collaboration": guide.collaboration_id,
        "classes": list(guide.classes.all()),
        "editors": list(guide.editors.all()),
    }
    form = GuideForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        school=guide.school,
        person=request.user,
        guide=guide,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        editors = set(data["editors"])
        if not _is_librarian(request):
            # Decision: a teacher who saves the form stays an owner (they cannot lock
            # themselves out by mistake); the librarian edits every guide anyway.
            editors.add(request.user)
        try:
            services.guide_update(
                guide=guide,
                by=request.user,
                classes=data["classes"],
                editors=editors,
                **{k: data[k] for k in GUIDE_FIELDS},
            )
        except GuideError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Guide saved."))
            return redirect(_edit_url(guide))
    contents = selectors.guide_with_contents(pk=guide.pk)
    return render(request, "guides/edit.html", _editor_context(request, contents, form))


def _is_librarian(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in ("librarian", "district_admin")


def _editor_context(request: HttpRequest, guide: Guide, form: GuideForm) -> dict[str, Any]:
    existing = {t.language: t for t in guide.translations.all()}
    translations = [
        (
            code,
            name,
            TranslationForm(
                initial={
                    "language": code,
                    "title": existing[code].title if code in existing else "",
                    "intro": existing[code].intro if code in existing else "",
                },
                prefix=f"tr-{code}",
            ),
        )
        for code, name in settings.LANGUAGES
    ]
    locale = get_language() or "en"
    sections = []
    for section in guide.sections.all():
        items = []
        for resource in section.resources.all():
            items.append(
                {
                    "resource": resource,
                    "languages": [
                        language_name(code, locale)
                        for code in selectors.resource_languages(resource)
                    ],
                    "bands": selectors.resource_bands(resource),
                }
            )
        sections.append({"section": section, "items": items})
    return {
        "guide": guide,
        "form": form,
        "translations": translations,
        "sections": sections,
        "section_form": SectionForm(),
        "kinds": [(k.value, k.label) for k in Resource.Kind],
        "share_url": share_url(request, guide),
    }


@require_POST
@require_perm("guides.edit")
def translation_save(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request, pk)
    language = request.POST.get("language", "")
    form = TranslationForm(request.POST, prefix=f"tr-{language}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages listed."))
        return redirect(_edit_url(guide, "translations"))
    try:
        services.guide_translation_set(
            guide=guide,
            by=request.user,
            language=form.cleaned_data["language"],
            title=form.cleaned_data["title"],
            intro=form.cleaned_data["intro"],
        )
    except GuideError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Translation saved."))
    return redirect(_edit_url(guide, "translations"))


@require_POST
@require_perm("guides.edit")
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request, pk)
    try:
        section = services.section_add(
            guide=guide, by=request.user, title=request.POST.get("title", "")
        )
    except GuideError as error:
        messages.error(request, str(error))
        return redirect(_edit_url(guide, "sections"))
    messages.success(request, _("Section added."))
    return redirect(_edit_url(guide, f"section-{section.pk}"))


@require_POST
@require_perm("guides.edit")
def section_rename(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk)
    try:
        services.section_rename(
            section=section, by=request.user, title=request.POST.get("title", "")
        )
    except GuideError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Section renamed."))
    return redirect(_edit_url(section.guide, f"section-{section.pk}"))


@require_POST
@require_perm("guides.edit")
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk)
    guide = section.guide
    services.section_delete(section=section, by=request.user)
    messages.success(request, _("Section deleted, with its resources."))
    return redirect(_edit_url(guide, "sections"))


@require_POST
@require_perm("guides.edit")
def section_move(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk)
    try:
        services.section_move(
            section=section, by=request.user, direction=request.POST.get("direction", "")
        )
    except GuideError as error:
        messages.error(request, str(error))
    return redirect(_edit_url(section.guide, f"section-{section.pk}"))


def _extra_languages(guide: Guide) -> list[str]:
    # Languages the guide already uses, so an uncommon one stays choosable.
    codes: list[str] = []
    for resource in Resource.objects.filter(section__guide=guide).only("languages"):
        codes += resource.languages or []
    return codes


def _resource_values(form: ResourceForm, request: HttpRequest) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data.get("title", ""),
        "description": data.get("description", ""),
        "url": data.get("url", ""),
        "upload": request.FILES.get("upload"),
        "body": data.get("body", ""),
        "languages": data.get("languages") or [],
        "bands": data.get("bands") or [],
        "format": data.get("format") or Resource.Format.TEXT,
        "vocabulary": data.get("vocabulary", ""),
    }


@require_perm("guides.edit")
def resource_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    section = _section(request, pk)
    guide = section.guide
    if kind not in Resource.Kind.values:
        raise Http404
    if kind == Resource.Kind.RECORD:
        return _record_picker(request, section)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        extra_languages=_extra_languages(guide),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_add(
                section=section, by=request.user, kind=kind, **_resource_values(form, request)
            )
        except GuideError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added to “%(section)s”.") % {"section": section.title})
            return redirect(_edit_url(guide, f"section-{section.pk}"))
    return render(
        request,
        "guides/resource_form.html",
        {
            "guide": guide,
            "section": section,
            "form": form,
            "kind_label": Resource.Kind(kind).label,
            "multipart": "upload" in form.fields,
        },
    )


def _record_picker(request: HttpRequest, section: Section) -> HttpResponse:
    guide = section.guide
    if request.method == "POST":
        record = Record.objects.filter(pk=request.POST.get("record") or 0).first()
        try:
            services.resource_add(
                section=section,
                by=request.user,
                kind=Resource.Kind.RECORD,
                record=record,
                description=request.POST.get("description", ""),
            )
        except GuideError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("“%(title)s” added to “%(section)s”.")
                % {"title": record.title, "section": section.title},
            )
            return redirect(_edit_url(guide, f"section-{section.pk}"))
    query = (request.GET.get("q") or "").strip()
    results = None
    if query:
        found = search(query=query, school=guide.school_id, per_page=20)
        locale = get_language() or "en"
        results = {
            "total": found.total,
            "rows": [selectors.record_summary(record, locale) for record in found.records],
        }
    return render(
        request,
        "guides/record_picker.html",
        {"guide": guide, "section": section, "query": query, "results": results},
    )


@require_perm("guides.edit")
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource(request, pk)
    guide = resource.section.guide
    initial = {
        "title": resource.title,
        "description": resource.description,
        "url": resource.url,
        "body": resource.body,
        "languages": resource.languages,
        "bands": resource.bands,
        "format": resource.format,
        "vocabulary": services.vocabulary_text(resource),
    }
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        kind=resource.kind,
        initial=initial,
        extra_languages=_extra_languages(guide),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                resource=resource, by=request.user, **_resource_values(form, request)
            )
        except GuideError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(_edit_url(guide, f"section-{resource.section_id}"))
    return render(
        request,
        "guides/resource_form.html",
        {
            "guide": guide,
            "section": resource.section,
            "resource": resource,
            "form": form,
            "kind_label": resource.get_kind_display(),
            "multipart": "upload" in form.fields,
        },
    )


@require_POST
@require_perm("guides.edit")
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource(request, pk)
    guide, section_id = resource.section.guide, resource.section_id
    services.resource_delete(resource=resource, by=request.user)
    messages.success(request, _("Removed from the guide."))
    return redirect(_edit_url(guide, f"section-{section_id}"))


@require_POST
@require_perm("guides.edit")
def resource_move(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource(request, pk)
    try:
        services.resource_move(
            resource=resource, by=request.user, direction=request.POST.get("direction", "")
        )
    except GuideError as error:
        messages.error(request, str(error))
    return redirect(_edit_url(resource.section.guide, f"resource-{resource.pk}"))


@require_POST
@require_perm("guides.edit")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request, pk)
    published = request.POST.get("publish") == "1"
    services.guide_publish(guide=guide, by=request.user, published=published)
    messages.success(
        request,
        _("Published: readers can open it now.")
        if published
        else _("Back to draft: only its owners and the librarian can see it."),
    )
    return redirect(_edit_url(guide))


@require_POST
@require_perm("guides.edit")
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy any guide one may read (a colleague's published guide too) into a new draft."""
    guide = get_object_or_404(Guide, pk=pk)
    if not access.guide_can_read(request.user, guide):
        raise Http404
    new = services.guide_copy(guide=guide, by=request.user, school=request.school)
    messages.success(request, _("This is your copy, a draft. Pick the classes it serves."))
    return redirect(_edit_url(new))


@require_POST
@require_perm("guides.edit")
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request, pk)
    services.guide_delete(guide=guide, by=request.user)
    messages.success(request, _("Guide deleted."))
    return redirect("guides:index")


@require_perm("guides.edit")
def share(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request, pk)
    if request.method == "POST":
        services.guide_share_reset(guide=guide, by=request.user)
        messages.success(request, _("New link made; the old link and QR code no longer work."))
        return redirect("guides:share", pk=guide.pk)
    return render(
        request,
        "guides/share.html",
        {"guide": guide, "share_url": share_url(request, guide)},
    )


@require_perm("guides.view")
def access_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The access check: for the guide's editors, and for ELL staff of the school."""
    try:
        guide = selectors.guide_with_contents(pk=pk)
    except Guide.DoesNotExist:
        raise Http404 from None
    with_languages = access.can_see_language_coverage(request.user, guide)
    can_edit = access.guide_can_edit(request.user, guide)
    if not (can_edit or with_languages):
        raise Http404
    result = selectors.guide_access_check(guide=guide, with_languages=with_languages)
    if with_languages:
        # Language-profile data, even as counts: every view is on the record.
        with transaction.atomic():
            audit_log(
                actor=request.user,
                action="guides.view_language_coverage",
                obj=guide,
                school=guide.school,
            )
    return render(
        request,
        "guides/access.html",
        {
            "guide": guide,
            "check": result,
            "can_edit": can_edit,
            "with_languages": with_languages,
            "sections": list(guide.sections.all()),
        },
    )


@require_POST
@require_perm("guides.edit")
def suggestion_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a suggested catalog title to a section (a new "Suggested titles" one if none)."""
    guide = _guide(request, pk)
    record = Record.objects.filter(pk=request.POST.get("record") or 0).first()
    section = guide.sections.filter(pk=request.POST.get("section") or 0).first()
    try:
        with transaction.atomic():
            if section is None:
                section = services.section_add(
                    guide=guide, by=request.user, title=_("Suggested titles")
                )
            services.resource_add(
                section=section, by=request.user, kind=Resource.Kind.RECORD, record=record
            )
    except GuideError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("“%(title)s” added to “%(section)s”.")
            % {"title": record.title, "section": section.title},
        )
    return redirect("guides:access", pk=guide.pk)
