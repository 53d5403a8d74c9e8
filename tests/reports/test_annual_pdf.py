"""The annual report as PDF: the same figures as the page, and no student's name."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from shelfwise.reports.annual import annual_report, district_report
from shelfwise.reports.annual_pdf import annual_report_pdf, district_report_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

STUDENT_NAMES = ("Sami", "Haddad", "Lucía", "Ortega", "Jay", "Park", "Ava", "Ben", "Aidan")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_pdf_holds_the_figures_and_no_names(year):
    data = annual_report_pdf(annual_report(year.school, year.label))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Library annual report 2025-26" in text
    for heading in ("Respect", "Engagement", "Accountability", "Leadership"):
        assert heading in text
    assert "Inquiry with primary sources" in text
    assert "9.5" in text  # hours credited
    assert "4.7" in text  # relevance, the year's mean
    assert "<5" in text
    for name in STUDENT_NAMES:
        assert name not in text, name


def test_district_pdf(year):
    text = pdf_text(district_report_pdf(district_report(year.label)))
    assert "Lincoln Middle School" in text and "Oak Elementary" in text
    assert "All schools" in text


def test_pdf_in_arabic(year):
    from django.utils import translation

    with translation.override("ar"):
        data = annual_report_pdf(annual_report(year.school, year.label))
    assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) >= 2
