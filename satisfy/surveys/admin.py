from __future__ import annotations

from django.contrib import admin

from satisfy.surveys.models import Survey, SurveyVersion


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ["title", "slug", "unit", "status", "template_code", "created_at"]
    list_filter = ["status", "template_code"]
    search_fields = ["title", "slug"]


@admin.register(SurveyVersion)
class SurveyVersionAdmin(admin.ModelAdmin[SurveyVersion]):
    list_display = ["survey", "number", "published_at", "is_anonymous"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # published versions are immutable
