from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    """A questionnaire: a draft definition plus its published, immutable versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="surveys"
    )
    template_code = models.CharField(max_length=80, blank=True, default="")
    template_version = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The working copy that editing changes; publishing freezes it into a version.
    draft_definition = models.JSONField(default=dict)
    current_version = models.ForeignKey(
        "SurveyVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.current_version_id is not None


class ImmutableVersionError(Exception):
    """Raised when code tries to change a published survey version."""


class SurveyVersion(models.Model):
    """A published, frozen survey definition. Answers point at a version."""

    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    # Fixed at publication: an anonymous version never stores identity.
    is_anonymous = models.BooleanField(default=False)
    allows_public_link = models.BooleanField(default=False)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "number"], name="unique_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersionError("A published survey version cannot be changed.")
        super().save(*args, **kwargs)


class VersionQuestion(models.Model):
    """One question of a published version, as rows for reporting queries."""

    version = models.ForeignKey(
        SurveyVersion, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(max_length=64)
    kind = models.CharField(max_length=30)
    dimension = models.CharField(max_length=40, blank=True, default="")
    position = models.PositiveIntegerField()
    scale_min = models.FloatField(null=True)
    scale_max = models.FloatField(null=True)
    is_reversed = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="unique_question_code"
            )
        ]

    def __str__(self) -> str:
        return self.code
