"""Page helpers the apps share: the campaign a page is for, the ?org= a list is narrowed
to, a page with one form that writes through a service, and a delete confirmation."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from taizhang.audit.services import Actor
from taizhang.ledger.access import get_campaign
from taizhang.orgs.access import get_org
from taizhang.orgs.forms import apply_errors


def with_campaign(view):
    """Pass the campaign the page is for; without one, the page says how to load one."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        campaign = get_campaign(request)
        if campaign is None:
            return render(request, "ledger/no_campaign.html")
        return view(request, *args, campaign=campaign, **kwargs)

    return wrapped


def form_page(request, form, write, done, *, title, cancel, intro=""):
    """A page with one form that writes through a service: on a valid POST run
    `write(cleaned_data)`, flash and go to `done(result)`; a refusal shows the service's
    errors on the form, nothing written."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": result})
            return redirect(done(result))
    return render(
        request,
        "form.html",
        {"form": form, "title": title, "cancel": cancel, "intro": intro},
    )


def requested_org(request):
    """The org a list is narrowed to (?org=), checked against the user's scope; a malformed
    or foreign one answers 404."""
    pk = request.GET.get("org", "")
    if not pk:
        return None
    return get_org(request.user, pk)


def confirm_delete(request, obj, delete, *, detail, cancel, done):
    """GET: ask; POST: delete through the service and go to `done`."""
    if request.method == "POST":
        try:
            delete(Actor.web(request.user), obj)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(cancel)
        messages.success(request, _("Deleted: %(what)s.") % {"what": obj})
        return redirect(done)
    return render(
        request,
        "confirm_delete.html",
        {"what": obj, "detail": detail, "cancel": cancel},
    )
