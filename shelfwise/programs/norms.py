"""The REAL expectations (Respect, Engagement, Accountability, Leadership): the default
wording the product ships, and the lookup that falls back from a school's wording in the
reader's language to its English wording to the default (translated through gettext).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from shelfwise.programs.models import Expectation, NormText

LETTERS = [choice.value for choice in Expectation]

# The wording a school starts from; a librarian rewrites it in /programs/norms/edit/.
DEFAULTS: dict[str, tuple[str, list[str]]] = {
    "R": (
        _("Respect"),
        [
            _("Use a quiet voice so others can read and think."),
            _("Handle books and devices with care."),
            _("Welcome every reader and every language."),
        ],
    ),
    "E": (
        _("Engagement"),
        [
            _("Come ready to read, explore and ask questions."),
            _("Try a book or a format you have not read before."),
            _("Share what you discover with others."),
        ],
    ),
    "A": (
        _("Accountability"),
        [
            _("Return or renew books on time."),
            _("Put materials back where you found them."),
            _("Tell an adult when something is damaged or missing."),
        ],
    ),
    "L": (
        _("Leadership"),
        [
            _("Help a classmate find a good book."),
            _("Volunteer as an aide, a club leader or an ambassador."),
            _("Make the library better for everyone."),
        ],
    ),
}

# Languages the editor offers at least; a school can add its other interface languages.
EDITABLE_LANGUAGES = ["en", "es", "ar"]


@dataclass
class Norm:
    letter: str
    heading: str
    lines: list[str]
    language: str  # the language this wording is actually in (for lang="" on the page)


def default_norm(letter: str, language: str) -> Norm:
    heading, lines = DEFAULTS[letter]
    with override(language):
        return Norm(letter, str(heading), [str(line) for line in lines], language)


def norms_for(*, school, language: str) -> list[Norm]:
    """The four expectations for `school` in `language`, falling back as the module says."""
    rows = {
        (row.language, row.letter): row
        for row in NormText.objects.filter(school=school, language__in={language, "en"})
    }
    norms = []
    for letter in LETTERS:
        # Decision: the school's own English wording beats the product's default in
        # the reader's language: these are the school's published norms, and a
        # different (generic) text in Spanish would say something else.
        row = rows.get((language, letter)) or rows.get(("en", letter))
        if row is not None:
            lines = [line.strip() for line in row.body.splitlines() if line.strip()]
            norms.append(Norm(letter, row.heading, lines, row.language))
        else:
            norms.append(default_norm(letter, language))
    return norms
