from __future__ import annotations

from django.contrib import admin

from satisfy.interactions.models import Interaction


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin[Interaction]):
    list_display = ["external_id", "channel", "queue", "agent", "arrived_at", "outcome"]
    list_filter = ["channel", "outcome", "queue"]
    search_fields = ["external_id"]
    raw_id_fields = ["customer", "agent", "unit"]
