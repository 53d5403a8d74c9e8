"""Weeding by CREW: the default A/U formulas per Dewey class and section, and the
weeding list they give (reads only; decisions are written by `services`).

A candidate is a copy whose age (years since publication, A) and years
without circulation (U) both pass its rule — the CREW formula "5/3" reads
"more than 5 years old and no circulation in 3" — or that has a MUSTIE
condition note; a rule part left blank is CREW's X (does not apply). Staff
decide; nothing here changes a copy.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.collection.selectors import (
    DEWEY_CLASSES,
    IN_COLLECTION,
    SECTIONS,
    collection_items,
    language_coverage,
    years_before,
)

# (dewey prefix or section, max age, max idle) — None is CREW's X.
# Decision: DOMAIN.md verifies only 004 (3/X/MUSTIE); the issue gives the
# 500s (5/3) and 900s (15/3). The other classes use the two formulas the
# manual applies most (10/3 for slow-changing classes, 5/3 for the social
# sciences and technology, X/3 for arts and literature, X/2 for fiction and
# picture books); they are data the librarian edits, to be checked against
# the manual's Appendix chart.
DEFAULT_RULES: tuple[tuple[str, int | None, int | None], ...] = (
    ("000", 10, 3),
    ("004", 3, None),
    ("100", 10, 3),
    ("200", 10, 3),
    ("300", 5, 3),
    ("400", 10, 3),
    ("500", 5, 3),
    ("600", 5, 3),
    ("700", None, 3),
    ("800", None, 3),
    ("900", 15, 3),
    ("fiction", None, 2),
    ("easy", None, 2),
    ("graphic", None, 2),
    ("biography", None, 3),
    ("reference", 5, None),
)
REASON_LABELS = {
    "age": _("Old: past the age in its rule"),
    "idle": _("Not circulated within its rule's years"),
    "condition": _("Condition (damaged or worn, per the notes)"),
}
# Decision: a condition is read from the copy's status (damaged) or words in
# its staff notes, in the two languages staff write notes in here.
CONDITION_WORDS = re.compile(
    r"\b(worn|torn|damaged|stain\w*|mold\w*|mould\w*|loose|broken|missing pages|ugly|"
    r"dañad\w*|rot[oa]s?|gastad\w*|manchad\w*)\b",
    re.IGNORECASE,
)


def rule_key_prefix(key: str) -> str:
    """'500' → '5' (the 500s); '510' → '51'; '004' → '004'."""
    if key in DEWEY_CLASSES:
        return key[0]
    if len(key) == 3 and key.endswith("0"):
        return key[:2]
    return key


def rule_label(rule) -> str:
    if rule.section:
        return str(_section_label(rule.section))
    prefix = rule.dewey_prefix
    return prefix.ljust(3, "0") + ("s" if len(prefix) < 3 else "")


def _section_label(section: str):
    from shelfwise.collection.selectors import SECTION_LABELS

    return SECTION_LABELS.get(section, section)


def rules_for(school) -> list:
    """The school's rules, created from the defaults the first time they are asked for."""
    from shelfwise.collection.models import WeedingRule

    rules = list(WeedingRule.objects.filter(school=school))
    if rules:
        return rules
    WeedingRule.objects.bulk_create(
        [
            WeedingRule(
                school=school,
                section=key if key in SECTIONS else "",
                dewey_prefix="" if key in SECTIONS else rule_key_prefix(key),
                max_age=age,
                max_idle=idle,
            )
            for key, age, idle in DEFAULT_RULES
        ],
        ignore_conflicts=True,
    )
    return list(WeedingRule.objects.filter(school=school))


def rule_for(rules: Sequence, *, section: str, dewey: str):
    """The section's rule, else the longest Dewey prefix matching."""
    if section in SECTIONS:
        return next((r for r in rules if r.section == section), None)
    matching = [r for r in rules if r.dewey_prefix and dewey.startswith(r.dewey_prefix)]
    return max(matching, key=lambda r: len(r.dewey_prefix), default=None)


@dataclass
class Candidate:
    item_id: int
    barcode: str
    title: str
    call_number: str
    dewey: str
    pub_year: int | None
    last_circulated: datetime.date | None
    languages: list[str]
    rule: str
    reasons: list[str] = field(default_factory=list)
    last_copy_flag: bool = False
    flag_languages: list[str] = field(default_factory=list)
    decision: str = ""

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[r]) for r in self.reasons]


def item_reasons(
    rule, *, pub_year, last_circulated, acquired, status: str, notes: str, today: datetime.date
) -> list[str]:
    reasons = []
    if status == ItemStatus.DAMAGED or CONDITION_WORDS.search(notes or ""):
        reasons.append("condition")
    if rule is None or (rule.max_age is None and rule.max_idle is None):
        return reasons
    old = rule.max_age is None or (pub_year is not None and today.year - pub_year > rule.max_age)
    # Decision: a copy never circulated has been idle since it was acquired
    # (or forever when that date is unknown).
    since = last_circulated or acquired
    idle = rule.max_idle is None or since is None or since < years_before(today, rule.max_idle)
    if old and idle:
        if rule.max_age is not None:
            reasons.insert(0, "age")
        if rule.max_idle is not None:
            reasons.insert(1 if rule.max_age is not None else 0, "idle")
    return reasons


def weeding_list(
    *, school, section: str, today: datetime.date, item_ids: Sequence[int] | None = None
) -> list[Candidate]:
    """Candidates in one section ('500' for the 500s, or fiction, easy …) of a school.

    Reads one section (a few thousand copies at most) with the columns the
    rules need; the last-copy check is one grouped query.
    """
    from shelfwise.collection.models import WeedingDecision

    rules = rules_for(school)
    items = (
        collection_items([school.pk])
        .filter(status__in=[ItemStatus.AVAILABLE, ItemStatus.DAMAGED, ItemStatus.IN_PROCESSING])
        .filter(section=section)
    )
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    rows = items.values(
        "pk",
        "barcode",
        "call_number",
        "acquired",
        "last_circulated",
        "status",
        "notes",
        "record_id",
        "record__title",
        "record__dewey",
        "record__pub_year",
        "record__languages",
    ).order_by("record__dewey", "call_number", "barcode")
    candidates: list[tuple[Candidate, int]] = []
    for row in rows:
        rule = rule_for(rules, section=section, dewey=row["record__dewey"] or "")
        reasons = item_reasons(
            rule,
            pub_year=row["record__pub_year"],
            last_circulated=row["last_circulated"],
            acquired=row["acquired"],
            status=row["status"],
            notes=row["notes"],
            today=today,
        )
        if not reasons:
            continue
        candidates.append(
            (
                Candidate(
                    item_id=row["pk"],
                    barcode=row["barcode"],
                    title=row["record__title"],
                    call_number=row["call_number"],
                    dewey=row["record__dewey"],
                    pub_year=row["record__pub_year"],
                    last_circulated=row["last_circulated"],
                    languages=list(row["record__languages"] or []),
                    rule=rule_label(rule) if rule else "",
                    reasons=reasons,
                ),
                row["record_id"],
            )
        )
    if not candidates:
        return []
    copies = dict(
        Item.objects.filter(
            school=school,
            record_id__in={record_id for _, record_id in candidates},
            status__in=IN_COLLECTION,
        )
        .values("record_id")
        .annotate(n=Count("id"))
        .values_list("record_id", "n")
    )
    below = {
        row.code
        for row in language_coverage(school_ids=[school.pk], today=today).rows
        if row.below_target
    }
    decisions = dict(
        WeedingDecision.objects.filter(item_id__in=[c.item_id for c, _ in candidates])
        .order_by("item_id", "decided_at", "pk")
        .values_list("item_id", "decision")
    )
    for candidate, record_id in candidates:
        if copies.get(record_id, 0) <= 1:
            low = [code for code in candidate.languages if code in below]
            if low:
                candidate.last_copy_flag = True
                candidate.flag_languages = low
        candidate.decision = decisions.get(candidate.item_id, "")
    return [c for c, _ in candidates]
