"""The API token page: a user's own tokens (create, shown once; revoke), and for a manager
the tokens of the users in their scope, which they may revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from taizhang.api import tokens
from taizhang.api.models import Token
from taizhang.audit.services import Actor
from taizhang.orgs.forms import apply_errors
from taizhang.pagination import paginate
from taizhang.params import get_or_404

DAYS = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("180 days")),
    (365, gettext_lazy("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses it, e.g. 海曙区党建平台."),
    )
    access = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=[
            ("read", gettext_lazy("Read only")),
            ("write", gettext_lazy("Read and write (as your role allows)")),
        ],
        initial="read",
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"), choices=DAYS, coerce=int, initial=90
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.can_record:
            self.fields["access"].choices = self.fields["access"].choices[:1]


@login_required
def token_list(request):
    user = request.user
    form = TokenForm(request.POST or None, user=user)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.create_token(
                Actor.web(user),
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["access"] == "read",
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Token created: %(what)s.") % {"what": token})
            form = TokenForm(user=user)
    others = None
    if user.can_manage:
        others = paginate(
            request,
            Token.objects.visible_to(user).exclude(user=user).select_related("user__org"),
        )
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "own": Token.objects.filter(user=user),
            "page": others,
        },
    )


@login_required
@require_POST
def token_revoke(request, pk):
    user = request.user
    # Found in the scope (else 404); revoked by its owner or a manager (else 403).
    visible = Token.objects.filter(user=user) | Token.objects.visible_to(user)
    token = get_or_404(visible.select_related("user__org"), pk)
    tokens.revoke_token(Actor.web(user), token)
    messages.success(request, _("Token revoked: %(what)s.") % {"what": token})
    return redirect("tokens:list")
