"""Language profiles CSV: codes normalised to MARC, bad rows listed, good rows land."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shelfwise.people.language_profiles import language_profiles_import, to_marc_language
from shelfwise.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def test_codes_become_marc_codes():
    assert [
        to_marc_language(c)
        for c in ["es", "spa", "ar", "zh", "zho", "fr", "hmn", "so", "vi", "xx9"]
    ] == ["spa", "spa", "ara", "chi", "chi", "fre", "hmn", "som", "vie", None]


def test_import_sets_profiles_and_reports_bad_rows(tmp_path, personas):
    personas.student.sourced_id = "s1"
    personas.student.save()
    personas.aide.sourced_id = "s2"
    personas.aide.save()
    path = tmp_path / "profiles.csv"
    path.write_text(
        "sourcedId,home_languages,english_learner,el_entry_date\n"
        's1,"es, en",true,2024-08-20\n'
        "s2,klingon,false,\n"
        "s3,ar,true,\n"
        "s2,vi,maybe,\n"
    )
    result = language_profiles_import(path=path, by=personas.ell)
    assert result.updated == 1
    assert [line for line, _ in result.errors] == [3, 4, 5]
    student = Person.objects.get(pk=personas.student.pk)
    assert student.home_languages == ["spa", "eng"] and student.english_learner is True
    assert str(student.el_entry_date) == "2024-08-20"
    assert Person.objects.get(pk=personas.aide.pk).home_languages == []


def test_file_without_the_columns_changes_nothing(tmp_path, personas):
    path = tmp_path / "x.csv"
    path.write_text("id,lang\n1,es\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match="missing column"):
        call_command("import_language_profiles", str(path), stdout=out)
