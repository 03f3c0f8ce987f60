from __future__ import annotations

from django.contrib import admin

from satisfy.reports.models import ExportJob, ReportDelivery, ReportSchedule


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin[ReportSchedule]):
    list_display = ("survey", "unit", "frequency", "format", "unit_kind", "active")
    list_filter = ("frequency", "format", "active")


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin[ReportDelivery]):
    list_display = ("schedule", "unit", "period_end", "sent_at", "recipients")
    readonly_fields = ("sent_at", "file_path", "error")


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin[ExportJob]):
    list_display = ("pk", "user", "survey", "format", "status", "rows_written")
    list_filter = ("status", "format")
