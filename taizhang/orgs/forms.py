from django import forms
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.models import Org, Person, Rank, Role, Sector, User
from taizhang.orgs.scope import Scope


class ScopedCodeField(forms.CharField):
    """An object given by its code (an org, a person), looked up inside the user's own
    subtree, where they may write (what a sector's department only reads is not offered);
    a code outside it is unknown. The form wires the user (ScopedForm does it for every
    such field). Suggestions come from `lookup_url` as the user types (static/taizhang/
    taizhang.js)."""

    model = None
    scope_field = "org__path"
    lookup_url = ""
    datalist = ""
    help = ""
    not_found = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", self.help)
        super().__init__(*args, **kwargs)
        self.user = None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "list": self.datalist,
                "autocomplete": "off",
                "data-lookup": reverse_lazy(self.lookup_url),
                "data-lookup-target": f"#{self.datalist}",
            }
        )
        return attrs

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        own = Scope.of(self.user).q_own(self.scope_field)
        found = self.model.objects.filter(own, code=code.strip()).first()
        if found is None:
            raise forms.ValidationError(self.not_found)
        return found


class OrgCodeField(ScopedCodeField):
    model = Org
    scope_field = "path"
    lookup_url = "orgs:lookup"
    datalist = "org-options"
    help = _("Type part of a name or code and pick from the list.")
    not_found = _("No organisation with this code in your scope.")


class PersonCodeField(ScopedCodeField):
    model = Person
    lookup_url = "orgs:person-lookup"
    datalist = "person-options"
    help = _("Person number; pick from the list as you type a name.")
    not_found = _("No person with this number in your scope.")


def unique_code(model, code, instance, message):
    """A code no other `model` row uses (the one being edited may keep its own)."""
    code = code.strip()
    clash = model.objects.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise forms.ValidationError(message)
    return code


def apply_errors(form, error):
    """Show a service's ValidationError on the form: each field's errors on that field,
    the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class ScopedForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, ScopedCodeField):
                field.user = user


class OrgForm(forms.ModelForm):
    """`own=True` for the org at the top of the editor's scope: its kind and active flag
    count in the coverage and targets above it, so only someone above may change them."""

    class Meta:
        model = Org
        fields = ["name", "short_name", "code", "kind", "active"]

    def __init__(self, *args, own=False, **kwargs):
        super().__init__(*args, **kwargs)
        if own:
            for name in ("kind", "active"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Only someone above this organisation may change this."
                )


class OrgMoveForm(ScopedForm):
    parent = OrgCodeField(label=_("New parent (code)"))


class PersonForm(ScopedForm):
    code = forms.CharField(label=_("Person number"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=50)
    org = OrgCodeField(label=_("Organisation (code)"))
    title = forms.CharField(label=_("Position"), max_length=100, required=False)
    rank = forms.ChoiceField(label=_("Rank"), choices=Rank.choices)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False, initial=True)
    standing_committee = forms.BooleanField(
        label=_("Member of the standing committee"), required=False
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_code(self):
        return unique_code(
            Person,
            self.cleaned_data["code"],
            self.instance,
            _("This person number is already in use."),
        )


class UserCreateForm(ScopedForm):
    username = forms.RegexField(
        label=_("Login name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    org = OrgCodeField(label=_("Organisation (code)"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in self.user.grantable_roles()]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login name is taken."))
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class UserEditForm(ScopedForm):
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    org = OrgCodeField(label=_("Organisation (code)"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("May sign in"), required=False)
    new_password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Leave empty to keep the current password."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in self.user.grantable_roles()]

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        if password:
            validate_password(password)
        return password


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx, .xls, .xlsb, .ods or .csv)"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SectorForm(ScopedForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    department = OrgCodeField(
        label=_("Responsible department (code)"),
        help_text=_("The organisation that answers for the system, such as the education bureau."),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_code(self):
        message = _("Another system already uses this code.")
        return unique_code(Sector, self.cleaned_data["code"], self.instance, message)


class SectorJoinForm(ScopedForm):
    org = OrgCodeField(label=_("Member organisation (code)"))
    joined_on = forms.DateField(
        label=_("Joined on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )  # fmt: skip


class SectorLeaveForm(forms.Form):
    left_on = forms.DateField(
        label=_("Left on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
