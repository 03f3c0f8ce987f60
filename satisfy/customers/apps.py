from __future__ import annotations

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "satisfy.customers"
    label = "customers"
