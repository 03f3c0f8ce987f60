"""Queue KPIs from mergeable per-group summaries.

``summarise_queue`` / ``summarise_queue_by_group`` reduce call arrays to a
``QueueSummary`` of counts and sums (they add up across days, agents and
machines); ``queue_kpis`` turns one summary into the reported figures. A
dashboard rollup and a file run therefore compute every KPI the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from satisfy.analytics.contact_centre._common import (
    FloatArray,
    IntArray,
    as_bool_array,
    as_float_array,
    ratio,
)
from satisfy.analytics.contact_centre.service_level import (
    ServiceLevelResult,
    service_level_from_counts,
)

__all__ = [
    "QueueKpis",
    "QueueSummary",
    "queue_kpis",
    "summarise_queue",
    "summarise_queue_by_group",
]


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """Counts and sums from which every queue KPI follows; add two to merge.

    ``offered`` excludes short abandons (counted in ``short_abandons``).
    ``handled`` counts answered calls with handling time; ``aht_components``
    names the components summed into ``handle_seconds_sum``.
    """

    answer_within_seconds: float
    short_abandon_seconds: float | None
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandons: int = 0
    answered_within: int = 0
    abandoned_within: int = 0
    wait_seconds_answered_sum: float = 0.0
    wait_seconds_abandoned_sum: float = 0.0
    handled: int = 0
    handle_seconds_sum: float = 0.0
    aht_components: tuple[str, ...] = ()
    transfer_base: int = 0
    transferred: int = 0
    escalation_base: int = 0
    escalated: int = 0

    def __add__(self, other: QueueSummary) -> QueueSummary:
        if (self.answer_within_seconds, self.short_abandon_seconds) != (
            other.answer_within_seconds,
            other.short_abandon_seconds,
        ):
            raise ValueError(
                "Cannot merge queue summaries computed with different thresholds "
                f"({self.answer_within_seconds}/{self.short_abandon_seconds} and "
                f"{other.answer_within_seconds}/{other.short_abandon_seconds})."
            )
        values: dict[str, Any] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if f.name in ("answer_within_seconds", "short_abandon_seconds"):
                values[f.name] = a
            elif f.name == "aht_components":
                values[f.name] = tuple(dict.fromkeys((*a, *b)))
            else:
                values[f.name] = a + b
        return QueueSummary(**values)


@dataclass(frozen=True, slots=True)
class QueueKpis:
    """The industry queue KPIs of one group of calls.

    Rates are shares in [0, 1]; times in seconds. A figure is None when its base
    is empty (e.g. ASA with no answered call).
    """

    offered: int
    answered: int
    abandoned: int
    short_abandons: int
    service_level: ServiceLevelResult
    asa_seconds: float | None
    average_wait_seconds: float | None
    average_time_to_abandon_seconds: float | None
    abandonment_rate: float | None
    answer_rate: float | None
    aht_seconds: float | None
    aht_components: tuple[str, ...]
    handled: int
    transfer_rate: float | None
    escalation_rate: float | None


def _optional(name: str, values: Any, n: int) -> FloatArray | None:
    if values is None:
        return None
    arr = as_float_array(name, values, allow_nan=True)
    if arr.shape[0] != n:
        raise ValueError(
            f"{name} must have one value per call ({n}), got {arr.shape[0]}."
        )
    return arr


def summarise_queue_by_group(
    group_index: Any,
    n_groups: int,
    wait_seconds: Any,
    is_answered: Any,
    *,
    answer_within_seconds: float = 20.0,
    short_abandon_seconds: float | None = None,
    talk_seconds: Any = None,
    hold_seconds: Any = None,
    after_call_work_seconds: Any = None,
    transfers: Any = None,
    is_escalated: Any = None,
) -> tuple[QueueSummary, ...]:
    """One ``QueueSummary`` per group, computed in a single vectorised pass.

    Parameters
    ----------
    group_index
        Integer group of each call, in ``0 .. n_groups - 1``.
    n_groups
        Number of groups (empty groups get an empty summary).
    wait_seconds, is_answered, answer_within_seconds, short_abandon_seconds
        As in :func:`summarise_queue`.
    talk_seconds, hold_seconds, after_call_work_seconds
        Optional handling-time components; NaN means "not recorded" and counts 0.
    transfers
        Optional number of transfers per call (NaN = unknown).
    is_escalated
        Optional 0/1 per call (NaN = unknown).

    Returns
    -------
    tuple of QueueSummary

    Examples
    --------
    >>> s = summarise_queue_by_group([0, 0, 1], 2, [10, 30, 5], [True, False, True])
    >>> [x.offered for x in s], [x.answered_within for x in s]
    ([2, 1], [1, 1])
    """
    waits = as_float_array("wait_seconds", wait_seconds)
    n = waits.shape[0]
    answered = as_bool_array("is_answered", is_answered, n)
    groups: IntArray = np.asarray(group_index, dtype=np.int64)
    if groups.shape != (n,):
        raise ValueError(
            f"group_index must have one value per call ({n}), got {groups.shape}."
        )
    if n and (groups.min() < 0 or groups.max() >= n_groups):
        raise ValueError(f"group_index values must lie in 0..{n_groups - 1}.")
    if answer_within_seconds < 0:
        raise ValueError(
            f"answer_within_seconds cannot be negative, got {answer_within_seconds}."
        )

    # bincount with 0/1 weights avoids copying the group index for every mask.
    def count(mask: Any) -> IntArray:
        return np.rint(np.bincount(groups, weights=mask, minlength=n_groups)).astype(
            np.int64
        )

    def total(values: FloatArray, mask: Any) -> FloatArray:
        out: FloatArray = np.bincount(
            groups, weights=np.where(mask, values, 0.0), minlength=n_groups
        ).astype(np.float64)
        return out

    keep = np.ones(n, dtype=np.bool_)
    if short_abandon_seconds is not None:
        if short_abandon_seconds < 0:
            raise ValueError(
                f"short_abandon_seconds cannot be negative, got {short_abandon_seconds}."
            )
        keep = answered | (waits > short_abandon_seconds)
    within = waits <= answer_within_seconds
    ans = answered & keep
    abd = ~answered & keep
    c_offered = count(keep)
    c_answered = count(ans)
    c_abandoned = count(abd)
    c_short = count(~keep)
    c_ans_within = count(ans & within)
    c_abd_within = count(abd & within)
    s_wait_ans = total(waits, ans)
    s_wait_abd = total(waits, abd)

    components = {
        "talk": _optional("talk_seconds", talk_seconds, n),
        "hold": _optional("hold_seconds", hold_seconds, n),
        "after_call_work": _optional(
            "after_call_work_seconds", after_call_work_seconds, n
        ),
    }
    present = tuple(k for k, v in components.items() if v is not None)
    if present:
        handle = np.zeros(n)
        for v in components.values():
            if v is not None:
                handle += np.nan_to_num(v, nan=0.0)
        c_handled = c_answered
        s_handle = total(handle, ans)
    else:
        c_handled = np.zeros(n_groups, dtype=np.int64)
        s_handle = np.zeros(n_groups)

    zeros = np.zeros(n_groups, dtype=np.int64)
    tr = _optional("transfers", transfers, n)
    if tr is not None:
        known = ans & ~np.isnan(tr)
        c_tr_base, c_tr = count(known), count(known & (np.nan_to_num(tr) > 0))
    else:
        c_tr_base = c_tr = zeros
    es = _optional("is_escalated", is_escalated, n)
    if es is not None:
        known = ans & ~np.isnan(es)
        c_es_base, c_es = count(known), count(known & (np.nan_to_num(es) > 0))
    else:
        c_es_base = c_es = zeros

    return tuple(
        QueueSummary(
            answer_within_seconds=answer_within_seconds,
            short_abandon_seconds=short_abandon_seconds,
            offered=int(c_offered[g]),
            answered=int(c_answered[g]),
            abandoned=int(c_abandoned[g]),
            short_abandons=int(c_short[g]),
            answered_within=int(c_ans_within[g]),
            abandoned_within=int(c_abd_within[g]),
            wait_seconds_answered_sum=float(s_wait_ans[g]),
            wait_seconds_abandoned_sum=float(s_wait_abd[g]),
            handled=int(c_handled[g]),
            handle_seconds_sum=float(s_handle[g]),
            aht_components=present,
            transfer_base=int(c_tr_base[g]),
            transferred=int(c_tr[g]),
            escalation_base=int(c_es_base[g]),
            escalated=int(c_es[g]),
        )
        for g in range(n_groups)
    )


def summarise_queue(
    wait_seconds: Any,
    is_answered: Any,
    *,
    answer_within_seconds: float = 20.0,
    short_abandon_seconds: float | None = None,
    talk_seconds: Any = None,
    hold_seconds: Any = None,
    after_call_work_seconds: Any = None,
    transfers: Any = None,
    is_escalated: Any = None,
) -> QueueSummary:
    """Reduce the offered calls of one queue to a mergeable ``QueueSummary``.

    Parameters
    ----------
    wait_seconds
        Time in queue of each offered call until answer or abandonment (0 for a
        call answered without queueing).
    is_answered
        True for answered, False for abandoned in queue. Leave out calls that
        never reached the queue (IVR abandons, PHANTOM calls).
    answer_within_seconds
        Service-level threshold ``T`` (``wait <= T`` is within).
    short_abandon_seconds
        Abandons with ``wait <= short_abandon_seconds`` are not offered calls.
    talk_seconds, hold_seconds, after_call_work_seconds, transfers, is_escalated
        Optional per-call columns, see :func:`summarise_queue_by_group`.

    Returns
    -------
    QueueSummary

    Examples
    --------
    >>> s = summarise_queue([10, 30, 5], [True, False, True], talk_seconds=[100, 0, 200])
    >>> s.offered, s.answered, s.abandoned, s.handle_seconds_sum
    (3, 2, 1, 300.0)
    """
    waits = np.asarray(wait_seconds)
    return summarise_queue_by_group(
        np.zeros(waits.shape[0], dtype=np.int64),
        1,
        wait_seconds,
        is_answered,
        answer_within_seconds=answer_within_seconds,
        short_abandon_seconds=short_abandon_seconds,
        talk_seconds=talk_seconds,
        hold_seconds=hold_seconds,
        after_call_work_seconds=after_call_work_seconds,
        transfers=transfers,
        is_escalated=is_escalated,
    )[0]


def queue_kpis(summary: QueueSummary, *, alpha: float = 0.05) -> QueueKpis:
    """Service level, ASA, waits, abandonment, AHT and transfer rates of a summary.

    Parameters
    ----------
    summary
        From :func:`summarise_queue` (or several added together).
    alpha
        Significance level of the service-level intervals.

    Returns
    -------
    QueueKpis

    Notes
    -----
    ``ASA = Σ wait(answered) / answered``;
    average wait ``= Σ wait(offered) / offered``;
    average time to abandon ``= Σ wait(abandoned) / abandoned``;
    abandonment rate ``= abandoned / offered``; answer rate ``= answered / offered``;
    ``AHT = Σ (talk + hold + after-call work) / handled``;
    transfer rate ``= answered calls with ≥ 1 transfer / answered calls with a
    known transfer count`` (escalation rate likewise).

    References
    ----------
    .. [1] B. Cleveland, *Call Center Management on Fast Forward*, 3rd ed., ICMI
       Press, 2012, ch. 3 and 7.

    Examples
    --------
    >>> k = queue_kpis(summarise_queue([10, 30, 5], [True, False, True]))
    >>> k.asa_seconds, round(k.abandonment_rate, 4)
    (7.5, 0.3333)
    """
    s = summary
    sl = service_level_from_counts(
        answered=s.answered,
        abandoned=s.abandoned,
        answered_within=s.answered_within,
        abandoned_within=s.abandoned_within,
        answer_within_seconds=s.answer_within_seconds,
        short_abandon_seconds=s.short_abandon_seconds,
        short_abandons=s.short_abandons,
        alpha=alpha,
    )
    return QueueKpis(
        offered=s.offered,
        answered=s.answered,
        abandoned=s.abandoned,
        short_abandons=s.short_abandons,
        service_level=sl,
        asa_seconds=ratio(s.wait_seconds_answered_sum, s.answered),
        average_wait_seconds=ratio(
            s.wait_seconds_answered_sum + s.wait_seconds_abandoned_sum, s.offered
        ),
        average_time_to_abandon_seconds=ratio(
            s.wait_seconds_abandoned_sum, s.abandoned
        ),
        abandonment_rate=ratio(s.abandoned, s.offered),
        answer_rate=ratio(s.answered, s.offered),
        aht_seconds=ratio(s.handle_seconds_sum, s.handled),
        aht_components=s.aht_components,
        handled=s.handled,
        transfer_rate=ratio(s.transferred, s.transfer_base),
        escalation_rate=ratio(s.escalated, s.escalation_base),
    )
