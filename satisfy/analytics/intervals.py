"""Confidence intervals: Wilson and friends for shares, NPS, t for means, bootstrap.

Every function takes ``alpha`` (0.05 gives a 95 % interval) and works elementwise on
arrays as well as on numbers, so the same code serves one unit and ten thousand.
Formulas and references: ``docs/metrics.md``, "Intervals".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

__all__ = [
    "bootstrap_interval",
    "nps_interval",
    "proportion_interval",
    "t_interval",
    "wilson_interval",
    "z_value",
]

FloatArray = npt.NDArray[np.float64]
PROPORTION_METHODS = ("wilson", "clopper-pearson", "wald", "agresti-coull")
NPS_METHODS = ("wald", "adjusted-wald")


def check_alpha(alpha: float) -> float:
    """``alpha`` as a float in (0, 1), or ``ValueError``."""
    try:
        value = float(alpha)
    except (TypeError, ValueError):
        raise ValueError(f"alpha {alpha!r} is not a number") from None
    if not 0.0 < value < 1.0:
        raise ValueError(
            f"alpha {alpha!r} must be between 0 and 1 (0.05 gives a 95% interval)"
        )
    return value


def z_value(alpha: float) -> float:
    """Two-sided normal quantile ``Φ⁻¹(1 − α/2)``.

    Examples
    --------
    >>> round(z_value(0.05), 6)
    1.959964
    """
    return _z_value(check_alpha(alpha))


@functools.lru_cache(maxsize=64)
def _z_value(alpha: float) -> float:
    # SciPy's ppf costs ~50 µs a call; a table of thousands of groups asks for the same
    # few alphas again and again.
    return float(stats.norm.ppf(1.0 - alpha / 2.0))


def wilson_interval(
    successes: float, n: float, *, alpha: float = 0.05
) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes
        Number of successes (may be fractional, e.g. a weighted count).
    n
        Number of trials (may be an effective sample size).
    alpha
        Significance level; 0.05 gives a 95% interval.

    Returns
    -------
    tuple of float
        ``(low, high)`` in [0, 1].

    Notes
    -----
    With ``p̂ = successes/n`` and ``z = Φ⁻¹(1 − α/2)``:
    ``(p̂ + z²/(2n) ± z·√(p̂(1 − p̂)/n + z²/(4n²))) / (1 + z²/n)``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22, 209–212. Newcombe, R. G. (1998). Two-sided confidence
    intervals for the single proportion: comparison of seven methods. *Stat Med* 17,
    857–872 (method 3).

    Examples
    --------
    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    """
    low, high = wilson_bounds(np.float64(successes), np.float64(n), check_alpha(alpha))
    return float(low), float(high)


def _check_counts(successes: FloatArray, n: FloatArray) -> None:
    if np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError(f"n must be a positive number of trials, got {np.min(n)!r}")
    if (
        np.any(~np.isfinite(successes))
        or np.any(successes < 0)
        or np.any(successes > n * (1 + 1e-12))
    ):
        raise ValueError("successes must lie between 0 and n")


def wilson_bounds(
    successes: Any, n: Any, alpha: float
) -> tuple[FloatArray, FloatArray]:
    """Vectorised Wilson interval (arrays in, arrays out)."""
    x = np.asarray(successes, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    _check_counts(x, m)
    z = z_value(alpha)
    p = np.clip(x / m, 0.0, 1.0)
    z2 = z * z
    centre = p + z2 / (2 * m)
    half = z * np.sqrt(p * (1 - p) / m + z2 / (4 * m * m))
    denom = 1 + z2 / m
    low = np.where(p <= 0.0, 0.0, (centre - half) / denom)
    high = np.where(p >= 1.0, 1.0, (centre + half) / denom)
    return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)


def proportion_interval(
    successes: Any, n: Any, *, alpha: float = 0.05, method: str = "wilson"
) -> tuple[FloatArray, FloatArray]:
    """Interval for a share by ``method`` (elementwise on arrays).

    Parameters
    ----------
    successes, n
        Successes and trials (numbers or arrays).
    alpha
        Significance level.
    method
        ``"wilson"`` (default), ``"clopper-pearson"`` (exact, Beta quantiles),
        ``"wald"`` or ``"agresti-coull"``.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper limits in [0, 1].

    Notes
    -----
    Clopper–Pearson: ``B(α/2; x, n − x + 1)`` and ``B(1 − α/2; x + 1, n − x)``.
    Agresti–Coull: Wald on ``ñ = n + z²``, ``p̃ = (x + z²/2)/ñ``.

    References
    ----------
    Clopper & Pearson (1934) *Biometrika* 26:404–413; Agresti & Coull (1998)
    *Am Stat* 52:119–126; Newcombe (1998) *Stat Med* 17:857–872.

    Examples
    --------
    >>> low, high = proportion_interval(0, 20, method="clopper-pearson")
    >>> round(float(low), 4), round(float(high), 4)
    (0.0, 0.1684)
    """
    a = check_alpha(alpha)
    x = np.asarray(successes, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    if method == "wilson":
        return wilson_bounds(x, m, a)
    _check_counts(x, m)
    z = z_value(a)
    if method == "wald":
        p = x / m
        half = z * np.sqrt(p * (1 - p) / m)
        return np.clip(p - half, 0.0, 1.0), np.clip(p + half, 0.0, 1.0)
    if method == "agresti-coull":
        nt = m + z * z
        pt = (x + z * z / 2) / nt
        half = z * np.sqrt(pt * (1 - pt) / nt)
        return np.clip(pt - half, 0.0, 1.0), np.clip(pt + half, 0.0, 1.0)
    if method == "clopper-pearson":
        with np.errstate(invalid="ignore", divide="ignore"):
            low = np.where(x <= 0, 0.0, stats.beta.ppf(a / 2, x, m - x + 1))
            high = np.where(x >= m, 1.0, stats.beta.ppf(1 - a / 2, x + 1, m - x))
        return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
    raise ValueError(f"method {method!r} is not one of {', '.join(PROPORTION_METHODS)}")


def nps_interval(
    promoters: Any,
    detractors: Any,
    n: Any,
    *,
    alpha: float = 0.05,
    method: str = "wald",
) -> tuple[FloatArray, FloatArray]:
    """Interval for the NPS (on −100..100) from promoter and detractor counts.

    Parameters
    ----------
    promoters, detractors
        Counts (or weighted counts) of promoters (9–10) and detractors (0–6).
    n
        Base: all answers (or the effective sample size when weighted).
    alpha
        Significance level.
    method
        ``"wald"`` (default) or ``"adjusted-wald"``.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper limits on −100..100.

    Notes
    -----
    Wald: ``100 × ((p − d) ± z √((p + d − (p − d)²)/n))``, the variance of the
    difference of two multinomial shares. Adjusted Wald (Rocks 2016): add 3/4 to
    promoters and to detractors and 3 to n, then the same formula.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "net promoter score".
    *The American Statistician* 70(4), 365–372.

    Examples
    --------
    >>> low, high = nps_interval(50, 20, 100)
    >>> round(float(low), 2), round(float(high), 2)
    (14.69, 45.31)
    """
    a = check_alpha(alpha)
    pro = np.asarray(promoters, dtype=np.float64)
    det = np.asarray(detractors, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    if np.any(m <= 0):
        raise ValueError("n must be positive")
    if np.any(pro < 0) or np.any(det < 0) or np.any(pro + det > m * (1 + 1e-12)):
        raise ValueError("promoters and detractors must be ≥ 0 and add up to at most n")
    if method == "adjusted-wald":
        pro, det, m = pro + 0.75, det + 0.75, m + 3.0
    elif method != "wald":
        raise ValueError(f"method {method!r} is not one of {', '.join(NPS_METHODS)}")
    p, d = pro / m, det / m
    diff = p - d
    se = np.sqrt(np.maximum(p + d - diff * diff, 0.0) / m)
    z = z_value(a)
    return np.clip(100 * (diff - z * se), -100.0, 100.0), np.clip(
        100 * (diff + z * se), -100.0, 100.0
    )


def t_interval(
    mean: Any, sd: Any, n: Any, *, alpha: float = 0.05
) -> tuple[FloatArray, FloatArray]:
    """Student t interval for a mean.

    Parameters
    ----------
    mean, sd, n
        Sample mean, standard deviation (n − 1 denominator) and size (n ≥ 2).
    alpha
        Significance level.

    Returns
    -------
    tuple of numpy.ndarray
        ``mean ± t(1 − α/2, n − 1) · sd/√n``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6, 1–25.

    Examples
    --------
    >>> low, high = t_interval(20.09062, 6.026948, 32)  # R: t.test(mtcars$mpg)
    >>> round(float(low), 4), round(float(high), 4)
    (17.9177, 22.2636)
    """
    a = check_alpha(alpha)
    m = np.asarray(n, dtype=np.float64)
    if np.any(m < 2):
        raise ValueError("a t interval needs n ≥ 2")
    s = np.asarray(sd, dtype=np.float64)
    if np.any(s < 0) or not np.all(np.isfinite(s)):
        raise ValueError("sd must be a finite number ≥ 0")
    half = stats.t.ppf(1 - a / 2, m - 1) * s / np.sqrt(m)
    centre = np.asarray(mean, dtype=np.float64)
    return centre - half, centre + half


def bootstrap_interval(
    statistic: Callable[[FloatArray], FloatArray],
    probabilities: npt.ArrayLike,
    n: int,
    *,
    alpha: float = 0.05,
    n_resamples: int = 2000,
    random_state: int | np.random.Generator | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap for a statistic of a histogram.

    Resampling n answers with replacement from the data is the same as drawing the
    histogram's counts from a multinomial with the observed shares, so raw answers and
    summaries give the same interval for the same ``random_state``.

    Parameters
    ----------
    statistic
        Function of an array of resampled shares of shape ``(n_resamples, k)``
        returning one value per resample.
    probabilities
        Observed share (or weighted share) of every scale point.
    n
        Number of answers per resample.
    alpha
        Significance level.
    n_resamples
        Number of bootstrap resamples.
    random_state
        Seed or generator, for reproducible intervals.

    Returns
    -------
    tuple of float
        Percentile interval ``(q(α/2), q(1 − α/2))``.

    References
    ----------
    Efron, B. & Tibshirani, R. (1993). *An Introduction to the Bootstrap*. Chapman & Hall, ch. 13.

    Examples
    --------
    >>> nps_of = lambda s: 100 * (s[:, 2] - s[:, 0])
    >>> low, high = bootstrap_interval(nps_of, [0.2, 0.3, 0.5], 100, random_state=1)
    >>> low < 30 < high
    True
    """
    a = check_alpha(alpha)
    if n < 1:
        raise ValueError("a bootstrap needs at least one answer")
    if n_resamples < 100:
        raise ValueError(f"n_resamples {n_resamples} is too small; use at least 100")
    probs = np.asarray(probabilities, dtype=np.float64)
    probs = probs / probs.sum()
    rng = np.random.default_rng(random_state)
    draws = rng.multinomial(int(n), probs, size=int(n_resamples)) / float(n)
    values = np.asarray(statistic(draws), dtype=np.float64)
    low, high = np.quantile(values, [a / 2, 1 - a / 2])
    return float(low), float(high)
