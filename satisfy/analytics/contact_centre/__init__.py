"""Contact-centre operations KPIs: service level, ASA, abandonment, AHT, FCR.

Pure functions on arrays; formulas in ``docs/metrics.md``, chapter
"Contact-centre KPIs and staffing". Staffing (Erlang C) is in
``satisfy.analytics.staffing``; the satisfaction link in
``satisfy.analytics.ops_link``.
"""

from __future__ import annotations

from satisfy.analytics.contact_centre.grouping import (
    agent_occupancy,
    group_index,
    interval_starts,
)
from satisfy.analytics.contact_centre.queue import (
    QueueKpis,
    QueueSummary,
    queue_kpis,
    summarise_queue,
    summarise_queue_by_group,
)
from satisfy.analytics.contact_centre.resolution import (
    AgentResolution,
    RepeatContactResult,
    active_contact_resolution,
    repeat_contact_flags,
    repeat_contacts,
)
from satisfy.analytics.contact_centre.service_level import (
    SERVICE_LEVEL_VARIANTS,
    ServiceLevelResult,
    ServiceLevelVariant,
    service_level,
    service_level_from_counts,
)

__all__ = [
    "SERVICE_LEVEL_VARIANTS",
    "AgentResolution",
    "QueueKpis",
    "QueueSummary",
    "RepeatContactResult",
    "ServiceLevelResult",
    "ServiceLevelVariant",
    "active_contact_resolution",
    "agent_occupancy",
    "group_index",
    "interval_starts",
    "queue_kpis",
    "repeat_contact_flags",
    "repeat_contacts",
    "service_level",
    "service_level_from_counts",
    "summarise_queue",
    "summarise_queue_by_group",
]
