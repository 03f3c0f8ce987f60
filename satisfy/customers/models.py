from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    """A person or organisation the service organisation serves."""

    external_id = models.CharField(_("external id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    email = models.EmailField(_("email"), blank=True, default="")
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True, default="")
    language = models.CharField(_("language"), max_length=10, default="en")
    segment = models.CharField(_("segment"), max_length=50, blank=True, default="")
    # Extra attributes kept for sampling and breakdowns (region, tier, consumption level…).
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    has_consent = models.BooleanField(_("consents to surveys"), default=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["external_id"]

    def __str__(self) -> str:
        return self.name or self.external_id
