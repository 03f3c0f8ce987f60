from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "satisfy.reports"
    label = "reports"
