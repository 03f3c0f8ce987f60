from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from satisfy.accounts.models import ApiToken, RoleAssignment, User


class RoleInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class SatisfyUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = [RoleInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Satisfy", {"fields": ("language",)}))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
