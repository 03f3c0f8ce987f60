"""Probability samples for surveys: simple random, systematic and stratified.

Every draw is reproducible: pass the same ``random_state`` (an integer seed) and the
same population order, get the same sample. Functions return positions (0-based
indices) into the population the caller passed, so the caller keeps its own ids.
Also here: the representativeness table (sample share vs population share per
stratum) and the estimate of an IVR key-layout effect from a randomised
(counterbalanced) assignment.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy import stats

RandomState = int | np.random.Generator | None
Allocation = Literal["proportional", "equal", "minimum"]
ALLOCATIONS: tuple[str, ...] = ("proportional", "equal", "minimum")
K = TypeVar("K", bound=Hashable)

__all__ = [
    "ALLOCATIONS",
    "LayoutEffect",
    "StratifiedSample",
    "StratumAllocation",
    "StratumShare",
    "allocate",
    "key_layout_effect",
    "representativeness",
    "simple_random_sample",
    "stratified_sample",
    "systematic_sample",
]


@dataclass(frozen=True, slots=True)
class StratumAllocation:
    """How many units one stratum has and how many the sample takes from it."""

    stratum: Hashable
    population_n: int
    n: int
    weight: float
    """Design weight ``population_n / n`` (``0.0`` when nothing is drawn)."""


@dataclass(frozen=True, slots=True)
class StratifiedSample:
    """A stratified sample: positions into the population and the allocation."""

    indices: NDArray[np.int64]
    allocation: tuple[StratumAllocation, ...]
    method: str

    @property
    def n(self) -> int:
        """Sample size."""
        return int(self.indices.size)


@dataclass(frozen=True, slots=True)
class StratumShare:
    """One row of a representativeness table."""

    stratum: Hashable
    population_n: int
    population_share: float
    sample_n: int
    sample_share: float
    difference: float
    """``sample_share - population_share`` (shares in [0, 1])."""


@dataclass(frozen=True, slots=True)
class LayoutEffect:
    """Difference in mean score between two IVR key layouts, with a Welch interval."""

    mean_a: float
    mean_b: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    df: float
    n_a: int
    n_b: int
    alpha: float


def _rng(random_state: RandomState) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(random_state)


def _check_size(population_size: int, n: int) -> None:
    if population_size < 0:
        raise ValueError(
            f"population_size must be zero or more, not {population_size}."
        )
    if n < 0:
        raise ValueError(f"n must be zero or more, not {n}.")
    if n > population_size:
        raise ValueError(
            f"n = {n} is larger than the population ({population_size}); "
            "a sample without replacement cannot be bigger than its population."
        )


def simple_random_sample(
    population_size: int, n: int, *, random_state: RandomState = None
) -> NDArray[np.int64]:
    """Draw a simple random sample without replacement.

    Parameters
    ----------
    population_size
        Number of units in the sampling frame (N).
    n
        Sample size; at most ``population_size``.
    random_state
        Seed or generator; the same seed gives the same sample.

    Returns
    -------
    numpy.ndarray
        ``n`` distinct positions in ``0..N-1``, sorted ascending.

    Notes
    -----
    Every subset of size n has probability :math:`1/\\binom{N}{n}`; each unit's
    inclusion probability is :math:`\\pi = n/N`.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 2. Wiley.

    Examples
    --------
    >>> simple_random_sample(10, 3, random_state=1).tolist() == (
    ...     simple_random_sample(10, 3, random_state=1).tolist())
    True
    >>> len(set(simple_random_sample(100, 20, random_state=7).tolist()))
    20
    """
    _check_size(population_size, n)
    chosen = _rng(random_state).choice(population_size, size=n, replace=False)
    result: NDArray[np.int64] = np.sort(chosen.astype(np.int64))
    return result


def systematic_sample(
    population_size: int, n: int, *, random_state: RandomState = None
) -> NDArray[np.int64]:
    """Draw a systematic sample: a random start, then every k-th unit.

    Parameters
    ----------
    population_size
        Number of units in the (ordered) sampling frame (N).
    n
        Sample size; at most ``population_size``.
    random_state
        Seed or generator for the random start.

    Returns
    -------
    numpy.ndarray
        ``n`` distinct positions, ascending.

    Notes
    -----
    With the fractional interval :math:`k = N/n` and a start :math:`u` drawn
    uniformly from :math:`[0, k)`, the sample is :math:`\\lfloor u + i k \\rfloor`
    for :math:`i = 0, \\dots, n-1`. Every unit has inclusion probability
    :math:`n/N` even when k is not a whole number. Order the frame by a useful
    variable (e.g. time of the interaction) for implicit stratification.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 8. Wiley.

    Examples
    --------
    >>> sample = systematic_sample(100, 10, random_state=3)
    >>> np.diff(sample).tolist()
    [10, 10, 10, 10, 10, 10, 10, 10, 10]
    """
    _check_size(population_size, n)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    interval = population_size / n
    start = _rng(random_state).uniform(0.0, interval)
    positions = np.floor(start + interval * np.arange(n)).astype(np.int64)
    clipped: NDArray[np.int64] = np.minimum(positions, population_size - 1)
    return clipped


def _round_with_caps(
    shares: dict[K, float], total: int, caps: Mapping[K, int]
) -> dict[K, int]:
    """Largest-remainder rounding of ``shares`` to integers summing to ``total``."""
    counts = {
        key: min(math.floor(value + 1e-9), caps[key]) for key, value in shares.items()
    }
    missing = total - sum(counts.values())
    order = sorted(
        shares,
        key=lambda key: (-(shares[key] - math.floor(shares[key] + 1e-9)), str(key)),
    )
    while missing > 0:
        progressed = False
        for key in order:
            if missing == 0:
                break
            if counts[key] < caps[key]:
                counts[key] += 1
                missing -= 1
                progressed = True
        if not progressed:  # pragma: no cover - total <= sum(caps) is checked
            break
    return counts


def _water_fill(
    weights: Mapping[K, float], total: float, caps: Mapping[K, int]
) -> dict[K, float]:
    """Split ``total`` in proportion to ``weights`` without exceeding ``caps``."""
    shares: dict[K, float] = {}
    free = {key for key, weight in weights.items() if weight > 0}
    remaining = total
    while free:
        weight_sum = sum(weights[key] for key in free)
        capped = {
            key
            for key in free
            if remaining * weights[key] / weight_sum > caps[key] + 1e-12
        }
        if not capped:
            for key in free:
                shares[key] = remaining * weights[key] / weight_sum
            break
        for key in capped:
            shares[key] = float(caps[key])
            remaining -= caps[key]
        free -= capped
    for key in weights:
        shares.setdefault(key, 0.0)
    return shares


def allocate(
    stratum_sizes: Mapping[K, int],
    n: int,
    *,
    method: Allocation = "proportional",
    minimum: int = 0,
) -> dict[K, int]:
    """Split a sample size across strata.

    Parameters
    ----------
    stratum_sizes
        Population count per stratum (:math:`N_h`).
    n
        Total sample size; at most the population size.
    method
        ``"proportional"`` (:math:`n_h \\propto N_h`), ``"equal"`` (the same
        number per stratum) or ``"minimum"`` (proportional, but at least
        ``minimum`` per stratum, e.g. at least 30 interactions per agent).
    minimum
        Smallest per-stratum sample for ``method="minimum"``; a stratum smaller
        than this is taken whole.

    Returns
    -------
    dict
        Sample size per stratum, in the order of ``stratum_sizes``; the values sum
        to ``n`` and never exceed :math:`N_h`.

    Notes
    -----
    Fractions are rounded by the largest-remainder method. When a stratum cannot
    supply its share (equal allocation in a small stratum), the surplus is
    redistributed over the other strata in proportion to their sizes
    (equal: equally). For ``"minimum"`` the strata whose proportional share
    falls below :math:`\\min(m, N_h)` are fixed at that floor and the rest of the
    sample is shared proportionally among the others, repeated until stable.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., §5.5
       (proportional allocation). Wiley.

    Examples
    --------
    >>> allocate({"north": 600, "south": 300, "east": 100}, 100)
    {'north': 60, 'south': 30, 'east': 10}
    >>> allocate({"north": 600, "south": 300, "east": 100}, 90, method="equal")
    {'north': 30, 'south': 30, 'east': 30}
    >>> allocate({"a": 900, "b": 90, "c": 10}, 100, method="minimum", minimum=20)
    {'a': 70, 'b': 20, 'c': 10}
    """
    if method not in ALLOCATIONS:
        raise ValueError(
            f"method must be one of {', '.join(ALLOCATIONS)}, not {method!r}."
        )
    for key, size in stratum_sizes.items():
        if size < 0:
            raise ValueError(f"stratum {key!r} has a negative size ({size}).")
    population = sum(stratum_sizes.values())
    _check_size(population, n)
    if minimum < 0:
        raise ValueError(f"minimum must be zero or more, not {minimum}.")
    caps = dict(stratum_sizes)
    if n == 0 or population == 0:
        return dict.fromkeys(stratum_sizes, 0)
    if method == "proportional":
        shares = _water_fill({k: float(v) for k, v in caps.items()}, n, caps)
    elif method == "equal":
        shares = _water_fill({k: 1.0 if v else 0.0 for k, v in caps.items()}, n, caps)
    else:
        floors = {key: min(minimum, size) for key, size in caps.items()}
        if sum(floors.values()) > n:
            raise ValueError(
                f"a minimum of {minimum} per stratum needs {sum(floors.values())} "
                f"units, more than n = {n}."
            )
        fixed: dict[K, float] = {}
        while True:
            free = {k: float(v) for k, v in caps.items() if k not in fixed}
            shares = _water_fill(free, n - sum(fixed.values()), caps)
            below = {k for k, share in shares.items() if share < floors[k] - 1e-9}
            if not below:
                shares.update(fixed)
                break
            for key in below:
                fixed[key] = float(floors[key])
        shares = {key: shares[key] for key in caps}
    counts = _round_with_caps(shares, n, caps)
    return {key: counts[key] for key in stratum_sizes}


def _labels(
    strata: Sequence[Hashable] | NDArray[Any],
) -> tuple[list[Hashable], NDArray[np.int64]]:
    """Distinct stratum labels (first-seen order) and each unit's label index."""
    array = np.asarray(strata, dtype=object)
    if array.ndim != 1:
        raise ValueError("strata must be a one-dimensional sequence of labels.")
    # A dict keeps first-seen order and avoids sorting a million strings; a missing
    # label gets the next code (the dict's length), all in C.
    mapping: defaultdict[Hashable, int] = defaultdict()
    mapping.default_factory = mapping.__len__
    codes = np.fromiter(
        map(mapping.__getitem__, array.tolist()), dtype=np.int64, count=array.size
    )
    return list(mapping), codes


def stratified_sample(
    strata: Sequence[Hashable] | NDArray[Any],
    n: int,
    *,
    method: Allocation = "proportional",
    minimum: int = 0,
    random_state: RandomState = None,
) -> StratifiedSample:
    """Draw a stratified random sample (simple random sampling within each stratum).

    Parameters
    ----------
    strata
        The stratum label of each population unit, in frame order (e.g.
        ``"north|gold"`` built from region and tier).
    n
        Total sample size.
    method
        Allocation across strata, see :func:`allocate`.
    minimum
        Per-stratum floor for ``method="minimum"``.
    random_state
        Seed or generator; the same seed and frame order give the same sample.

    Returns
    -------
    StratifiedSample
        ``indices`` (sorted positions into ``strata``) and one
        :class:`StratumAllocation` per stratum, in first-seen order.

    Notes
    -----
    Within stratum h, :math:`n_h` units are drawn without replacement, so the
    inclusion probability is :math:`n_h/N_h` and the design weight
    :math:`w_h = N_h/n_h`.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 5. Wiley.

    Examples
    --------
    >>> strata = ["north"] * 60 + ["south"] * 30 + ["east"] * 10
    >>> sample = stratified_sample(strata, 10, random_state=42)
    >>> [(a.stratum, a.n) for a in sample.allocation]
    [('north', 6), ('south', 3), ('east', 1)]
    >>> sample.allocation[0].weight
    10.0
    """
    labels, codes = _labels(strata)
    counts = (
        np.bincount(codes, minlength=len(labels))
        if codes.size
        else np.zeros(0, dtype=np.int64)
    )
    sizes = {index: int(counts[index]) for index in range(len(labels))}
    allocation = allocate(sizes, n, method=method, minimum=minimum)
    rng = _rng(random_state)
    order = np.argsort(codes, kind="stable")
    boundaries = np.concatenate(([0], np.cumsum(counts)))
    chosen: list[NDArray[np.int64]] = []
    rows: list[StratumAllocation] = []
    for index, label in enumerate(labels):
        take = allocation[index]
        members = order[boundaries[index] : boundaries[index + 1]]
        if take:
            picked = rng.choice(members.size, size=take, replace=False)
            chosen.append(members[picked])
        rows.append(
            StratumAllocation(
                stratum=label,
                population_n=sizes[index],
                n=take,
                weight=sizes[index] / take if take else 0.0,
            )
        )
    indices = np.sort(np.concatenate(chosen)) if chosen else np.empty(0, dtype=np.int64)
    return StratifiedSample(
        indices=indices.astype(np.int64), allocation=tuple(rows), method=method
    )


def representativeness(
    population: Mapping[Hashable, int], sample: Mapping[Hashable, int]
) -> tuple[StratumShare, ...]:
    """Compare the sample's composition with the population's, stratum by stratum.

    Parameters
    ----------
    population
        Count of units per stratum in the population (frame).
    sample
        Count of units per stratum in the sample (or among respondents); strata
        missing here count as zero.

    Returns
    -------
    tuple of StratumShare
        One row per population stratum (then any sample-only stratum), with both
        shares in [0, 1] and their difference.

    Notes
    -----
    :math:`p_h = N_h / N`, :math:`s_h = n_h / n`, difference :math:`s_h - p_h`.
    A proportional sample has differences near zero; a ``minimum`` or ``equal``
    allocation over-represents small strata by design (weight them back).

    Examples
    --------
    >>> rows = representativeness({"a": 75, "b": 25}, {"a": 5, "b": 5})
    >>> [(r.stratum, r.population_share, r.sample_share) for r in rows]
    [('a', 0.75, 0.5), ('b', 0.25, 0.5)]
    """
    for key, count in (*population.items(), *sample.items()):
        if count < 0:
            raise ValueError(f"stratum {key!r} has a negative count ({count}).")
    population_total = sum(population.values())
    sample_total = sum(sample.values())
    keys = list(population) + [key for key in sample if key not in population]
    rows = []
    for key in keys:
        big = population.get(key, 0)
        small = sample.get(key, 0)
        p = big / population_total if population_total else 0.0
        s = small / sample_total if sample_total else 0.0
        rows.append(
            StratumShare(
                stratum=key,
                population_n=big,
                population_share=p,
                sample_n=small,
                sample_share=s,
                difference=s - p,
            )
        )
    return tuple(rows)


def key_layout_effect(
    scores_a: Sequence[float] | NDArray[np.float64],
    scores_b: Sequence[float] | NDArray[np.float64],
    *,
    alpha: float = 0.05,
) -> LayoutEffect:
    """Estimate how much the IVR key layout moves the mean score (layout A − B).

    Parameters
    ----------
    scores_a
        Scores (on the survey's own value scale, not key digits) from calls that
        heard layout A, e.g. ``ascending``.
    scores_b
        Scores from calls randomly assigned layout B, e.g. ``descending``.
    alpha
        Significance level; 0.05 gives a 95% interval.

    Returns
    -------
    LayoutEffect
        Means, their difference, Welch confidence interval and two-sided p-value.

    Notes
    -----
    Because the layout is assigned at random per call (counterbalancing), the
    difference in means is an unbiased estimate of the layout effect. Welch's
    t statistic :math:`t = (\\bar a - \\bar b)/\\sqrt{s_a^2/n_a + s_b^2/n_b}` with
    Welch–Satterthwaite degrees of freedom.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when
       several different population variances are involved. *Biometrika* 34, 28–35.

    Examples
    --------
    >>> effect = key_layout_effect([4, 5, 5, 4, 5], [3, 4, 4, 3, 4])
    >>> round(effect.difference, 2)
    1.0
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}.")
    a = np.asarray(scores_a, dtype=float)
    b = np.asarray(scores_b, dtype=float)
    for name, values in (("scores_a", a), ("scores_b", b)):
        if values.size < 2:
            raise ValueError(f"{name} needs at least two scores, got {values.size}.")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} contains a missing or infinite score.")
    var_a = float(a.var(ddof=1)) / a.size
    var_b = float(b.var(ddof=1)) / b.size
    difference = float(a.mean() - b.mean())
    se = math.sqrt(var_a + var_b)
    if se == 0:
        raise ValueError(
            "both layouts have constant scores; the effect has no variance."
        )
    df = (var_a + var_b) ** 2 / (var_a**2 / (a.size - 1) + var_b**2 / (b.size - 1))
    t = difference / se
    quantile = float(stats.t.ppf(1 - alpha / 2, df))
    return LayoutEffect(
        mean_a=float(a.mean()),
        mean_b=float(b.mean()),
        difference=difference,
        ci_low=difference - quantile * se,
        ci_high=difference + quantile * se,
        p_value=float(2 * stats.t.sf(abs(t), df)),
        df=float(df),
        n_a=int(a.size),
        n_b=int(b.size),
        alpha=alpha,
    )
