"""`shelfwise annual-report`: the same report as the page, to a file; clear errors."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.reports.conftest import YEAR
from tests.reports.test_annual_pdf import STUDENT_NAMES, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def test_pdf_of_a_school(year, tmp_path):
    target = tmp_path / "lms.pdf"
    call_command("annual_report", "--school", "LMS", "--year", YEAR, "--output", str(target))
    text = pdf_text(target.read_bytes())
    assert "Library annual report 2025-26" in text
    assert "Inquiry with primary sources" in text


def test_html_of_a_school(year, tmp_path):
    target = tmp_path / "lms.html"
    call_command(
        "annual_report", "--school", "LMS", "--year", YEAR, "--format", "html",
        "--output", str(target),
    )  # fmt: skip
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en" dir="ltr">' in html
    assert "Inquiry with primary sources" in html and "&lt;5" in html
    assert "<textarea" not in html  # nothing to edit in a file
    for name in STUDENT_NAMES:
        assert name not in html, name


@pytest.mark.parametrize(("lang", "direction", "heading"), [
    ("es", "ltr", "Informe anual 2025-26"), ("ar", "rtl", "التقرير السنوي 2025-26"),
])  # fmt: skip
def test_html_in_spanish_and_arabic(year, tmp_path, lang, direction, heading):
    target = tmp_path / f"lms-{lang}.html"
    call_command(
        "annual_report", "--school", "LMS", "--year", YEAR, "--format", "html",
        "--language", lang, "--output", str(target),
    )  # fmt: skip
    html = target.read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert heading in html


def test_district_roll_up(year, tmp_path):
    target = tmp_path / "district.html"
    call_command(
        "annual_report", "--district", "--year", YEAR, "--format", "html", "--output", str(target)
    )
    html = target.read_text(encoding="utf-8")
    assert "Lincoln Middle School" in html and "Oak Elementary" in html and "All schools" in html


def test_unknown_school_is_a_clear_error(personas, tmp_path):
    with pytest.raises(CommandError, match=r"No school with code 'NOPE'\. Known codes: LMS, OAK"):
        call_command("annual_report", "--school", "NOPE", "--year", YEAR, "-o", str(tmp_path / "x"))
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("bad", ["2026", "2026-2027", "2026-28", "26-27", ""])
def test_malformed_year_is_a_clear_error(personas, tmp_path, bad):
    with pytest.raises(CommandError, match="is not a school year: write it as 2026-27"):
        call_command("annual_report", "--school", "LMS", "--year", bad, "-o", str(tmp_path / "x"))
    assert not list(tmp_path.iterdir())
