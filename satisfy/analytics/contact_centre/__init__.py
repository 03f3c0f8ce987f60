"""Contact-centre operations KPIs: service level, ASA, abandonment, AHT, FCR, occupancy.

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
from satisfy.analytics.contact_centre.occupancy import (
    STATE_CLASSES,
    AgentStateError,
    OccupancySummary,
    StatePieces,
    check_state_intervals,
    classify_states,
    find_overlaps,
    occupancy_by_group,
    split_at_intervals,
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
    "STATE_CLASSES",
    "AgentResolution",
    "AgentStateError",
    "OccupancySummary",
    "QueueKpis",
    "QueueSummary",
    "RepeatContactResult",
    "ServiceLevelResult",
    "ServiceLevelVariant",
    "StatePieces",
    "active_contact_resolution",
    "agent_occupancy",
    "check_state_intervals",
    "classify_states",
    "find_overlaps",
    "group_index",
    "interval_starts",
    "occupancy_by_group",
    "queue_kpis",
    "repeat_contact_flags",
    "repeat_contacts",
    "service_level",
    "service_level_from_counts",
    "split_at_intervals",
    "summarise_queue",
    "summarise_queue_by_group",
]
