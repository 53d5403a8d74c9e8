"""Writing guides: create, edit, sections, resources, publish, copy.

Every function checks its input before it writes and writes inside one
transaction with its audit entry, so bad input (an invalid web address, a
file too big or not what its name says, a malformed vocabulary line)
raises GuideError with a message for the person and leaves nothing behind.
Object permissions are the caller's (views check guides.access first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import langcodes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.catalog.models import Record
from shelfwise.guides.models import Guide, GuideTranslation, Resource, Section, VocabularyTerm
from shelfwise.marc.languages import normalize_language_code
from shelfwise.people.language_profiles import to_marc_language
from shelfwise.search.bands import BAND_ORDER

MAX_FILE_BYTES = getattr(settings, "GUIDES_MAX_FILE_BYTES", 20 * 1024 * 1024)
MAX_TERMS = 200

# Extension → what the first bytes must be (None: text that must decode as UTF-8).
# Decision: a name and a signature, not a MIME sniffing library: the list is
# short, and a file that lies about its type is refused with the reason.
_ZIP = (b"PK\x03\x04",)
FILE_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "docx": _ZIP,
    "pptx": _ZIP,
    "xlsx": _ZIP,
    "odt": _ZIP,
    "odp": _ZIP,
    "ods": _ZIP,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "m4a": (),  # ISO base media: checked by its 'ftyp' box below
    "mp4": (),
    "txt": None,
    "csv": None,
}


class GuideError(Exception):
    """Bad input for a guide; `str(error)` is the message for the person."""


@dataclass
class Upload:
    name: str
    size: int
    head: bytes


def _clean_languages(codes: Iterable[str]) -> list[str]:
    cleaned = []
    for code in codes:
        marc = normalize_language_code(code) if code else None
        if marc is None:
            raise GuideError(_("“%(code)s” is not a language code.") % {"code": code})
        cleaned.append(marc)
    return list(dict.fromkeys(cleaned))


def _clean_bands(bands: Iterable[str]) -> list[str]:
    unknown = [b for b in bands if b not in BAND_ORDER]
    if unknown:
        raise GuideError(_("“%(band)s” is not a reading level.") % {"band": unknown[0]})
    return [b for b in BAND_ORDER if b in set(bands)]


def _clean_format(value: str) -> str:
    if value not in Resource.Format.values:
        raise GuideError(_("Choose text, audio or video."))
    return value


def clean_url(url: str) -> str:
    """An http(s) address that names a site; raises GuideError with what is wrong."""
    url = (url or "").strip()
    if not url:
        raise GuideError(_("Enter the web address of the link."))
    example = "https://www.loc.gov/"
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise GuideError(
            _(
                "“%(url)s” is not a web address: it must start with https:// or http://, "
                "for example %(example)s"
            )
            % {"url": url[:200], "example": example}
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise GuideError(
            _("“%(url)s” is not a valid web address; check it for typing mistakes.")
            % {"url": url[:200]}
        ) from None
    if len(url) > 1000:
        raise GuideError(_("That web address is too long (more than 1,000 characters)."))
    if urlsplit(url).username or urlsplit(url).password:
        raise GuideError(
            _("Remove the name and password from the web address: share links, not logins.")
        )
    return url


def check_upload(upload: UploadedFile) -> Upload:
    """Size and type of an uploaded file; raises GuideError naming the problem."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        raise GuideError(
            _("“%(name)s” is not a kind of file guides take. Allowed: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(FILE_TYPES))}
        )
    size = upload.size or 0
    if size == 0:
        raise GuideError(_("“%(name)s” is empty.") % {"name": name})
    if size > MAX_FILE_BYTES:
        raise GuideError(
            _("“%(name)s” is %(size)s MB; files may be at most %(limit)s MB.")
            % {
                "name": name,
                "size": round(size / 1024 / 1024, 1),
                "limit": MAX_FILE_BYTES // 1024 // 1024,
            }
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    signatures = FILE_TYPES[extension]
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A cut in the middle of a character at the 4096th byte is fine.
            if exc.start < len(head) - 4:
                raise GuideError(_("“%(name)s” is not UTF-8 text.") % {"name": name}) from None
    elif signatures == ():
        if head[4:8] != b"ftyp":
            raise GuideError(
                _("“%(name)s” is not the kind of file its name says.") % {"name": name}
            )
    elif not head.startswith(signatures):
        raise GuideError(_("“%(name)s” is not the kind of file its name says.") % {"name": name})
    return Upload(name=name, size=size, head=head)


def _language_of_column(label: str) -> str | None:
    label = label.strip()
    code = to_marc_language(label)
    if code:
        return code
    try:
        return to_marc_language(langcodes.find(label).language)
    except LookupError:
        return None


def parse_vocabulary(text: str) -> list[dict[str, Any]]:
    """Lines "term | definition | es: translation | ar: translation" → term dicts.

    A translation's language is a code (es, spa) or an English language name
    (Spanish). Raises GuideError naming the line at fault.
    """
    terms: list[dict[str, Any]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        term = parts[0]
        if not term:
            raise GuideError(_("Line %(line)s: the term is missing.") % {"line": number})
        if len(term) > 200:
            raise GuideError(_("Line %(line)s: the term is too long.") % {"line": number})
        definition = parts[1] if len(parts) > 1 else ""
        translations: dict[str, str] = {}
        for part in parts[2:]:
            if not part:
                continue
            label, colon, value = part.partition(":")
            code = _language_of_column(label) if colon else None
            if not colon or not value.strip():
                raise GuideError(
                    _(
                        "Line %(line)s: write each translation as language: word, "
                        "for example es: volcán"
                    )
                    % {"line": number}
                )
            if code is None:
                raise GuideError(
                    _("Line %(line)s: “%(language)s” is not a language we know.")
                    % {"line": number, "language": label.strip()}
                )
            translations[code] = value.strip()
        terms.append({"term": term, "definition": definition, "translations": translations})
    if len(terms) > MAX_TERMS:
        raise GuideError(_("A list holds at most %(n)s terms.") % {"n": MAX_TERMS})
    return terms


def vocabulary_text(resource: Resource) -> str:
    """The editable text of a vocabulary list (the inverse of parse_vocabulary)."""
    lines = []
    for term in resource.terms.all():
        parts = [term.term, term.definition]
        parts += [f"{code}: {text}" for code, text in term.translations.items()]
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


# ---- Guides ------------------------------------------------------------------


def _check_classes(school: Any, classes: Iterable[Any]) -> list[Any]:
    classes = list(classes)
    if any(c.school_id != school.pk for c in classes):
        raise GuideError(_("A guide serves classes of its own school only."))
    return classes


def _check_collaboration(school: Any, collaboration: Any) -> None:
    if collaboration is not None and collaboration.school_id != school.pk:
        raise GuideError(_("A guide belongs to a collaboration of its own school only."))


def guide_create(
    *,
    school: Any,
    by: Any,
    title: str,
    intro: str = "",
    unit: str = "",
    subject: str = "",
    grade: str = "",
    visibility: str = Guide.Visibility.CLASSES,
    classes: Iterable[Any] = (),
    editors: Iterable[Any] = (),
    collaboration: Any = None,
) -> Guide:
    title = (title or "").strip()
    if not title:
        raise GuideError(_("A guide needs a title."))
    classes = _check_classes(school, classes)
    _check_collaboration(school, collaboration)
    with transaction.atomic():
        guide = Guide.objects.create(
            school=school,
            title=title,
            intro=intro,
            unit=unit,
            subject=subject.strip(),
            grade=grade,
            visibility=visibility,
            collaboration=collaboration,
            created_by=by,
        )
        guide.classes.set(classes)
        guide.editors.set({by, *editors} if by is not None else set(editors))
        audit_log(actor=by, action="guides.create", obj=guide, school=school, title=title)
    return guide


def guide_update(
    *,
    guide: Guide,
    by: Any,
    classes: Iterable[Any] | None = None,
    editors: Iterable[Any] | None = None,
    **fields: Any,
) -> Guide:
    allowed = {"title", "intro", "unit", "subject", "grade", "visibility", "collaboration"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not guide fields: {sorted(unknown)}")
    if "title" in fields and not (fields["title"] or "").strip():
        raise GuideError(_("A guide needs a title."))
    if classes is not None:
        classes = _check_classes(guide.school, classes)
    _check_collaboration(guide.school, fields.get("collaboration"))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(guide, name, value.strip() if isinstance(value, str) else value)
        guide.save()
        if classes is not None:
            guide.classes.set(classes)
        if editors is not None:
            editors = set(editors)
            if not editors:
                raise GuideError(_("A guide needs at least one owner."))
            guide.editors.set(editors)
        audit_log(actor=by, action="guides.update", obj=guide, school=guide.school)
    return guide


def guide_translation_set(
    *, guide: Guide, by: Any, language: str, title: str, intro: str = ""
) -> GuideTranslation | None:
    """The title and introduction in `language`; an empty title removes the translation."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise GuideError(_("Translations are for the languages Shelfwise speaks."))
    with transaction.atomic():
        if not (title or "").strip():
            GuideTranslation.objects.filter(guide=guide, language=language).delete()
            translation = None
        else:
            translation, _created = GuideTranslation.objects.update_or_create(
                guide=guide,
                language=language,
                defaults={"title": title.strip(), "intro": (intro or "").strip()},
            )
        audit_log(
            actor=by, action="guides.translate", obj=guide, school=guide.school, language=language
        )
    return translation


def guide_publish(*, guide: Guide, by: Any, published: bool = True) -> Guide:
    with transaction.atomic():
        guide.status = Guide.Status.PUBLISHED if published else Guide.Status.DRAFT
        if published and guide.published_at is None:
            guide.published_at = timezone.now()
        guide.save(update_fields=["status", "published_at", "updated_at"])
        audit_log(
            actor=by,
            action="guides.publish" if published else "guides.unpublish",
            obj=guide,
            school=guide.school,
        )
    return guide


def guide_share_reset(*, guide: Guide, by: Any) -> Guide:
    """A new share link (and QR code); the old one stops working."""
    from shelfwise.guides.models import new_share_token

    with transaction.atomic():
        guide.share_token = new_share_token()
        guide.save(update_fields=["share_token", "updated_at"])
        audit_log(actor=by, action="guides.share_reset", obj=guide, school=guide.school)
    return guide


def guide_copy(*, guide: Guide, by: Any, title: str = "", school: Any = None) -> Guide:
    """A new draft with the same sections, resources, terms and translations, owned by `by`.

    Decision: the copy serves no class yet (the new unit's classes are picked
    anew) and shares uploaded files with the original (files are never
    deleted with a resource, so neither guide can break the other).
    """
    school = school or guide.school
    with transaction.atomic():
        copy = Guide.objects.create(
            school=school,
            title=(title or "").strip() or _("Copy of %(title)s") % {"title": guide.title},
            intro=guide.intro,
            unit=guide.unit,
            subject=guide.subject,
            grade=guide.grade,
            visibility=guide.visibility,
            created_by=by,
            copied_from=guide,
        )
        copy.editors.set([by])
        for translation in guide.translations.all():
            GuideTranslation.objects.create(
                guide=copy,
                language=translation.language,
                title=translation.title,
                intro=translation.intro,
            )
        for section in guide.sections.all():
            new_section = Section.objects.create(
                guide=copy, title=section.title, position=section.position
            )
            for resource in section.resources.all():
                terms = list(resource.terms.all())
                resource.pk = None
                resource.id = None
                resource._state.adding = True
                resource.section = new_section
                resource.save()
                VocabularyTerm.objects.bulk_create(
                    VocabularyTerm(
                        resource=resource,
                        position=term.position,
                        term=term.term,
                        definition=term.definition,
                        translations=term.translations,
                    )
                    for term in terms
                )
        audit_log(actor=by, action="guides.copy", obj=copy, school=guide.school, source=guide.pk)
    return copy


def guide_delete(*, guide: Guide, by: Any) -> None:
    with transaction.atomic():
        audit_log(
            actor=by, action="guides.delete", obj=guide, school=guide.school, title=guide.title
        )
        guide.delete()


# ---- Sections ----------------------------------------------------------------


def section_add(*, guide: Guide, by: Any, title: str) -> Section:
    title = (title or "").strip()
    if not title:
        raise GuideError(_("A section needs a title."))
    with transaction.atomic():
        last = guide.sections.aggregate(last=Max("position"))["last"]
        section = Section.objects.create(
            guide=guide, title=title[:200], position=0 if last is None else last + 1
        )
        audit_log(actor=by, action="guides.section_add", obj=section, school=guide.school)
    return section


def section_rename(*, section: Section, by: Any, title: str) -> Section:
    title = (title or "").strip()
    if not title:
        raise GuideError(_("A section needs a title."))
    with transaction.atomic():
        section.title = title[:200]
        section.save(update_fields=["title"])
        audit_log(
            actor=by, action="guides.section_rename", obj=section, school=section.guide.school
        )
    return section


def section_delete(*, section: Section, by: Any) -> None:
    with transaction.atomic():
        audit_log(
            actor=by,
            action="guides.section_delete",
            obj=section,
            school=section.guide.school,
            title=section.title,
        )
        section.delete()


def _move(siblings: list[Any], obj: Any, direction: str) -> None:
    """Swap `obj` with its neighbour and renumber the siblings 0..n-1."""
    index = next(i for i, other in enumerate(siblings) if other.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, other in enumerate(siblings):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def section_move(*, section: Section, by: Any, direction: str) -> None:
    if direction not in ("up", "down"):
        raise GuideError(_("Move up or down."))
    with transaction.atomic():
        siblings = list(Section.objects.select_for_update().filter(guide_id=section.guide_id))
        _move(siblings, section, direction)
        audit_log(actor=by, action="guides.section_move", obj=section, school=section.guide.school)


# ---- Resources ---------------------------------------------------------------


def _resource_fields(
    *,
    kind: str,
    title: str,
    description: str,
    record: Record | None,
    url: str,
    upload: UploadedFile | None,
    body: str,
    languages: Iterable[str],
    bands: Iterable[str],
    format: str,
    vocabulary: str,
    existing: Resource | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]] | None, Upload | None]:
    """Everything checked before anything is written: (fields, terms, upload)."""
    if kind not in Resource.Kind.values:
        raise GuideError(_("Choose what kind of resource to add."))
    title = (title or "").strip()[:300]
    fields: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "description": (description or "").strip(),
        "languages": _clean_languages(languages),
        "bands": _clean_bands(bands),
        "format": _clean_format(format or Resource.Format.TEXT),
        "record": None,
        "url": "",
        "body": "",
    }
    terms = None
    checked = None
    if kind == Resource.Kind.RECORD:
        if record is None:
            raise GuideError(_("Pick a title from the catalog."))
        fields.update(record=record, title=title or record.title, languages=[], bands=[])
    elif kind in (Resource.Kind.LINK, Resource.Kind.DATABASE):
        fields["url"] = clean_url(url)
        if not title:
            raise GuideError(_("Give the link a title people will recognize."))
    elif kind == Resource.Kind.FILE:
        if upload is None and not (existing and existing.file):
            raise GuideError(_("Choose a file to upload."))
        if upload is not None:
            checked = check_upload(upload)
            fields["title"] = title or checked.name
        elif not title:
            fields["title"] = existing.title
    elif kind == Resource.Kind.VOCABULARY:
        terms = parse_vocabulary(vocabulary)
        if not terms:
            raise GuideError(_("Write at least one term, one a line."))
        if not title:
            raise GuideError(_("Give the vocabulary list a title."))
        # The list is in each language it translates into, besides its own.
        translated = [code for term in terms for code in term["translations"]]
        fields["languages"] = list(dict.fromkeys([*fields["languages"], *translated]))
    else:  # sentence frames, graphic organizer
        fields["body"] = (body or "").strip()
        if not title:
            raise GuideError(_("Give it a title."))
        if kind == Resource.Kind.FRAMES and not fields["body"]:
            raise GuideError(_("Write at least one sentence frame, one a line."))
        if kind == Resource.Kind.ORGANIZER:
            if url and url.strip():
                fields["url"] = clean_url(url)
            if upload is not None:
                checked = check_upload(upload)
            if (
                not fields["body"]
                and not fields["url"]
                and checked is None
                and not (existing and existing.file)
            ):
                raise GuideError(_("Give the organizer's prompts, a link to it, or its file."))
    if not fields["languages"] and kind != Resource.Kind.RECORD:
        raise GuideError(_("Choose at least one language of the resource."))
    return fields, terms, checked


def _save_terms(resource: Resource, terms: list[dict[str, Any]] | None) -> None:
    if terms is None:
        return
    resource.terms.all().delete()
    VocabularyTerm.objects.bulk_create(
        VocabularyTerm(resource=resource, position=n, **term) for n, term in enumerate(terms)
    )


def resource_add(
    *,
    section: Section,
    by: Any,
    kind: str,
    title: str = "",
    description: str = "",
    record: Record | None = None,
    url: str = "",
    upload: UploadedFile | None = None,
    body: str = "",
    languages: Iterable[str] = ("eng",),
    bands: Iterable[str] = (),
    format: str = Resource.Format.TEXT,
    vocabulary: str = "",
) -> Resource:
    fields, terms, checked = _resource_fields(
        kind=kind,
        title=title,
        description=description,
        record=record,
        url=url,
        upload=upload,
        body=body,
        languages=languages,
        bands=bands,
        format=format,
        vocabulary=vocabulary,
    )
    with transaction.atomic():
        last = section.resources.aggregate(last=Max("position"))["last"]
        resource = Resource(section=section, position=0 if last is None else last + 1, **fields)
        if checked is not None:
            resource.file_name = checked.name
            resource.file_size = checked.size
            # Stored under a generated path; the name people see is file_name.
            resource.file.save(checked.name, upload, save=False)
        resource.save()
        _save_terms(resource, terms)
        audit_log(
            actor=by,
            action="guides.resource_add",
            obj=resource,
            school=section.guide.school,
            kind=kind,
        )
    return resource


def resource_update(
    *,
    resource: Resource,
    by: Any,
    title: str = "",
    description: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    body: str = "",
    languages: Iterable[str] = ("eng",),
    bands: Iterable[str] = (),
    format: str = Resource.Format.TEXT,
    vocabulary: str = "",
) -> Resource:
    fields, terms, checked = _resource_fields(
        kind=resource.kind,
        title=title,
        description=description,
        record=resource.record,
        url=url,
        upload=upload,
        body=body,
        languages=languages,
        bands=bands,
        format=format,
        vocabulary=vocabulary,
        existing=resource,
    )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(resource, name, value)
        if checked is not None:
            resource.file_name = checked.name
            resource.file_size = checked.size
            resource.file.save(checked.name, upload, save=False)
        resource.save()
        _save_terms(resource, terms)
        audit_log(
            actor=by,
            action="guides.resource_update",
            obj=resource,
            school=resource.section.guide.school,
        )
    return resource


def resource_delete(*, resource: Resource, by: Any) -> None:
    with transaction.atomic():
        audit_log(
            actor=by,
            action="guides.resource_delete",
            obj=resource,
            school=resource.section.guide.school,
            title=str(resource),
        )
        resource.delete()


def resource_move(*, resource: Resource, by: Any, direction: str) -> None:
    if direction not in ("up", "down"):
        raise GuideError(_("Move up or down."))
    with transaction.atomic():
        siblings = list(Resource.objects.select_for_update().filter(section_id=resource.section_id))
        _move(siblings, resource, direction)
        audit_log(
            actor=by,
            action="guides.resource_move",
            obj=resource,
            school=resource.section.guide.school,
        )
