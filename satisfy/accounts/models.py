from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff, managers, agents."""

    language = models.CharField(_("language"), max_length=10, blank=True, default="")

    class Meta:
        db_table = "accounts_user"
