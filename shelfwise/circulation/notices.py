"""Notices to readers (hold ready, due soon, overdue): e-mail + their own page.

A notice is stored once per `key` (e.g. "hold_ready:42"), so the daily
command can run any number of times and each reader hears once. Text is
rendered in the reader's interface language when we have it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def _language(patron) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return patron.preferred_language if patron.preferred_language in codes else "en"


def notice_send(*, patron, kind: str, key: str, subject: str, body: str):
    """Store the notice (once per key) and e-mail it if the reader has an address."""
    from shelfwise.circulation.models import Notice

    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                patron=patron,
                kind=kind,
                key=key,
                subject=subject,
                body=body,
                language=_language(patron),
            )
    except IntegrityError:
        return None  # already sent
    if patron.email:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [patron.email])
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
        except OSError:
            log.warning("notice %s: e-mail failed; it stays on the reader's page", key)
    return notice


def notice_hold_ready(*, hold) -> None:
    patron = hold.patron
    with translation.override(_language(patron)):
        subject = _("Your hold is ready: %(title)s") % {"title": hold.record.title[:80]}
        body = _(
            'Hello %(name)s,\n\n"%(title)s" is waiting for you at the %(school)s library. '
            "Please pick it up by %(date)s."
        ) % {
            "name": patron.full_name or patron.username,
            "title": hold.record.title,
            "school": hold.school.name,
            "date": date_format(hold.expires_on, "DATE_FORMAT") if hold.expires_on else "",
        }
    notice_send(
        patron=patron, kind="hold_ready", key=f"hold_ready:{hold.pk}", subject=subject, body=body
    )
