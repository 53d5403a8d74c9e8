"""Self-check pages: the librarian's kiosk accounts and policy, and a reader's own PIN."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.people.models import Membership, Person
from shelfwise.people.permissions import require_perm
from shelfwise.sip2.forms import (
    KioskCreateForm,
    KioskForm,
    KioskPasswordForm,
    PinForm,
    PolicyForm,
    ReaderPinForm,
)
from shelfwise.sip2.models import KioskAccount, PatronPin, Sip2Settings
from shelfwise.sip2.services import (
    kiosk_create,
    kiosk_delete,
    kiosk_set_password,
    kiosk_update,
    patron_pin_set,
    sip2_settings_set,
)


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_perm("sip2.manage")
def kiosks(request: HttpRequest) -> HttpResponse:
    school = request.school
    policy = Sip2Settings.for_school(school)
    context = {
        "kiosks": KioskAccount.objects.filter(school=school).order_by("login_id"),
        "policy_form": PolicyForm(initial={"patron_auth": policy.patron_auth}),
        "pin_form": ReaderPinForm(),
    }
    return render(request, "sip2/kiosks.html", context)


@require_POST
@require_perm("sip2.manage")
def policy(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST)
    if form.is_valid():
        sip2_settings_set(
            school=request.school, patron_auth=form.cleaned_data["patron_auth"], by=request.user
        )
        messages.success(request, _("The kiosk policy is saved."))
    else:
        messages.error(request, _("Choose how readers identify at a kiosk."))
    return redirect("sip2:kiosks")


@require_perm("sip2.manage")
def kiosk_add(request: HttpRequest) -> HttpResponse:
    form = KioskCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kiosk_create(
                school=request.school,
                login_id=data["login_id"],
                password=data["password"],
                location_code=data["location_code"],
                language=data["language"],
                max_connections=data["max_connections"],
                by=request.user,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Kiosk %(login)s added.") % {"login": data["login_id"]})
            return redirect("sip2:kiosks")
    return render(request, "sip2/kiosk_form.html", {"form": form})


@require_perm("sip2.manage")
def kiosk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kiosk = get_object_or_404(KioskAccount, pk=pk, school=request.school)
    form = KioskForm(request.POST or None, instance=kiosk)
    form.fields["login_id"].disabled = True  # the kiosk is configured with it
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name != "login_id"
        }
        try:
            kiosk_update(kiosk=kiosk, by=request.user, **changes)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Kiosk %(login)s saved.") % {"login": kiosk.login_id})
            return redirect("sip2:kiosks")
    context = {"form": form, "kiosk": kiosk, "password_form": KioskPasswordForm()}
    return render(request, "sip2/kiosk_form.html", context)


@require_POST
@require_perm("sip2.manage")
def kiosk_password(request: HttpRequest, pk: int) -> HttpResponse:
    kiosk = get_object_or_404(KioskAccount, pk=pk, school=request.school)
    form = KioskPasswordForm(request.POST)
    if form.is_valid():
        try:
            kiosk_set_password(kiosk=kiosk, password=form.cleaned_data["password"], by=request.user)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The kiosk's password is changed."))
            return redirect("sip2:kiosks")
    context = {"form": KioskForm(instance=kiosk), "kiosk": kiosk, "password_form": form}
    return render(request, "sip2/kiosk_form.html", context, status=400)


@require_POST
@require_perm("sip2.manage")
def kiosk_remove(request: HttpRequest, pk: int) -> HttpResponse:
    kiosk = get_object_or_404(KioskAccount, pk=pk, school=request.school)
    login = kiosk.login_id
    kiosk_delete(kiosk=kiosk, by=request.user)
    messages.success(request, _("Kiosk %(login)s removed.") % {"login": login})
    return redirect("sip2:kiosks")


@require_POST
@require_perm("sip2.manage")
def reader_pin(request: HttpRequest) -> HttpResponse:
    form = ReaderPinForm(request.POST)
    if form.is_valid():
        reader = (
            Person.objects.filter(patron_barcode=form.cleaned_data["barcode"].strip())
            .filter(Exists(Membership.objects.filter(person=OuterRef("pk"), school=request.school)))
            .first()
        )
        if reader is None:
            form.add_error("barcode", _("No reader of this school has this card."))
        else:
            patron_pin_set(
                person=reader, pin=form.cleaned_data["pin"], by=request.user, school=request.school
            )
            messages.success(
                request, _("The PIN of %(name)s is set.") % {"name": reader.full_name or reader}
            )
            return redirect("sip2:kiosks")
    school = request.school
    context = {
        "kiosks": KioskAccount.objects.filter(school=school).order_by("login_id"),
        "policy_form": PolicyForm(
            initial={"patron_auth": Sip2Settings.for_school(school).patron_auth}
        ),
        "pin_form": form,
    }
    return render(request, "sip2/kiosks.html", context, status=400)


@require_perm("sip2.own_pin")
def my_pin(request: HttpRequest) -> HttpResponse:
    person = request.user
    form = PinForm(request.POST or None)
    if request.method == "POST" and person.patron_barcode and form.is_valid():
        patron_pin_set(
            person=person, pin=form.cleaned_data["pin"], by=person, school=request.school
        )
        messages.success(request, _("Your PIN is set. Use it at the self-check kiosk."))
        return redirect("sip2:my_pin")
    context = {
        "form": form,
        "has_card": bool(person.patron_barcode),
        "has_pin": PatronPin.objects.filter(person=person).exists(),
        "needs_pin": Sip2Settings.for_school(request.school).patron_auth == "barcode_pin",
    }
    return render(request, "sip2/my_pin.html", context)
