from __future__ import annotations

from django.contrib import admin

from satisfy.distribution.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["short_code", "survey", "channel", "status", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["short_code"]
    raw_id_fields = ["customer", "interaction", "agent", "unit"]
    exclude = ["token"]  # the secret stays out of the admin
