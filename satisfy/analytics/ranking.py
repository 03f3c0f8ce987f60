"""Fair league tables: rank units or agents by empirical-Bayes shrunken scores.

An agent with three answers should not top (or bottom) the table on noise: each unit's
score is pulled towards the overall level in proportion to how little data it has.
Definition: ``docs/metrics.md``, "Small groups".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

from satisfy.analytics.intervals import check_alpha

__all__ = ["RankedUnit", "RankingResult", "shrink_rank"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RankedUnit:
    """One unit of a shrinkage ranking.

    ``raw`` is the unit's own score (share or mean), ``estimate`` the shrunken one,
    ``ci_low``/``ci_high`` its posterior interval, ``rank`` 1 for the best.
    """

    label: str
    n: int
    raw: float
    estimate: float
    ci_low: float
    ci_high: float
    rank: int


@dataclass(frozen=True, slots=True)
class RankingResult:
    """Units ordered by rank, with the fitted prior.

    ``prior`` is ``(a, b)`` of the Beta prior (beta-binomial) or ``(mu, tau2)`` of the
    normal prior.
    """

    units: tuple[RankedUnit, ...]
    method: str
    prior: tuple[float, float]
    alpha: float

    def __getitem__(self, label: str) -> RankedUnit:
        for unit in self.units:
            if unit.label == str(label):
                return unit
        raise KeyError(label)

    def __len__(self) -> int:
        return len(self.units)

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels from rank 1 down."""
        return tuple(u.label for u in self.units)


def shrink_rank(
    x: npt.ArrayLike,
    n: npt.ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    method: str = "beta-binomial",
    sd: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    higher_is_better: bool = True,
) -> RankingResult:
    """Rank units by empirical-Bayes shrinkage estimates with intervals.

    Parameters
    ----------
    x
        ``method="beta-binomial"``: successes per unit (e.g. satisfied answers);
        ``method="normal"``: mean score per unit.
    n
        Answers per unit (each ≥ 1).
    labels
        Unit names (default ``"0"``, ``"1"``, ...).
    method
        ``"beta-binomial"`` (proportions, default) or ``"normal"`` (means).
    sd
        ``method="normal"`` only: standard deviation of the answers in every unit.
        The within-unit variance is pooled across units (weights n − 1), so a unit
        whose few answers happen to agree is not taken as exact.
    alpha
        Level of the posterior intervals.
    higher_is_better
        Rank 1 goes to the highest estimate (default) or the lowest.

    Returns
    -------
    RankingResult
        Units from rank 1 down, each with raw and shrunken score and interval.

    Notes
    -----
    Beta-binomial: a prior Beta(a, b) is fitted by maximum likelihood of the
    beta-binomial marginal ``Σ log B(xᵢ + a, nᵢ − xᵢ + b) − log B(a, b)``; unit i's
    posterior is Beta(a + xᵢ, b + nᵢ − xᵢ), its estimate the posterior mean and its
    interval the equal-tailed posterior interval. Normal: sᵢ² = σ²_pooled / nᵢ, τ² by
    DerSimonian–Laird, μ the precision-weighted mean,
    ``θᵢ = (τ² yᵢ + sᵢ² μ)/(τ² + sᵢ²)`` with variance
    ``τ² sᵢ²/(τ² + sᵢ²) + (sᵢ²/(τ² + sᵢ²))² Var(μ̂)`` (Morris 1983).

    References
    ----------
    Efron, B. & Morris, C. (1975). Data analysis using Stein's estimator and its
    generalizations. *JASA* 70, 311–319. Morris, C. N. (1983). Parametric empirical
    Bayes inference. *JASA* 78, 47–55. DerSimonian, R. & Laird, N. (1986).
    *Controlled Clinical Trials* 7, 177–188.

    Examples
    --------
    >>> r = shrink_rank([3, 80, 45], [3, 100, 60], labels=["new", "ann", "bob"])
    >>> r.labels[0]
    'ann'
    >>> r["new"].raw, round(r["new"].estimate, 2) < 1.0
    (1.0, True)
    """
    level = check_alpha(alpha)
    xs = np.asarray(x, dtype=np.float64).reshape(-1)
    ns = np.asarray(n, dtype=np.float64).reshape(-1)
    if xs.shape != ns.shape:
        raise ValueError(f"x has {xs.size} units but n has {ns.size}")
    if xs.size < 2:
        raise ValueError("ranking with shrinkage needs at least two units")
    names = (
        [str(i) for i in range(xs.size)] if labels is None else [str(s) for s in labels]
    )
    if len(names) != xs.size:
        raise ValueError(f"{len(names)} labels given for {xs.size} units")
    if not np.isfinite(ns).all() or (ns < 1).any() or (ns != np.round(ns)).any():
        pos = int(np.flatnonzero(~np.isfinite(ns) | (ns < 1) | (ns != np.round(ns)))[0])
        raise ValueError(
            f"n of unit {names[pos]!r} is {ns[pos]!r}; every unit needs n ≥ 1 answers"
        )
    if not np.isfinite(xs).all():
        pos = int(np.flatnonzero(~np.isfinite(xs))[0])
        raise ValueError(f"x of unit {names[pos]!r} is not a number")
    if method == "beta-binomial":
        raw, est, low, high, prior = _beta_binomial(xs, ns, names, level)
    elif method == "normal":
        if sd is None:
            raise ValueError("method='normal' needs sd= (standard deviation per unit)")
        raw, est, low, high, prior = _normal(
            xs, ns, np.asarray(sd, dtype=np.float64).reshape(-1), names, level
        )
    else:
        raise ValueError(f"method {method!r} is not one of beta-binomial, normal")
    key = -est if higher_is_better else est
    order = np.argsort(key, kind="mergesort")
    ranks = np.empty(xs.size, dtype=np.int64)
    ranks[order] = np.arange(1, xs.size + 1)
    units = tuple(
        RankedUnit(
            names[i],
            int(ns[i]),
            float(raw[i]),
            float(est[i]),
            float(low[i]),
            float(high[i]),
            int(ranks[i]),
        )
        for i in order
    )
    return RankingResult(units, method, prior, level)


def _beta_binomial(
    xs: FloatArray, ns: FloatArray, names: list[str], alpha: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, tuple[float, float]]:
    bad = (xs < 0) | (xs > ns) | (xs != np.round(xs))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"successes of unit {names[pos]!r} ({xs[pos]:g}) must be a whole number from 0 to n ({ns[pos]:g})"
        )
    a, b = fit_beta_prior(xs, ns)
    post_a, post_b = a + xs, b + ns - xs
    est = post_a / (post_a + post_b)
    low = stats.beta.ppf(alpha / 2, post_a, post_b)
    high = stats.beta.ppf(1 - alpha / 2, post_a, post_b)
    return xs / ns, est, np.asarray(low), np.asarray(high), (a, b)


def fit_beta_prior(successes: FloatArray, trials: FloatArray) -> tuple[float, float]:
    """Maximum-likelihood Beta(a, b) prior of a beta-binomial model.

    Starts from the method of moments and maximises the marginal likelihood over
    ``log a, log b`` (L-BFGS-B). When the units do not vary more than binomial noise,
    the prior concentrates (a + b grows to its bound, 1e7): complete pooling.
    """
    p = successes / trials
    mean = float(np.clip(np.average(p, weights=trials), 1e-3, 1 - 1e-3))
    var = float(np.average((p - mean) ** 2, weights=trials))
    binomial_part = mean * (1 - mean) * float(np.mean(1 / trials))
    spread = var - binomial_part
    strength = mean * (1 - mean) / spread - 1 if spread > 1e-12 else 1e4
    strength = float(np.clip(strength, 1e-2, 1e6))

    def nll(theta: FloatArray) -> float:
        a, b = math.exp(theta[0]), math.exp(theta[1])
        return -float(
            np.sum(
                special.betaln(successes + a, trials - successes + b)
                - special.betaln(a, b)
            )
        )

    start = np.log([mean * strength, (1 - mean) * strength])
    bounds = [(math.log(1e-3), math.log(1e7))] * 2
    fit = optimize.minimize(nll, start, method="L-BFGS-B", bounds=bounds)
    a, b = (math.exp(float(v)) for v in fit.x)
    return a, b


def _normal(
    means: FloatArray, ns: FloatArray, sds: FloatArray, names: list[str], alpha: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, tuple[float, float]]:
    if sds.shape != means.shape:
        raise ValueError(f"sd has {sds.size} values for {means.size} units")
    if not np.isfinite(sds).all() or (sds < 0).any():
        pos = int(np.flatnonzero(~np.isfinite(sds) | (sds < 0))[0])
        raise ValueError(f"sd of unit {names[pos]!r} must be a number ≥ 0")
    dof = ns - 1
    if dof.sum() <= 0:
        raise ValueError("the within-unit spread needs some units with n ≥ 2")
    pooled = float(np.sum(dof * sds**2) / dof.sum())
    if pooled <= 0:
        raise ValueError("all answers are identical within units: nothing to shrink by")
    s2 = pooled / ns
    w = 1 / s2
    mu_fixed = float(np.sum(w * means) / w.sum())
    q = float(np.sum(w * (means - mu_fixed) ** 2))
    k = means.size
    tau2 = float(max(0.0, (q - (k - 1)) / (w.sum() - np.sum(w**2) / w.sum())))
    w_star = 1 / (s2 + tau2)
    mu = float(np.sum(w_star * means) / w_star.sum())
    var_mu = float(1 / w_star.sum())
    shrink = s2 / (s2 + tau2)
    est = (1 - shrink) * means + shrink * mu
    var = tau2 * s2 / (s2 + tau2) + shrink**2 * var_mu
    z = float(stats.norm.ppf(1 - alpha / 2))
    half = z * np.sqrt(var)
    return means, est, est - half, est + half, (mu, tau2)
