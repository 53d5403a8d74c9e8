"""Forms of the collection pages: they parse input; the services hold the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from shelfwise.collection.models import LanguageTarget, PurchaseRequest, WeedingDecision


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if start and end and (end - start) > datetime.timedelta(days=366 * 5):
            raise forms.ValidationError(_("Choose a period of five years at most."))
        return data


class TargetForm(forms.Form):
    mode = forms.ChoiceField(label=_("Target"), choices=LanguageTarget.Mode.choices)
    titles_per_speaker = forms.DecimalField(
        label=_("Titles per speaker"), min_value=0.01, max_value=1000, decimal_places=2
    )


class RuleForm(forms.Form):
    rule = forms.IntegerField(widget=forms.HiddenInput)
    max_age = forms.IntegerField(
        label=_("Years since publication"), required=False, min_value=1, max_value=100
    )
    max_idle = forms.IntegerField(
        label=_("Years without circulation"), required=False, min_value=1, max_value=100
    )


class DecisionForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=WeedingDecision.Decision.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    confirm_last_copy = forms.BooleanField(
        label=_("Withdraw even though it is the last copy in a language below target"),
        required=False,
    )


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    isbn = forms.CharField(label=_("ISBN"), max_length=20, required=False)
    language = forms.CharField(
        label=_("Language"),
        max_length=40,
        required=False,
        help_text=_("For example: Arabic, es, spa"),
    )
    reason = forms.CharField(
        label=_("Why the library should buy it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    gap = forms.ChoiceField(
        label=_("Fills a gap"), choices=PurchaseRequest.Gap.choices, required=False
    )
    gap_value = forms.CharField(
        label=_("Which language or reading band"), max_length=16, required=False
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=100, initial=1)
    collaboration = forms.ModelChoiceField(
        label=_("For a collaboration"), queryset=None, required=False
    )

    def __init__(self, *args, school=None, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        from shelfwise.instruction.models import Collaboration

        # The requester's own collaborations in this school (the librarian's: all of them).
        found = Collaboration.objects.filter(school=school)
        if person is not None and not _is_librarian(person, school):
            found = found.filter(requested_by=person)
        self.fields["collaboration"].queryset = found.order_by("-pk")


def _is_librarian(person, school) -> bool:
    from shelfwise.people.permissions import has_perm

    return has_perm(person, "collection.acquire", school)


class StatusForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (PurchaseRequest.Status.WISH_LIST, _("Add to the wish list")),
            (PurchaseRequest.Status.DECLINED, _("Decline")),
        ],
    )
    note = forms.CharField(label=_("Note to the requester"), required=False, max_length=300)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=100)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=10, decimal_places=2)


class OrderForm(forms.Form):
    vendor = forms.CharField(label=_("Vendor"), max_length=200)
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None)

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        from shelfwise.collection.models import BudgetLine

        self.fields["budget_line"].queryset = BudgetLine.objects.filter(school=school)


class LineForm(forms.Form):
    request = forms.ModelChoiceField(label=_("From a request"), queryset=None, required=False)
    isbn = forms.CharField(label=_("Or an ISBN"), max_length=20, required=False)
    title = forms.CharField(
        label=_("Title (when the ISBN is not in the catalog)"), max_length=300, required=False
    )
    language = forms.CharField(label=_("Language"), max_length=40, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=500, initial=1)
    unit_price = forms.DecimalField(
        label=_("Unit price"), min_value=0, max_digits=8, decimal_places=2
    )

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = PurchaseRequest.objects.filter(
            school=school,
            status__in=[PurchaseRequest.Status.SUBMITTED, PurchaseRequest.Status.WISH_LIST],
        )

    def clean(self):
        data = super().clean()
        if not data.get("request") and not data.get("isbn") and not data.get("title"):
            raise forms.ValidationError(_("Choose a request, or give an ISBN or a title."))
        return data


class ReceiveForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    barcodes = forms.CharField(
        label=_("Barcodes scanned"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, as the scanner types them."),
    )
