"""Inputs that are not OneRoster at all raise NotOneRosterError with a plain reason."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from shelfwise.oneroster import NotOneRosterError, read_roster
from tests.oneroster.conftest import DATA, FULL, edit


def test_empty_folder(tmp_path):
    with pytest.raises(NotOneRosterError, match="holds no CSV files"):
        read_roster(tmp_path)


def test_folder_of_unrelated_csvs(tmp_path):
    (tmp_path / "books.csv").write_text("isbn,title\n9780140328721,Matilda\n")
    (tmp_path / "loans.csv").write_text("barcode,due\n31234000012345,2024-05-01\n")
    with pytest.raises(NotOneRosterError, match=r"no manifest\.csv and no OneRoster files"):
        read_roster(tmp_path)


def test_oneroster_file_names_with_unrelated_content(tmp_path):
    # A "users.csv" from some other system is not OneRoster just by its name.
    (tmp_path / "users.csv").write_text("id,name,email\n1,Ana,ana@example.org\n")
    with pytest.raises(NotOneRosterError, match="sourcedId column"):
        read_roster(tmp_path)


def test_text_file_renamed_zip(tmp_path):
    fake = tmp_path / "roster.zip"
    fake.write_text("this is a note, not an archive\n")
    with pytest.raises(NotOneRosterError, match="is not a zip archive"):
        read_roster(fake)


def test_zip_without_csv(tmp_path):
    z = tmp_path / "photos.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(NotOneRosterError, match="holds no CSV files"):
        read_roster(z)


def test_missing_path(tmp_path):
    with pytest.raises(NotOneRosterError, match="does not exist"):
        read_roster(tmp_path / "nowhere.zip")


def test_manifest_of_a_later_major_version(tmp_path):
    target = tmp_path / "set"
    shutil.copytree(FULL, target)
    edit(target / "manifest.csv", "oneroster.version,1.1", "oneroster.version,2.0")
    with pytest.raises(NotOneRosterError, match=r"oneroster.version '2.0'"):
        read_roster(target)


def test_manifest_that_is_not_a_manifest(tmp_path):
    target = tmp_path / "set"
    shutil.copytree(FULL, target)
    (target / "manifest.csv").write_text("name,size\nusers.csv,1304\n")
    with pytest.raises(NotOneRosterError, match="propertyName,value"):
        read_roster(target)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.1.0"])
def test_compatible_versions_are_read(tmp_path, version):
    target = tmp_path / "set"
    shutil.copytree(FULL, target)
    edit(target / "manifest.csv", "oneroster.version,1.1", f"oneroster.version,{version}")
    assert read_roster(target).version == version


def test_catalyst_zip_is_a_real_zip():
    # Guard that the zip tests read the archive, not a folder beside it.
    assert zipfile.is_zipfile(DATA / "catalyst_Test_full_data_set.zip")
