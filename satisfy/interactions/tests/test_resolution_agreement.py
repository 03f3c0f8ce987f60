"""The dashboard's FCR (``queries.resolution_report``) and the library's (what
``satisfy kpi --fcr-window-days`` reports on a file) agree on the same calls."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from satisfy.analytics.contact_centre import repeat_contacts
from satisfy.conftest import Org
from satisfy.interactions import queries
from satisfy.interactions.models import Interaction
from satisfy.interactions.next_contacts import rebuild_all as rebuild_next_contacts


@pytest.mark.django_db
def test_dashboard_and_library_give_the_same_fcr(org: Org) -> None:
    # given: 40 customers calling over 30 days, many repeats near the end
    rng = np.random.default_rng(21)
    start = datetime(2024, 5, 1, tzinfo=ZoneInfo("UTC"))
    n = 500
    customers = [f"K{int(k)}" if k else "" for k in rng.integers(0, 41, n)]
    seconds = np.sort(rng.integers(0, 30 * 86_400, n))
    outcomes = rng.choice(["answered", "answered", "answered", "abandoned_queue"], n)
    Interaction.objects.bulk_create(
        Interaction(
            external_id=f"f-{i}",
            unit=org.north_team,
            agent_key="A1" if outcomes[i] == "answered" else "",
            customer_key=customers[i],
            arrived_at=start + timedelta(seconds=int(seconds[i])),
            outcome=str(outcomes[i]),
        )
        for i in range(n)
    )
    rebuild_next_contacts()  # bulk_create skipped the services that keep it
    last = start + timedelta(seconds=int(seconds[-1]))
    period = queries.Period(date(2024, 5, 1), last.date())

    # when
    dashboard = queries.resolution_report(
        queries.Selection(), period=period, window_days=3
    ).repeat
    epochs = start.timestamp() + seconds.astype(np.float64)
    library = repeat_contacts(
        customers, epochs, window_days=3, is_handled=outcomes == "answered"
    )

    # then
    assert library.censored > 0
    assert (dashboard.evaluable, dashboard.repeats) == (
        library.evaluable,
        library.repeats,
    )
    assert dashboard.fcr_rate == library.fcr_rate
    assert (dashboard.fcr_ci_low, dashboard.fcr_ci_high) == (
        library.fcr_ci_low,
        library.fcr_ci_high,
    )
