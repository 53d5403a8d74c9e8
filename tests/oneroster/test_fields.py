"""Single-cell parsers: dates, timestamps, booleans, lists, userIds, grades, enums."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shelfwise.oneroster.fields import (
    CLASS_TYPES,
    ROLES,
    STATUSES,
    BadValue,
    parse_bool,
    parse_date,
    parse_grades,
    parse_timestamp,
    parse_user_ids,
    split_list,
)


def test_dates_are_strict_yyyy_mm_dd():
    assert parse_date("beginDate", "2022-03-15") == date(2022, 3, 15)
    for bad in ("15/03/2022", "1/05/2023", "2022-3-15", "20220315", "2022-W11-2", "foo"):
        with pytest.raises(BadValue, match=f"beginDate '{bad}' is not YYYY-MM-DD"):
            parse_date("beginDate", bad)
    with pytest.raises(BadValue, match="is not a real date"):
        parse_date("beginDate", "2023-02-29")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-01T18:25:43.511Z", datetime(2023, 5, 1, 18, 25, 43, 511000, tzinfo=UTC)),
        ("2023-05-01", datetime(2023, 5, 1, tzinfo=UTC)),
        ("2017-05-06 08:01:05", datetime(2017, 5, 6, 8, 1, 5, tzinfo=UTC)),
        ("2023-05-01T20:25:43+02:00", datetime(2023, 5, 1, 18, 25, 43, tzinfo=UTC)),
        ("2023-05-01T18:25Z", datetime(2023, 5, 1, 18, 25, tzinfo=UTC)),
    ],
)
def test_timestamps(text, expected):
    assert parse_timestamp("dateLastModified", text) == expected


@pytest.mark.parametrize("bad", ["1/05/2023", "15/06/2023", "yesterday", "2023-05-01T25:00:00Z"])
def test_bad_timestamps(bad):
    with pytest.raises(BadValue, match="dateLastModified"):
        parse_timestamp("dateLastModified", bad)


def test_booleans_any_case():
    assert parse_bool("enabledUser", "TRUE") is True
    assert parse_bool("enabledUser", "false") is False
    assert parse_bool("enabledUser", "False") is False
    with pytest.raises(BadValue, match="enabledUser '1' is not true or false"):
        parse_bool("enabledUser", "1")


def test_lists():
    assert split_list("") == ()
    assert split_list("09,10,11") == ("09", "10", "11")
    assert split_list("Science, Physics, Biology") == ("Science", "Physics", "Biology")
    assert split_list("a,,b,") == ("a", "b")


def test_user_ids():
    assert parse_user_ids("{LDAP:12},{LTI:15},{Fed:23}") == (
        (("LDAP", "12"), ("LTI", "15"), ("Fed", "23")),
        True,
    )
    assert parse_user_ids("{LDAP:12}") == ((("LDAP", "12"),), True)
    assert parse_user_ids("") == ((), True)
    # An id may itself hold a colon (URNs): only the first colon separates the type.
    assert parse_user_ids("{SSO:urn:x:1}") == ((("SSO", "urn:x:1"),), True)
    assert parse_user_ids("abc") == ((("", "abc"),), False)
    assert parse_user_ids("abc,{LTI:15}") == ((("", "abc"), ("LTI", "15")), False)


def test_grades():
    assert parse_grades("09,10,11") == (("09", "10", "11"), ())
    assert parse_grades("K,1,12,Kindergarten,pk,other,UG") == (
        ("KG", "01", "12", "KG", "PK", "Other", "UG"),
        (),
    )
    assert parse_grades("Year 7,09") == (("Year 7", "09"), ("Year 7",))


def test_enums():
    assert CLASS_TYPES.parse("scheduled") == ("scheduled", "")
    assert CLASS_TYPES.parse("Scheduled") == ("scheduled", "case")
    assert ROLES.parse("siteAdministrator") == ("administrator", "siteAdministrator")
    assert ROLES.parse("districtadministrator") == ("administrator", "districtAdministrator")
    assert STATUSES.parse("inactive") == ("inactive", "")
    with pytest.raises(BadValue, match="unknown role 'wizard'"):
        ROLES.parse("wizard")
    with pytest.raises(BadValue, match="unknown classType 'lab'"):
        CLASS_TYPES.parse("lab")
