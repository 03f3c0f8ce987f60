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

# Driver analysis, importance–performance, gaps and PLS path models (issue #4).
from satisfy.analytics.acsi import (
    ACSI_MODEL,
    ECSI_MODEL,
    POST_CONTACT_DRIVERS,
    DriverSpec,
    describe_index,
    match_columns,
)
from satisfy.analytics.charts_drivers import (
    ECSI_LAYOUT,
    driver_chart_svg,
    gap_chart_svg,
    ipa_chart_svg,
    path_diagram_svg,
    quadrant_names,
)
from satisfy.analytics.drivers import (
    DriverResult,
    key_drivers,
    key_drivers_from_correlation,
    lmg_importance,
    relative_weights,
)
from satisfy.analytics.gaps import (
    GapResult,
    GapTable,
    UnitGap,
    describe_gaps,
    gap_analysis,
    paired_gap,
    unit_vs_company,
)
from satisfy.analytics.ipa import (
    IPAItem,
    IPAResult,
    describe_drivers,
    importance_performance,
    ipa_from_data,
)
from satisfy.analytics.pls import (
    BlockReliability,
    BootstrapEstimate,
    Effect,
    PathModel,
    PLSBootstrap,
    PLSResult,
    latent_scores,
    pls_from_moments,
    pls_path_model,
)

__all__ += [
    "ACSI_MODEL",
    "ECSI_LAYOUT",
    "ECSI_MODEL",
    "POST_CONTACT_DRIVERS",
    "BlockReliability",
    "BootstrapEstimate",
    "DriverResult",
    "DriverSpec",
    "Effect",
    "GapResult",
    "GapTable",
    "IPAItem",
    "IPAResult",
    "PLSBootstrap",
    "PLSResult",
    "PathModel",
    "UnitGap",
    "describe_drivers",
    "describe_gaps",
    "describe_index",
    "driver_chart_svg",
    "gap_analysis",
    "gap_chart_svg",
    "importance_performance",
    "ipa_chart_svg",
    "ipa_from_data",
    "key_drivers",
    "key_drivers_from_correlation",
    "latent_scores",
    "lmg_importance",
    "match_columns",
    "paired_gap",
    "path_diagram_svg",
    "pls_from_moments",
    "pls_path_model",
    "quadrant_names",
    "relative_weights",
    "unit_vs_company",
]

# Contact-centre operations (KPIs, Erlang C staffing, satisfaction by operational lever)
from satisfy.analytics.contact_centre import (  # noqa: E402
    QueueKpis,
    QueueSummary,
    RepeatContactResult,
    ServiceLevelResult,
    active_contact_resolution,
    queue_kpis,
    repeat_contacts,
    service_level,
    service_level_from_counts,
    summarise_queue,
    summarise_queue_by_group,
)
from satisfy.analytics.ops_link import (  # noqa: E402
    LeverEffect,
    explain_levers,
    mean_effect,
    nps_effect,
    share_by_group,
    share_effect,
    wait_bucket_labels,
    wait_buckets,
)
from satisfy.analytics.staffing import (  # noqa: E402
    ErlangCResult,
    StaffingResult,
    erlang_b,
    erlang_c,
    queue_performance,
    required_agents,
    staffing_by_interval,
)

__all__ += [
    "ErlangCResult",
    "LeverEffect",
    "QueueKpis",
    "QueueSummary",
    "RepeatContactResult",
    "ServiceLevelResult",
    "StaffingResult",
    "active_contact_resolution",
    "erlang_b",
    "erlang_c",
    "explain_levers",
    "mean_effect",
    "nps_effect",
    "queue_kpis",
    "queue_performance",
    "repeat_contacts",
    "required_agents",
    "service_level",
    "service_level_from_counts",
    "share_by_group",
    "share_effect",
    "staffing_by_interval",
    "summarise_queue",
    "summarise_queue_by_group",
    "wait_bucket_labels",
    "wait_buckets",
]
