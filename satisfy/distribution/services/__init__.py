"""Distribution services: every write of the app goes through these functions."""

from __future__ import annotations

from satisfy.distribution.services.inbound import (
    opt_out_invitation,
    receive_sms,
    record_open,
    record_receipt,
)
from satisfy.distribution.services.invitations import (
    NewInvitation,
    create_invitation,
    create_invitations_bulk,
    queue_invitation,
)
from satisfy.distribution.services.sampling import (
    SampleError,
    draw_sample,
    set_contact_rule,
)
from satisfy.distribution.services.sending import (
    DeliveryStats,
    deliver_all_due,
    deliver_due,
)
from satisfy.distribution.services.trigger import (
    InteractionEnd,
    register_interaction_end,
)
from satisfy.distribution.services.waves import (
    WaveError,
    close_due_waves,
    close_wave,
    create_wave,
    expire_invitations,
    launch_wave,
    open_due_waves,
    queue_reminders,
)

__all__ = [
    "DeliveryStats",
    "InteractionEnd",
    "NewInvitation",
    "SampleError",
    "WaveError",
    "close_due_waves",
    "close_wave",
    "create_invitation",
    "create_invitations_bulk",
    "create_wave",
    "deliver_all_due",
    "deliver_due",
    "draw_sample",
    "expire_invitations",
    "launch_wave",
    "open_due_waves",
    "opt_out_invitation",
    "queue_invitation",
    "queue_reminders",
    "receive_sms",
    "record_open",
    "record_receipt",
    "register_interaction_end",
    "set_contact_rule",
]
