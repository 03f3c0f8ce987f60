"""Respondent pages: taking a survey by link or by short code."""

from __future__ import annotations

from satisfy.responses.views.codes import enter_code
from satisfy.responses.views.common import unavailable
from satisfy.responses.views.taking import take_survey, thank_you

__all__ = ["enter_code", "take_survey", "thank_you", "unavailable"]
