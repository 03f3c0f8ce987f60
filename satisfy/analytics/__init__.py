"""Satisfy's measurement core: satisfaction metrics in pure NumPy/SciPy.

Every score Satisfy shows is defined once here (``docs/metrics.md``), computed the same
way everywhere, and returned with its base n and an interval.
"""

from __future__ import annotations

from satisfy.analytics.compare import adjust_p_values, compare, compare_groups
from satisfy.analytics.intervals import (
    bootstrap_interval,
    nps_interval,
    proportion_interval,
    t_interval,
    wilson_interval,
)
from satisfy.analytics.loyalty import (
    CLVResult,
    LoyaltyResult,
    RatioResult,
    intention_by_level,
    lifetime_value,
    risk_ratio,
)
from satisfy.analytics.ranking import RankingResult, shrink_rank
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
from satisfy.analytics.summaries import (
    AnswerError,
    AnswerSummary,
    GroupedSummary,
    ItemsSummary,
)
from satisfy.analytics.suppression import SuppressionResult, suppress
from satisfy.analytics.weighting import (
    WeightingResult,
    design_effect,
    effective_sample_size,
    poststratify,
    rake,
)

__all__ = [
    "CES1_SCALE",
    "CES2_SCALE",
    "CSAT_SCALE",
    "NPS_SCALE",
    "AnswerError",
    "AnswerSummary",
    "CESResult",
    "CLVResult",
    "CSIResult",
    "ComparisonResult",
    "DistributionResult",
    "GroupedScores",
    "GroupedSummary",
    "ItemsSummary",
    "LoyaltyResult",
    "MultipleComparisonResult",
    "NPSResult",
    "RankingResult",
    "RatioResult",
    "Scale",
    "ScoreResult",
    "SuppressionResult",
    "WeightingResult",
    "adjust_p_values",
    "bootstrap_interval",
    "bottom_box",
    "ces",
    "compare",
    "compare_groups",
    "csat",
    "csi",
    "design_effect",
    "distribution",
    "effective_sample_size",
    "equal_interval_score",
    "intention_by_level",
    "lifetime_value",
    "mean_score",
    "nps",
    "nps_interval",
    "poststratify",
    "proportion_interval",
    "rake",
    "risk_ratio",
    "shrink_rank",
    "suppress",
    "t_interval",
    "top_box",
    "wilson_interval",
]
