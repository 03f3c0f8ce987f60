"""Satisfy's measurement core: satisfaction metrics in pure NumPy/SciPy.

Every score Satisfy shows is defined once here (``docs/metrics.md``), computed the same
way everywhere, and returned with its base n and an interval.
"""

from __future__ import annotations

from satisfy.analytics.intervals import (
    bootstrap_interval,
    nps_interval,
    proportion_interval,
    t_interval,
    wilson_interval,
)
from satisfy.analytics.results import (
    CESResult,
    ComparisonResult,
    CSIResult,
    DistributionResult,
    GroupedScores,
    MultipleComparisonResult,
    NPSResult,
    ScoreResult,
)
from satisfy.analytics.scales import (
    CES1_SCALE,
    CES2_SCALE,
    CSAT_SCALE,
    NPS_SCALE,
    Scale,
    equal_interval_score,
)
from satisfy.analytics.scores import (
    bottom_box,
    ces,
    csat,
    csi,
    distribution,
    mean_score,
    nps,
    top_box,
)
from satisfy.analytics.summaries import AnswerSummary, GroupedSummary, ItemsSummary

__all__ = [
    "CES1_SCALE",
    "CES2_SCALE",
    "CSAT_SCALE",
    "NPS_SCALE",
    "AnswerSummary",
    "CESResult",
    "CSIResult",
    "ComparisonResult",
    "DistributionResult",
    "GroupedScores",
    "GroupedSummary",
    "ItemsSummary",
    "MultipleComparisonResult",
    "NPSResult",
    "Scale",
    "ScoreResult",
    "bootstrap_interval",
    "bottom_box",
    "ces",
    "csat",
    "csi",
    "distribution",
    "equal_interval_score",
    "mean_score",
    "nps",
    "nps_interval",
    "proportion_interval",
    "t_interval",
    "top_box",
    "wilson_interval",
]
