from __future__ import annotations

from django.contrib import admin

from satisfy.distribution.models import (
    ChannelMessage,
    InboundMessage,
    Invitation,
    IvrSession,
    PostContactRule,
    Sample,
    Wave,
)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["short_code", "survey", "wave", "channel", "status", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["short_code"]
    raw_id_fields = ["customer", "interaction", "agent", "unit", "wave"]
    exclude = ["token"]  # the secret stays out of the admin


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin[Wave]):
    list_display = ["survey", "number", "name", "status", "starts_at", "closes_at"]
    list_filter = ["status"]


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin[Sample]):
    list_display = [
        "wave",
        "method",
        "allocation",
        "n",
        "eligible_n",
        "seed",
        "created_at",
    ]
    readonly_fields = ["exclusions", "representativeness"]


@admin.register(ChannelMessage)
class ChannelMessageAdmin(admin.ModelAdmin[ChannelMessage]):
    list_display = [
        "idempotency_key",
        "channel",
        "purpose",
        "state",
        "attempts",
        "due_at",
        "last_error",
    ]
    list_filter = ["state", "channel", "purpose"]
    search_fields = ["idempotency_key", "provider_message_id"]
    raw_id_fields = ["invitation"]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["provider_message_id", "sender", "outcome", "received_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["invitation"]


@admin.register(IvrSession)
class IvrSessionAdmin(admin.ModelAdmin[IvrSession]):
    list_display = [
        "call_id",
        "survey",
        "layout",
        "is_randomised",
        "state",
        "offered_at",
    ]
    list_filter = ["state", "layout"]
    raw_id_fields = ["invitation"]


@admin.register(PostContactRule)
class PostContactRuleAdmin(admin.ModelAdmin[PostContactRule]):
    list_display = [
        "name",
        "survey",
        "channel",
        "sample_rate",
        "delay_seconds",
        "is_active",
    ]
