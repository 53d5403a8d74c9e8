"""The librarian's circulation pages beyond the desk: a copy's status (lost,
damaged, claimed returned, withdrawn, missing, found), holds placed for a
reader, and the hold shelf.

Every rule lives in `services` (item_mark, hold_place, hold_cancel); these
views find the objects, check that they belong to the librarian's school and
say what happened. Pages that show who holds what are written to the audit log.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shelfwise.audit.services import audit_log
from shelfwise.catalog.models import Item, ItemStatus, Record
from shelfwise.circulation import selectors
from shelfwise.circulation.lookups import person_by_card
from shelfwise.circulation.models import Hold, Loan
from shelfwise.circulation.services import CirculationError, hold_cancel, hold_place, item_mark
from shelfwise.people.permissions import has_perm, require_perm

# What a librarian may set by hand, in the order the form offers them.
MARK_CHOICES = [
    (ItemStatus.LOST, ItemStatus.LOST.label),
    (ItemStatus.CLAIMED_RETURNED, ItemStatus.CLAIMED_RETURNED.label),
    (ItemStatus.DAMAGED, ItemStatus.DAMAGED.label),
    (ItemStatus.MISSING, ItemStatus.MISSING.label),
    (ItemStatus.WITHDRAWN, ItemStatus.WITHDRAWN.label),
    (ItemStatus.IN_PROCESSING, ItemStatus.IN_PROCESSING.label),
    (ItemStatus.AVAILABLE, gettext_lazy("Available (found, repaired or back on the shelf)")),
]


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=MARK_CHOICES)


class ReaderForm(forms.Form):
    card = forms.CharField(
        label=gettext_lazy("Reader's card barcode"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _own_item(request: HttpRequest, pk: int) -> Item:
    item = get_object_or_404(Item.objects.select_related("record", "school"), pk=pk)
    if not has_perm(request.user, "circulation.manage", item.school):
        raise PermissionDenied("copy of another school")
    return item


@require_perm("circulation.manage")
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one copy lost, claimed returned, damaged, missing, withdrawn or found."""
    item = _own_item(request, pk)
    loan = Loan.objects.filter(item=item, returned_at=None).select_related("patron").first()
    form = ItemStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        try:
            item_mark(item=item, status=status, by=request.user)
        except CirculationError as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(
                request,
                _("Copy %(barcode)s is now: %(status)s.")
                % {"barcode": item.barcode, "status": ItemStatus(status).label},
            )
            return redirect(
                reverse("catalog:record_detail", args=[item.record_id]) + f"#item-{item.pk}"
            )
    if loan is not None:
        audit_log(actor=request.user, action="circulation.view_loan", obj=item, school=item.school)
    return render(
        request,
        "circulation/item_status.html",
        {"item": item, "loan": loan, "form": form},
    )


@require_perm("circulation.manage")
def record_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Place a hold on a title for a reader of this school, by their card."""
    record = get_object_or_404(Record, pk=pk)
    form = ReaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        card = form.cleaned_data["card"].strip()
        reader, in_school = person_by_card(card, request.school.pk)
        if reader is None or not in_school:
            form.add_error(
                "card", _("No reader of this school has the card %(card)s.") % {"card": card}
            )
        else:
            try:
                hold = hold_place(
                    record=record, patron=reader, school=request.school, by=request.user
                )
            except CirculationError as exc:
                form.add_error("card", str(exc))
            else:
                if hold.status == Hold.Status.READY:
                    text = _(
                        "Hold placed for %(name)s. A copy is on the shelf: put copy %(barcode)s "
                        "on the hold shelf."
                    ) % {"name": reader.get_full_name(), "barcode": hold.item.barcode}
                else:
                    text = _("Hold placed for %(name)s: they are in the queue.") % {
                        "name": reader.get_full_name()
                    }
                messages.success(request, text)
                return redirect("catalog:record_detail", pk=record.pk)
    return render(request, "circulation/record_hold.html", {"record": record, "form": form})


@require_perm("circulation.manage")
def holds(request: HttpRequest) -> HttpResponse:
    """The hold shelf (copies waiting for a reader) and the queue of waiting holds."""
    ready, waiting = selectors.school_holds(school=request.school)
    audit_log(actor=request.user, action="circulation.view_holds", school=request.school)
    return render(request, "circulation/holds.html", {"ready": ready, "waiting": waiting})


@require_POST
@require_perm("circulation.manage")
def hold_cancel_staff(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(
        Hold.objects.select_related("record", "patron"), pk=pk, school=request.school
    )
    hold_cancel(hold=hold, by=request.user)
    messages.success(
        request,
        _("Cancelled the hold of %(name)s on “%(title)s”.")
        % {"name": hold.patron.get_full_name(), "title": hold.record.title},
    )
    return redirect("circulation:holds")
