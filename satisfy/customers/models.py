from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    """A person or organisation the service organisation serves."""

    external_id = models.CharField(_("external id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    # Stored normalised (lower case) so that de-duplication is an index lookup.
    email = models.EmailField(_("email"), blank=True, default="", db_index=True)
    phone = models.CharField(
        _("phone (E.164)"), max_length=20, blank=True, default="", db_index=True
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    segment = models.CharField(_("segment"), max_length=50, blank=True, default="")
    # The unit that owns the relationship (a branch); empty for company-wide customers.
    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    # Extra attributes kept for sampling and breakdowns (region, tier, consumption level…).
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    has_consent = models.BooleanField(_("consents to surveys"), default=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["external_id"]

    def __str__(self) -> str:
        return self.name or self.external_id

    @property
    def may_be_surveyed(self) -> bool:
        """Consented and not opted out."""
        return self.has_consent and self.opted_out_at is None
