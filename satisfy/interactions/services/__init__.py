"""Writes of the interactions app: file imports and live events."""

from __future__ import annotations

from satisfy.interactions.services.events import (
    ENDING_EVENTS,
    EVENTS,
    EventError,
    InteractionEvent,
    apply_interaction_event,
    record_interaction_event,
)
from satisfy.interactions.services.importing import (
    ImportResult,
    Progress,
    import_interactions,
)

__all__ = [
    "ENDING_EVENTS",
    "EVENTS",
    "EventError",
    "ImportResult",
    "InteractionEvent",
    "Progress",
    "apply_interaction_event",
    "import_interactions",
    "record_interaction_event",
]
