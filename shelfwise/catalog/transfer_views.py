"""Web pages for MARC import (upload, progress, summary) and export (download)."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from shelfwise.catalog.exporting import marc_export
from shelfwise.catalog.models import ImportIssue, ImportJob
from shelfwise.catalog.tasks import run_marc_import
from shelfwise.people.permissions import has_perm, require_perm

ISSUES_SHOWN = 500


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("MARC file"),
        help_text=_(
            "ISO 2709 (.mrc, .dat), MARCXML (.xml) or MARC-in-JSON, with 852 or 952 "
            "holdings. MARC-8 and UTF-8 are both fine."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would happen, change nothing"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > settings.MARC_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the upload limit."))
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("iso2709", _("MARC 21 (ISO 2709, UTF-8)")), ("marcxml", _("MARCXML"))],
    )


@require_perm("catalog.import")
def import_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            folder = Path(settings.MEDIA_ROOT) / "imports"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{uuid.uuid4().hex}.marc"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            job = ImportJob.objects.create(
                school=request.school,
                started_by=request.user,
                filename=Path(upload.name).name[:255],
                path=str(path),
                size=upload.size,
                dry_run=form.cleaned_data["dry_run"],
            )
            run_marc_import.enqueue(job.pk)
            return redirect("catalog:import_detail", pk=job.pk)
    else:
        form = ImportForm()
    jobs = ImportJob.objects.filter(school=request.school).select_related("started_by")[:20]
    return render(request, "catalog/import_start.html", {"form": form, "jobs": jobs})


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("school", "started_by"), pk=pk)
    if not has_perm(request.user, "catalog.import", job.school):
        raise PermissionDenied
    return job


@require_perm("catalog.import")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    context = {
        "job": job,
        "running": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
    }
    if request.headers.get("HX-Request"):
        return render(request, "catalog/import_progress.html", context)
    issues = job.issues.all()
    context.update(
        rejected=issues.filter(kind=ImportIssue.Kind.REJECTED)[:ISSUES_SHOWN],
        decoded=issues.filter(kind=ImportIssue.Kind.DECODED)[:ISSUES_SHOWN],
        warnings=issues.filter(kind=ImportIssue.Kind.WARNING)[:ISSUES_SHOWN],
        issues_shown=ISSUES_SHOWN,
    )
    return render(request, "catalog/import_detail.html", context)


@require_perm("catalog.export")
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        # A spooled file: small exports stay in memory, big ones go to disk.
        out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
        marc_export(school=request.school, stream=out, fmt=fmt)
        out.seek(0)
        ext = "xml" if fmt == "marcxml" else "mrc"
        return FileResponse(
            out, as_attachment=True, filename=f"shelfwise-{request.school.code}.{ext}"
        )
    return render(request, "catalog/export.html", {"form": form})
