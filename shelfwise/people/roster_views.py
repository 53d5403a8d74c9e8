"""Web pages for rostering: OneRoster upload → background import → progress and report,
and the students' language profiles (the CSV ELL staff keep, and the page that shows it).

Decisions:
- A roster import is seen by the person who started it and the district
  administrator (jobs have no school: a roster may cover several).
- A librarian rosters only their own schools, and ELL staff set language
  profiles only for people of their own schools; the district administrator
  does both district-wide.
- Language profiles are sensitive: every view and export of them is audited.
"""

from __future__ import annotations

import csv
import io
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.marc.languages import language_name
from shelfwise.people.language_profiles import NotLanguageProfileError, language_profiles_import
from shelfwise.people.models import Person, RosterImport
from shelfwise.people.permissions import is_district_admin, require_perm, roles_by_school
from shelfwise.people.roles import PERMISSIONS, Role
from shelfwise.people.tasks import run_roster_import

ISSUES_SHOWN = 1000
STUDENTS_PER_PAGE = 100
ROSTER_UPLOAD_MAX_BYTES = getattr(settings, "ROSTER_UPLOAD_MAX_BYTES", 500 * 1024 * 1024)
PROFILE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024

# What the rostering code counts, in words (unknown keys are shown as they come).
COUNT_LABELS = {
    "schools_created": gettext_lazy("Schools created"),
    "schools_updated": gettext_lazy("Schools updated"),
    "people_created": gettext_lazy("People created"),
    "people_updated": gettext_lazy("People updated"),
    "people_unchanged": gettext_lazy("People unchanged"),
    "people_deactivated": gettext_lazy("People deactivated (left)"),
    "skipped_family_accounts": gettext_lazy("Family accounts skipped"),
    "memberships_created": gettext_lazy("School memberships created"),
    "classes_created": gettext_lazy("Classes created"),
    "classes_updated": gettext_lazy("Classes updated"),
    "enrollments_created": gettext_lazy("Enrollments created"),
    "enrollments_updated": gettext_lazy("Enrollments updated"),
    "enrollments_removed": gettext_lazy("Enrollments removed"),
    "rejected": gettext_lazy("Rows rejected"),
}


# --- CSV downloads ----------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting like a formula runs as one in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that spreadsheet programs read UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _check_upload(upload: UploadedFile, limit: int) -> UploadedFile:
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise forms.ValidationError(_("The file is larger than the upload limit."))
    return upload


# --- OneRoster import -------------------------------------------------------------------


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("OneRoster set (.zip)"),
        help_text=gettext_lazy(
            "One .zip file holding the OneRoster 1.1 CSV files (manifest.csv, orgs.csv, "
            "academicSessions.csv, courses.csv, classes.csv, users.csv, enrollments.csv), "
            "as your student information system exports it. Separate CSV files are not "
            "accepted: zip them together first."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self) -> UploadedFile:
        return _check_upload(self.cleaned_data["file"], ROSTER_UPLOAD_MAX_BYTES)


def _roster_jobs(request: HttpRequest):
    jobs = RosterImport.objects.select_related("started_by")
    if not is_district_admin(request.user):
        jobs = jobs.filter(started_by=request.user)
    return jobs


def _job_for(request: HttpRequest, pk: int) -> RosterImport:
    job = get_object_or_404(RosterImport.objects.select_related("started_by"), pk=pk)
    if job.started_by_id != request.user.pk and not is_district_admin(request.user):
        raise PermissionDenied
    return job


@require_perm("people.import_roster")
def roster_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            folder = Path(settings.MEDIA_ROOT) / "rosters"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{uuid.uuid4().hex}.zip"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            job = RosterImport.objects.create(
                started_by=request.user, filename=Path(upload.name).name[:255], path=str(path)
            )
            audit_log(
                actor=request.user,
                action="people.roster_upload",
                obj=job,
                school=request.school,
                filename=job.filename,
                size=upload.size,
            )
            run_roster_import.enqueue(job.pk, get_language() or settings.LANGUAGE_CODE)
            return redirect("roster:detail", pk=job.pk)
    else:
        form = RosterUploadForm()
    jobs = _roster_jobs(request)[:20]
    return render(request, "people/roster_start.html", {"form": form, "jobs": jobs})


def _counts(job: RosterImport) -> list[tuple[str, int]]:
    known = [
        (str(label), job.counts[key]) for key, label in COUNT_LABELS.items() if key in job.counts
    ]
    other = [
        (key.replace("_", " "), value)
        for key, value in sorted(job.counts.items())
        if key not in COUNT_LABELS
    ]
    return known + other


@require_perm("people.import_roster")
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    running = job.status in (RosterImport.Status.QUEUED, RosterImport.Status.RUNNING)
    if request.headers.get("HX-Request") and request.GET.get("status") == job.status:
        return HttpResponse(status=204)  # nothing new: htmx swaps nothing
    context: dict[str, Any] = {"job": job, "running": running}
    if job.status == RosterImport.Status.DONE:
        issues = job.issues.select_related("person")
        left = list(issues.filter(kind="left_with_loans").order_by("pk")[:ISSUES_SHOWN])
        rejected = list(issues.filter(kind="rejected")[:ISSUES_SHOWN])
        context.update(
            counts=_counts(job),
            left=left,
            rejected=rejected,
            rejected_total=job.counts.get("rejected", len(rejected)),
            has_issues=bool(left or rejected),
            issues_shown=ISSUES_SHOWN,
        )
        if left:
            # Names with the items they still have out: a view of patrons' loans
            # (also when the summary arrives by polling: that is its first view).
            audit_log(
                actor=request.user,
                action="people.view_roster_report",
                obj=job,
                school=request.school,
                people=len(left),
            )
    if request.headers.get("HX-Request"):
        return render(request, "people/roster_poll.html", context)
    return render(request, "people/roster_detail.html", context)


@require_perm("people.import_roster")
def roster_issues_csv(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    audit_log(
        actor=request.user, action="people.export_roster_issues", obj=job, school=request.school
    )
    issues = job.issues.select_related("person").order_by("kind", "file", "line", "pk")
    rows = (
        (
            issue.kind,
            issue.file,
            issue.line,
            issue.sourced_id,
            issue.person.full_name if issue.person else "",
            issue.message,
        )
        for issue in issues.iterator(chunk_size=2000)
    )
    return _csv_response(
        f"roster-import-{job.pk}-issues.csv",
        ["kind", "file", "line", "sourcedId", "person", "reason"],
        rows,
    )


# --- Language profiles ------------------------------------------------------------------

EL_CHOICES = [
    ("", pgettext_lazy("English learner filter", "All students")),
    ("yes", gettext_lazy("English learners")),
    ("no", gettext_lazy("Not English learners")),
    ("unknown", gettext_lazy("EL status not recorded")),
]
_EL_VALUES = {"yes": True, "no": False, "unknown": None}
_PROFILE_FIELDS = (
    "pk",
    "sourced_id",
    "first_name",
    "last_name",
    "display_name",
    "grade",
    "home_languages",
    "english_learner",
    "el_entry_date",
)


def _school_students(school) -> list[dict[str, Any]]:
    """The active students (aides are students too) of a school, with their profiles."""
    rows = list(
        Person.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__role__in=[Role.STUDENT, Role.AIDE],
        )
        .order_by("last_name", "first_name", "username")
        .values(*_PROFILE_FIELDS)
    )
    for row in rows:
        first = row["display_name"] or row["first_name"]
        row["name"] = f"{first} {row['last_name']}".strip() or row["sourced_id"] or ""
    return rows


def _language_filter(request: HttpRequest) -> tuple[str, str]:
    el = request.GET.get("el", "")
    return (request.GET.get("language", "").strip()[:8], el if el in _EL_VALUES else "")


def _filtered(students: list[dict[str, Any]], language: str, el: str) -> list[dict[str, Any]]:
    if language:
        students = [s for s in students if language in (s["home_languages"] or [])]
    if el:
        students = [s for s in students if s["english_learner"] is _EL_VALUES[el]]
    return students


@require_perm("people.view_language_profile")
def language_profiles(request: HttpRequest) -> HttpResponse:
    locale = get_language() or "en"
    students = _school_students(request.school)
    names: dict[str, str] = {}

    def name_of(code: str) -> str:
        if code not in names:
            names[code] = language_name(code, locale)
        return names[code]

    speakers: Counter[str] = Counter()
    learners: Counter[str] = Counter()
    for student in students:
        for code in student["home_languages"] or []:
            speakers[code] += 1
            learners[code] += bool(student["english_learner"])
    summary = [
        {"code": code, "name": name_of(code), "students": n, "learners": learners[code]}
        for code, n in sorted(speakers.items(), key=lambda kv: (-kv[1], name_of(kv[0])))
    ]
    language, el = _language_filter(request)
    shown = _filtered(students, language, el)
    page = Paginator(shown, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    for student in page.object_list:
        student["languages"] = [name_of(code) for code in student["home_languages"] or []]
    audit_log(
        actor=request.user,
        action="people.view_language_profiles",
        school=request.school,
        language=language,
        el=el,
        page=page.number,
        shown=[s["pk"] for s in page.object_list],
    )
    query = {k: v for k, v in (("language", language), ("el", el)) if v}
    context = {
        "summary": summary,
        "page": page,
        "total": len(students),
        "learners": sum(1 for s in students if s["english_learner"]),
        "language": language,
        "el": el,
        "el_choices": EL_CHOICES,
        "query": urlencode(query),
        "filtered": bool(query),
    }
    return render(request, "people/language_profiles.html", context)


@require_perm("people.view_language_profile")
def language_profiles_csv(request: HttpRequest) -> HttpResponse:
    language, el = _language_filter(request)
    students = _filtered(_school_students(request.school), language, el)
    audit_log(
        actor=request.user,
        action="people.export_language_profiles",
        school=request.school,
        language=language,
        el=el,
        students=len(students),
    )
    flag = {True: "true", False: "false", None: ""}
    # The first four columns are the import format: the file can be edited and loaded back.
    rows = (
        (
            s["sourced_id"] or "",
            " ".join(s["home_languages"] or []),
            flag[s["english_learner"]],
            s["el_entry_date"].isoformat() if s["el_entry_date"] else "",
            s["last_name"],
            s["display_name"] or s["first_name"],
            s["grade"],
        )
        for s in students
    )
    return _csv_response(
        f"language-profiles-{request.school.code}.csv",
        [
            "sourcedId",
            "home_languages",
            "english_learner",
            "el_entry_date",
            "last_name",
            "first_name",
            "grade",
        ],
        rows,
    )


class LanguageProfileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Language profiles (.csv)"),
        help_text=gettext_lazy(
            "UTF-8 CSV with the columns sourcedId, home_languages (ISO 639 codes such as "
            "es, ar or so; several separated by spaces or semicolons), english_learner "
            "(true or false; blank if unknown) and el_entry_date (YYYY-MM-DD, optional)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        return _check_upload(self.cleaned_data["file"], PROFILE_UPLOAD_MAX_BYTES)


def _rows_of_other_schools(path: Path, person: Any) -> list[tuple[int, str]]:
    """(line, sourcedId) of rows naming people outside the schools `person` may edit."""
    if is_district_admin(person):
        return []
    granted = PERMISSIONS["people.edit_language_profile"]
    schools = [school for school, role in roles_by_school(person).items() if role in granted]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return []  # the import says why
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
    lines: dict[str, int] = {}
    for row in reader:
        sid = (row.get("sourcedId") or "").strip()
        if sid:
            lines.setdefault(sid, reader.line_num)
    sids = list(lines)
    outside: set[str] = set()
    for start in range(0, len(sids), 1000):
        chunk = sids[start : start + 1000]
        found = set(
            Person.objects.filter(sourced_id__in=chunk).values_list("sourced_id", flat=True)
        )
        mine = set(
            Person.objects.filter(
                sourced_id__in=chunk, memberships__school__in=schools
            ).values_list("sourced_id", flat=True)
        )
        outside |= found - mine
    return sorted((lines[sid], sid) for sid in outside)


@require_perm("people.edit_language_profile")
def language_profiles_upload(request: HttpRequest) -> HttpResponse:
    form = LanguageProfileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "profiles.csv"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            others = _rows_of_other_schools(path, request.user)
            if others:
                listing = ", ".join(
                    _("line %(line)s (%(id)s)") % {"line": line, "id": sid}
                    for line, sid in others[:10]
                )
                form.add_error(
                    "file",
                    _(
                        "%(n)s row(s) name people of other schools: %(rows)s. Remove them, or "
                        "ask the district administrator to load the file. Nothing was changed."
                    )
                    % {"n": len(others), "rows": listing},
                )
            else:
                try:
                    result = language_profiles_import(path=path, by=request.user)
                except NotLanguageProfileError as exc:
                    form.add_error(
                        "file",
                        _("This is not a language-profile file: %(reason)s. Nothing was changed.")
                        % {"reason": exc},
                    )
                else:
                    return render(
                        request,
                        "people/language_import_result.html",
                        {"result": result, "filename": Path(upload.name).name},
                    )
    return render(request, "people/language_import.html", {"form": form})
