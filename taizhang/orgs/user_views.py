"""Users' pages: the list, creating and editing users in one's scope, and lifting a
sign-in lock. Managers only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.orgs import services
from taizhang.orgs.access import get_org, get_user, require_manage
from taizhang.orgs.forms import (
    UserCreateForm,
    UserEditForm,
)
from taizhang.orgs.models import User
from taizhang.pagination import paginate


@login_required
@require_GET
def user_list(request):
    require_manage(request.user)
    users = (
        User.objects.visible_to(request.user)
        .select_related("org")
        .order_by("org__path", "username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    return render(request, "orgs/users.html", {"page": paginate(request, users), "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    user = request.user
    initial = {"role": "viewer"}
    if request.GET.get("org"):
        initial["org"] = get_org(user, request.GET["org"]).code
    require_manage(user)
    form = UserCreateForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_user(Actor.web(request.user), **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Created user %(name)s.") % {"name": created.username})
            return redirect("orgs:users")
    return render(request, "orgs/form.html", {"form": form, "title": _("New user")})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    user = request.user
    target = get_user(user, pk)
    require_manage(user)
    initial = {
        "display_name": target.display_name,
        "org": target.org.code,
        "role": target.role,
        "is_active": target.is_active,
    }
    form = UserEditForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = data.pop("new_password")
        try:
            services.update_user(Actor.web(request.user), target, **data)
            if password:
                services.set_user_password(Actor.web(request.user), target, password)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:users")
    history = Change.objects.filter(model="orgs.user", object_id=str(target.pk))[:10]
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "title": _("Edit user %(name)s") % {"name": target.username},
            "history": history,
            "locked_user": target if services.is_locked_out(target) else None,
        },
    )


@login_required
@require_POST
def user_unlock(request, pk):
    target = get_user(request.user, pk)
    require_manage(request.user)
    services.lift_lockout(Actor.web(request.user), target)
    messages.success(request, _("Sign-in is open again for %(name)s.") % {"name": target.username})
    return redirect("orgs:user-edit", target.pk)
