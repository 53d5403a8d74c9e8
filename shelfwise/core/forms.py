"""Forms of the site-wide pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No autofocus: keyboard and screen-reader users start at the top of
        # the page (skip link, language switcher) like on every other page.
        self.fields["username"].widget.attrs.pop("autofocus", None)
