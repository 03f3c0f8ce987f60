from __future__ import annotations

from django.contrib import admin

from satisfy.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ["external_id", "name", "language", "segment", "opted_out_at"]
    search_fields = ["external_id", "name", "email", "phone"]
    list_filter = ["language", "segment"]
