from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from taizhang.orgs.models import Org, Person, User


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "depth", "active"]
    list_filter = ["kind", "active", "depth"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth", "numchild"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "org", "title", "rank"]
    list_filter = ["rank", "is_party_member"]
    search_fields = ["name", "code"]
    raw_id_fields = ["org"]


@admin.register(User)
class TaizhangUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "org", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    raw_id_fields = ["org"]
    fieldsets = UserAdmin.fieldsets + (("Taizhang", {"fields": ["display_name", "org", "role"]}),)
