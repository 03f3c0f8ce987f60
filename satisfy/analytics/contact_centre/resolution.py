"""Repeat contacts, first-contact resolution and active contact resolution.

All three rest on one per-contact flag: was the contact followed, within
``window_days``, by another contact from the same customer? Contacts whose
window is not wholly observed (it runs past the end of the data) are
right-censored and left out of every base, whether or not a repeat was already
seen: keeping the repeats seen near the end while dropping the contacts whose
absence of a repeat cannot be known yet would bias the repeat rate upwards.
Contacts from unidentified customers are left out too. The dashboard
(``satisfy.interactions.queries.resolution_report``) applies the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from satisfy.analytics.contact_centre._common import (
    FloatArray,
    as_bool_array,
    check_alpha,
    ratio,
    wilson,
)

__all__ = [
    "AgentResolution",
    "RepeatContactResult",
    "active_contact_resolution",
    "repeat_contact_flags",
    "repeat_contacts",
]

_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class RepeatContactResult:
    """Repeat-contact rate and FCR (= 1 - repeat rate) over evaluable contacts."""

    window_days: float
    contacts: int
    unidentified: int
    censored: int
    evaluable: int
    repeats: int
    repeat_rate: float | None
    fcr_rate: float | None
    fcr_ci_low: float | None
    fcr_ci_high: float | None
    method: str


@dataclass(frozen=True, slots=True)
class AgentResolution:
    """Active contact resolution of one agent (see docs/metrics.md)."""

    agent: str
    handled: int
    evaluable: int
    resolved: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


def _identified(customer_ids: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    ids = np.asarray(customer_ids, dtype=object)
    if ids.ndim != 1:
        raise ValueError(
            f"customer_ids must be one-dimensional, got shape {ids.shape}."
        )
    known = np.array(
        [
            not (v is None or v == "" or (isinstance(v, float) and np.isnan(v)))
            for v in ids
        ],
        dtype=np.bool_,
    )
    return ids.astype(str), known


def repeat_contact_flags(
    customer_ids: Any,
    contact_times_seconds: Any,
    *,
    window_days: float,
    data_end_seconds: float | None = None,
) -> FloatArray:
    """For each contact: 1.0 if followed by a contact of the same customer, else 0.0.

    Parameters
    ----------
    customer_ids
        Customer of each contact; None, "" or NaN mean "not identified".
    contact_times_seconds
        Start time of each contact, in seconds on any common clock (e.g. epoch).
    window_days
        A later contact within ``window_days * 86400`` seconds (inclusive) is a
        repeat.
    data_end_seconds
        End of the observed data; defaults to the latest contact time.

    Returns
    -------
    numpy.ndarray of float
        1.0 repeat, 0.0 no repeat, NaN not evaluable (unidentified customer, or
        a window that extends beyond ``data_end_seconds``, repeat seen or not).

    Notes
    -----
    A contact at time ``t`` is censored when ``t + window > data_end`` (its
    window is not wholly observed). Otherwise it is a repeat source when the
    customer's next contact ``t'`` (``t' >= t``, another record) satisfies
    ``t' - t <= window``.

    Examples
    --------
    >>> repeat_contact_flags(["a", "a", "b", ""], [0, 86_400, 0, 0], window_days=2,
    ...                      data_end_seconds=10 * 86_400).tolist()
    [1.0, 0.0, 0.0, nan]

    Near the end of the data a contact is censored even when its repeat is seen:

    >>> repeat_contact_flags(["a", "a", "b"], [0, 86_400, 0], window_days=2,
    ...                      data_end_seconds=2.5 * 86_400).tolist()
    [1.0, nan, 0.0]
    >>> repeat_contact_flags(["a", "a"], [86_400, 1.5 * 86_400], window_days=2,
    ...                      data_end_seconds=2.5 * 86_400).tolist()
    [nan, nan]
    """
    if window_days <= 0:
        raise ValueError(f"window_days must be positive, got {window_days!r}.")
    ids, known = _identified(customer_ids)
    times = np.asarray(contact_times_seconds, dtype=np.float64)
    if times.shape != ids.shape:
        raise ValueError(
            f"contact_times_seconds has {times.shape[0]} values but customer_ids has "
            f"{ids.shape[0]}."
        )
    if not np.isfinite(times).all():
        raise ValueError("contact_times_seconds has a missing or infinite value.")
    n = ids.shape[0]
    out = np.full(n, np.nan)
    if n == 0:
        return out
    end = float(times.max()) if data_end_seconds is None else float(data_end_seconds)
    window = window_days * _DAY
    order = np.lexsort((times, ids))
    s_ids, s_times = ids[order], times[order]
    same_next = np.zeros(n, dtype=np.bool_)
    same_next[:-1] = s_ids[1:] == s_ids[:-1]
    gap = np.full(n, np.inf)
    gap[:-1] = np.where(same_next[:-1], s_times[1:] - s_times[:-1], np.inf)
    repeat = gap <= window
    censored = s_times + window > end  # window not wholly observed
    flags = np.where(censored, np.nan, np.where(repeat, 1.0, 0.0))
    out[order] = flags
    out[~known] = np.nan
    return out


def repeat_contacts(
    customer_ids: Any,
    contact_times_seconds: Any,
    *,
    window_days: float,
    data_end_seconds: float | None = None,
    is_handled: Any = None,
    alpha: float = 0.05,
) -> RepeatContactResult:
    """Repeat-contact rate and first-contact resolution within ``window_days``.

    Parameters
    ----------
    customer_ids, contact_times_seconds, window_days, data_end_seconds
        As in :func:`repeat_contact_flags`. Pass every contact (answered,
        abandoned, any channel): all of them can be the repeat.
    is_handled
        Optional mask of the contacts that form the base (e.g. answered calls);
        default all.
    alpha
        Significance level of the Wilson interval for FCR.

    Returns
    -------
    RepeatContactResult

    Notes
    -----
    ``repeat rate = repeats / evaluable``; ``FCR = 1 - repeat rate``, where the
    base is handled contacts of identified customers whose whole window is
    observed (``t + window <= data_end``), repeat seen or not.

    References
    ----------
    .. [1] SQM Group, "First Call Resolution: definition and measurement"
       (repeat-call method); B. Cleveland, *Call Center Management on Fast
       Forward*, 3rd ed., 2012.

    Examples
    --------
    >>> r = repeat_contacts(["a", "a", "b", "c"], [0, 3600, 0, 0], window_days=1,
    ...                     data_end_seconds=5 * 86_400)
    >>> r.evaluable, r.repeats, round(r.fcr_rate, 4)
    (4, 1, 0.75)
    """
    check_alpha(alpha)
    flags = repeat_contact_flags(
        customer_ids,
        contact_times_seconds,
        window_days=window_days,
        data_end_seconds=data_end_seconds,
    )
    _, known = _identified(customer_ids)
    base = (
        np.ones(flags.shape[0], dtype=np.bool_)
        if is_handled is None
        else as_bool_array("is_handled", is_handled, flags.shape[0])
    )
    f = flags[base]
    evaluable = int((~np.isnan(f)).sum())
    repeats = int(np.nansum(f))
    unidentified = int((~known[base]).sum())
    low, high = (
        wilson(evaluable - repeats, evaluable, alpha) if evaluable else (None, None)
    )
    repeat_rate = ratio(repeats, evaluable)
    return RepeatContactResult(
        window_days=window_days,
        contacts=int(base.sum()),
        unidentified=unidentified,
        censored=int(base.sum()) - unidentified - evaluable,
        evaluable=evaluable,
        repeats=repeats,
        repeat_rate=repeat_rate,
        fcr_rate=None if repeat_rate is None else 1.0 - repeat_rate,
        fcr_ci_low=low,
        fcr_ci_high=high,
        method="wilson",
    )


def active_contact_resolution(
    agent_ids: Any,
    customer_ids: Any,
    contact_times_seconds: Any,
    *,
    window_days: float,
    data_end_seconds: float | None = None,
    alpha: float = 0.05,
) -> tuple[AgentResolution, ...]:
    """Share of each agent's handled contacts not followed by a customer contact.

    Parameters
    ----------
    agent_ids
        Agent who handled each contact; None or "" for contacts no agent handled
        (those still count as possible repeats of earlier contacts).
    customer_ids, contact_times_seconds, window_days, data_end_seconds
        As in :func:`repeat_contact_flags`.
    alpha
        Significance level of the Wilson intervals.

    Returns
    -------
    tuple of AgentResolution
        Sorted by agent.

    Notes
    -----
    Satisfy's definition (after the "ACR" of the seed documents):
    ``ACR(agent) = (evaluable contacts of the agent with no contact from the same
    customer within N days) / (evaluable contacts of the agent)``; evaluable
    excludes unidentified customers and right-censored contacts (window not wholly
    observed).

    Examples
    --------
    >>> r = active_contact_resolution(["x", "x", "y"], ["a", "b", "a"],
    ...     [0, 0, 3600], window_days=1, data_end_seconds=9 * 86_400)
    >>> [(a.agent, a.evaluable, a.resolved) for a in r]
    [('x', 2, 1), ('y', 1, 1)]
    """
    check_alpha(alpha)
    agents = np.asarray(agent_ids, dtype=object)
    flags = repeat_contact_flags(
        customer_ids,
        contact_times_seconds,
        window_days=window_days,
        data_end_seconds=data_end_seconds,
    )
    if agents.shape != flags.shape:
        raise ValueError(
            f"agent_ids has {agents.shape[0]} values but customer_ids has {flags.shape[0]}."
        )
    handled = np.array([not (a is None or a == "") for a in agents], dtype=np.bool_)
    labels = agents[handled].astype(str)
    results = []
    if labels.size:
        names, inverse = np.unique(labels, return_inverse=True)
        f = flags[handled]
        ok = ~np.isnan(f)
        n_handled = np.bincount(inverse, minlength=names.size)
        n_eval = np.bincount(inverse[ok], minlength=names.size)
        n_resolved = np.bincount(inverse[ok & (f == 0.0)], minlength=names.size)
        for i, name in enumerate(names):
            ev, res = int(n_eval[i]), int(n_resolved[i])
            low, high = wilson(res, ev, alpha) if ev else (None, None)
            results.append(
                AgentResolution(
                    agent=str(name),
                    handled=int(n_handled[i]),
                    evaluable=ev,
                    resolved=res,
                    rate=ratio(res, ev),
                    ci_low=low,
                    ci_high=high,
                )
            )
    return tuple(results)
