"""Ready-made ACSI and ECSI models and the post-contact driver specification.

The models use the question codes of Satisfy's built-in ``ecsi`` survey template
(1–10 scale): ``imag1..5``, ``cuex1..3``, ``perq1..7``, ``perv1..2``, ``cusa1..3``,
``cusco``, ``cusl1..3`` — the column names of the ECSI mobile-phone data set
(Tenenhaus et al. 2005) in lower case. The inner model is the standard ECSI model
used in the plspm/semPLS/seminr ``mobi`` examples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from satisfy.analytics._text import Gettext, english
from satisfy.analytics.pls import PathModel, PLSResult

__all__ = [
    "ACSI_MODEL",
    "ECSI_MODEL",
    "POST_CONTACT_DRIVERS",
    "DriverSpec",
    "describe_index",
    "match_columns",
]

_ECSI_BLOCKS: dict[str, tuple[str, ...]] = {
    "Image": ("imag1", "imag2", "imag3", "imag4", "imag5"),
    "Expectation": ("cuex1", "cuex2", "cuex3"),
    "Quality": ("perq1", "perq2", "perq3", "perq4", "perq5", "perq6", "perq7"),
    "Value": ("perv1", "perv2"),
    "Satisfaction": ("cusa1", "cusa2", "cusa3"),
    "Complaints": ("cusco",),
    "Loyalty": ("cusl1", "cusl2", "cusl3"),
}

_ECSI_PATHS: tuple[tuple[str, str], ...] = (
    ("Image", "Expectation"),
    ("Image", "Satisfaction"),
    ("Image", "Loyalty"),
    ("Expectation", "Quality"),
    ("Expectation", "Value"),
    ("Expectation", "Satisfaction"),
    ("Quality", "Value"),
    ("Quality", "Satisfaction"),
    ("Value", "Satisfaction"),
    ("Satisfaction", "Complaints"),
    ("Satisfaction", "Loyalty"),
    ("Complaints", "Loyalty"),
)

#: The ECSI model (Image, Expectation, Quality, Value, Satisfaction, Complaints,
#: Loyalty) on the ``ecsi`` template's question codes, 1–10 scale.
ECSI_MODEL = PathModel(
    blocks=_ECSI_BLOCKS,
    paths=_ECSI_PATHS,
    scale_min=1.0,
    scale_max=10.0,
)

#: The ACSI model: the ECSI model without Image (Fornell et al. 1996).
ACSI_MODEL = PathModel(
    blocks={lv: items for lv, items in _ECSI_BLOCKS.items() if lv != "Image"},
    paths=tuple((s, t) for s, t in _ECSI_PATHS if "Image" not in (s, t)),
    scale_min=1.0,
    scale_max=10.0,
)


@dataclass(frozen=True, slots=True)
class DriverSpec:
    """A ready-made key-driver question set: outcome, drivers and loyalty outcomes."""

    target: str
    drivers: tuple[str, ...]
    outcomes: tuple[str, ...]
    scales: Mapping[str, tuple[float, float]]


#: The post-contact (ART) survey: Access, Resolution, Treatment (1–5 satisfaction)
#: driving ``csat_overall`` (1–5), with loyalty outcomes ``nps`` (0–10) and
#: ``repurchase`` (1–5).
POST_CONTACT_DRIVERS = DriverSpec(
    target="csat_overall",
    drivers=("access", "resolution", "treatment"),
    outcomes=("csat_overall", "nps", "repurchase"),
    scales={
        "access": (1.0, 5.0),
        "resolution": (1.0, 5.0),
        "treatment": (1.0, 5.0),
        "csat_overall": (1.0, 5.0),
        "nps": (0.0, 10.0),
        "repurchase": (1.0, 5.0),
    },
)


def match_columns(
    model: PathModel,
    columns: Iterable[str] | Callable[[str], str],
) -> PathModel:
    """Map a model's question codes onto the column names of a data set.

    Parameters
    ----------
    model
        A model such as :data:`ECSI_MODEL`.
    columns
        Either the data's column names (matched case-insensitively, e.g. the
        upper-case ``IMAG1`` of ``mobi.csv``) or a function applied to each code
        (e.g. ``str.upper``).

    Returns
    -------
    PathModel
        The same model with the data's column names.

    Examples
    --------
    >>> m = match_columns(ECSI_MODEL, ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5",
    ...     "CUEX1", "CUEX2", "CUEX3", "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5",
    ...     "PERQ6", "PERQ7", "PERV1", "PERV2", "CUSA1", "CUSA2", "CUSA3", "CUSCO",
    ...     "CUSL1", "CUSL2", "CUSL3"])
    >>> m.blocks["Value"]
    ('PERV1', 'PERV2')
    """
    if callable(columns):
        return model.rename_indicators(columns)
    lookup: dict[str, str] = {}
    for col in columns:
        key = str(col).strip().lower()
        if key in lookup and lookup[key] != col:
            raise ValueError(
                f"Columns '{lookup[key]}' and '{col}' differ only in case."
            )
        lookup[key] = str(col)
    missing = [code for code in model.indicators if code.lower() not in lookup]
    if missing:
        raise ValueError(
            "The data has no column for question code(s) " + ", ".join(missing) + "."
        )
    return model.rename_indicators(
        {code: lookup[code.lower()] for code in model.indicators}
    )


def describe_index(
    result: PLSResult,
    *,
    outcome: str = "Satisfaction",
    labels: Mapping[str, str] | None = None,
    gettext: Gettext = english,
) -> str:
    """Plain-language summary of an ACSI/ECSI-style fit.

    Parameters
    ----------
    result
        A fitted model from :func:`satisfy.analytics.pls.pls_path_model`.
    outcome
        The latent variable to describe (``"Satisfaction"`` in ACSI/ECSI).
    labels
        Latent variable → wording for people (defaults to the name in the model).
    gettext
        Translates the sentence templates (default: English); see
        ``satisfy/analytics/_text.py``. Labels are used as given.

    Returns
    -------
    str
        Its 0–100 index with the base n, its strongest driver by total effect and
        the variance explained, and its effects on the latent variables it drives.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=300)
    >>> g = 0.7 * f + rng.normal(scale=0.7, size=300)
    >>> d = {f"q{i}": np.clip(np.round(6 + 1.5 * f + rng.normal(size=300)), 1, 10) for i in (1, 2)}
    >>> d |= {f"s{i}": np.clip(np.round(6 + 1.5 * g + rng.normal(size=300)), 1, 10) for i in (1, 2)}
    >>> m = PathModel(blocks={"Quality": ("q1", "q2"), "Satisfaction": ("s1", "s2")},
    ...               paths=(("Quality", "Satisfaction"),), scale_min=1, scale_max=10)
    >>> from satisfy.analytics.pls import pls_path_model
    >>> print(describe_index(pls_path_model(d, m)))  # doctest: +ELLIPSIS
    The Satisfaction index is ... out of 100 (n = 300). Its strongest driver is Quality (total effect ...); the model explains ...% of its variation.
    """
    if outcome not in result.model.blocks:
        raise ValueError(f"The model has no latent variable '{outcome}'.")
    names = labels or {}

    def label(lv: str) -> str:
        return names.get(lv, lv)

    parts: list[str] = []
    value = result.index.get(outcome)
    if value is not None:
        parts.append(
            gettext("The %(outcome)s index is %(value)s out of 100 (n = %(n)s).")
            % {"outcome": label(outcome), "value": f"{value:.1f}", "n": result.n}
        )
    else:
        parts.append(
            gettext("No 0–100 index for %(outcome)s (n = %(n)s).")
            % {"outcome": label(outcome), "n": result.n}
        )
    drivers = {
        key.split(" -> ")[0]: eff.total
        for key, eff in result.effects.items()
        if key.endswith(f" -> {outcome}")
    }
    if drivers:
        top = max(drivers, key=lambda k: abs(drivers[k]))
        r2 = result.r2.get(outcome)
        values = {"driver": label(top), "effect": f"{drivers[top]:.2f}"}
        if r2 is not None:
            parts.append(
                gettext(
                    "Its strongest driver is %(driver)s (total effect %(effect)s); "
                    "the model explains %(percent)s%% of its variation."
                )
                % (values | {"percent": f"{r2 * 100:.0f}"})
            )
        else:
            parts.append(
                gettext("Its strongest driver is %(driver)s (total effect %(effect)s).")
                % values
            )
    consequences = {
        key.split(" -> ")[1]: eff.total
        for key, eff in result.effects.items()
        if key.startswith(f"{outcome} -> ")
    }
    for target, effect in consequences.items():
        parts.append(
            gettext(
                "A one-standard-deviation rise in %(outcome)s goes with %(effect)s SD "
                "in %(target)s."
            )
            % {
                "outcome": label(outcome),
                "effect": f"{effect:+.2f}",
                "target": label(target),
            }
        )
    if not result.converged:
        parts.append(gettext("Caution: the estimation did not converge."))
    return " ".join(parts)
