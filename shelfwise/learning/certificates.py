"""Certificates of attendance as PDF: one landscape Letter page per session attended, with hours.

Drawn with ReportLab the way patron cards are (shelfwise/people/cards.py):
its fonts (DejaVu Sans when present, CJK fallbacks) and its Arabic shaping
and visual ordering, so names and session titles print in any script.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from shelfwise.people.cards import display_text, font_for

PAGE_WIDTH, PAGE_HEIGHT = landscape(letter)
MARGIN = 0.75 * inch
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 0.5 * inch
BORDER = Color(0.16, 0.33, 0.55)
MUTED = Color(0.25, 0.25, 0.25)


@dataclass(frozen=True)
class Certificate:
    person: str
    session: str
    date: str  # already formatted in the reader's language
    hours: Decimal
    facilitator: str
    school: str


def _hours_text(hours: Decimal) -> str:
    return formats.number_format(hours.normalize() if hours == hours.to_integral() else hours)


def _line(canvas: Canvas, text: str, *, y: float, size: float, bold: bool = False) -> None:
    """Centred text at baseline `y`, shrunk to fit the page width."""
    font = font_for(text, bold=bold)
    shown = display_text(text)
    while size > 8 and pdfmetrics.stringWidth(shown, font, size) > TEXT_WIDTH:
        size -= 0.5
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, shown)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The PDF of one certificate (no database)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(_("Certificate of attendance · %(session)s") % {"session": certificate.session})
    canvas.setAuthor(certificate.school)
    canvas.setCreator("Shelfwise")
    canvas.setStrokeColor(BORDER)
    canvas.setLineWidth(4)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)
    canvas.setLineWidth(1)
    canvas.rect(MARGIN / 2 + 8, MARGIN / 2 + 8, PAGE_WIDTH - MARGIN - 16, PAGE_HEIGHT - MARGIN - 16)

    top = PAGE_HEIGHT - 1.5 * inch
    canvas.setFillColor(MUTED)
    _line(canvas, certificate.school, y=top, size=14)
    canvas.setFillColor(BORDER)
    _line(canvas, _("Certificate of attendance"), y=top - 0.8 * inch, size=32, bold=True)
    canvas.setFillColor(MUTED)
    _line(canvas, _("This certifies that"), y=top - 1.5 * inch, size=14)
    canvas.setFillColor(Color(0, 0, 0))
    _line(canvas, certificate.person, y=top - 2.2 * inch, size=28, bold=True)
    canvas.setFillColor(MUTED)
    _line(canvas, _("attended the professional learning session"), y=top - 2.8 * inch, size=14)
    canvas.setFillColor(Color(0, 0, 0))
    _line(canvas, certificate.session, y=top - 3.4 * inch, size=20, bold=True)
    _line(canvas, certificate.date, y=top - 3.9 * inch, size=13)
    _line(
        canvas,
        _("Hours credited: %(hours)s") % {"hours": _hours_text(certificate.hours)},
        y=top - 4.5 * inch,
        size=16,
        bold=True,
    )
    canvas.setFillColor(MUTED)
    _line(
        canvas,
        _("Facilitator: %(name)s") % {"name": certificate.facilitator},
        y=top - 5.1 * inch,
        size=12,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certificate_for(registration) -> Certificate:
    """The certificate of an attended registration, in the active language."""
    import zoneinfo

    session = registration.session
    local = session.starts_at.astimezone(zoneinfo.ZoneInfo(session.school.timezone))
    person = registration.person
    facilitator = session.facilitator
    return Certificate(
        person=person.full_name or person.username,
        session=session.title,
        date=formats.date_format(local, "DATE_FORMAT"),
        hours=session.hours,
        facilitator=facilitator.full_name or facilitator.username,
        school=session.school.name,
    )
