from __future__ import annotations

from django.contrib import admin

from satisfy.responses.models import Answer, SurveyResponse


class AnswerInline(admin.TabularInline[Answer, SurveyResponse]):
    model = Answer
    extra = 0
    readonly_fields = [
        "question_code",
        "item_code",
        "part",
        "choice_code",
        "value",
        "text_value",
        "is_na",
    ]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin[SurveyResponse]):
    list_display = ["pk", "survey", "status", "channel", "language", "started_at"]
    list_filter = ["status", "channel", "language"]
    raw_id_fields = ["invitation", "interaction", "customer", "agent", "unit"]
    inlines = [AnswerInline]
