"""``satisfy analyze``: key drivers, PLS path models and gaps from a CSV file, no database.

Examples::

    satisfy analyze drivers --data answers.csv --target csat_overall \\
        --drivers access,resolution,treatment --method lmg --bootstrap 1000 --json
    satisfy analyze pls --data mobi.csv --model ecsi.yaml --scheme path --json
    satisfy analyze pls --data mobi.csv --model ecsi --json      # built-in ECSI model
    satisfy analyze gaps --data servqual.csv --pairs servqual.yaml --json

The gaps mapping: ``pairs: {item: [reference, actual]}`` (or ``{expectation: E1,
perception: P1}``), optional ``dimensions: {name: [items]}``, ``labels: {reference:
importance, actual: satisfaction}``, and ``unit: {column: branch, value: North, scores:
[csat_overall]}`` to compare a unit with the rest of the company.
    satisfy analyze ipa --data answers.csv --target csat_overall \\
        --drivers access,resolution,treatment --scale 1,5 --json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from satisfy.analytics.acsi import ACSI_MODEL, ECSI_MODEL, match_columns
from satisfy.analytics.drivers import DriverResult, key_drivers
from satisfy.analytics.gaps import (
    GapResult,
    describe_gaps,
    gap_analysis,
    unit_vs_company,
)
from satisfy.analytics.ipa import describe_drivers, ipa_from_data
from satisfy.analytics.pls import PathModel, PLSResult, pls_path_model

PROG = "satisfy analyze"
_BUILT_IN_MODELS = {"ecsi": ECSI_MODEL, "acsi": ACSI_MODEL}


class _InputError(Exception):
    """Bad input: printed as one line on stderr, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Why customers are satisfied or not: key drivers, importance–performance, "
        "gaps and PLS path models (ACSI/ECSI) from a CSV file.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("drivers", help="key-driver analysis of an outcome")
    d.add_argument("--data", required=True, help="CSV file, one row per respondent")
    d.add_argument("--target", required=True, help="outcome column")
    d.add_argument("--drivers", required=True, help="comma-separated driver columns")
    d.add_argument(
        "--method", default="lmg", choices=["lmg", "relative-weights", "regression"]
    )
    d.add_argument(
        "--bootstrap", type=int, default=0, metavar="N", help="bootstrap resamples"
    )
    d.add_argument("--alpha", type=float, default=0.05)
    d.add_argument("--seed", type=int, default=None)
    d.add_argument(
        "--jobs", type=int, default=1, help="processes for the bootstrap (-1: all)"
    )
    d.add_argument("--weight", default=None, metavar="COL", help="survey weight column")
    d.add_argument("--json", action="store_true", help="print one JSON object")

    i = sub.add_parser("ipa", help="importance–performance matrix")
    i.add_argument("--data", required=True)
    i.add_argument("--target", required=True)
    i.add_argument("--drivers", required=True)
    i.add_argument(
        "--method", default="lmg", choices=["lmg", "relative-weights", "regression"]
    )
    i.add_argument(
        "--scale", default=None, metavar="MIN,MAX", help="answer scale, e.g. 1,5"
    )
    i.add_argument("--json", action="store_true")

    m = sub.add_parser("pls", help="PLS path model (ACSI/ECSI index)")
    m.add_argument("--data", required=True)
    m.add_argument(
        "--model",
        required=True,
        help="model YAML file, or 'ecsi'/'acsi' for the built-in models",
    )
    m.add_argument(
        "--scheme", default="centroid", choices=["centroid", "factorial", "path"]
    )
    std = m.add_mutually_exclusive_group()
    std.add_argument(
        "--standardize", dest="standardize", action="store_true", default=True
    )
    std.add_argument("--no-standardize", dest="standardize", action="store_false")
    m.add_argument("--bootstrap", type=int, default=0, metavar="N")
    m.add_argument("--alpha", type=float, default=0.05)
    m.add_argument("--seed", type=int, default=None)
    m.add_argument("--jobs", type=int, default=1)
    m.add_argument("--tol", type=float, default=1e-6)
    m.add_argument("--max-iter", type=int, default=100)
    m.add_argument("--weight", default=None, metavar="COL", help="survey weight column")
    m.add_argument("--json", action="store_true")

    g = sub.add_parser("gaps", help="expectation vs perception gaps (SERVQUAL)")
    g.add_argument("--data", required=True)
    g.add_argument(
        "--pairs", required=True, help="YAML mapping of items to column pairs"
    )
    g.add_argument("--alpha", type=float, default=0.05)
    g.add_argument("--json", action="store_true")
    return p


# ─── input ──────────────────────────────────────────────────────────────────


def _read_csv(path: str, needed: Sequence[str]) -> dict[str, np.ndarray]:
    import pandas as pd

    file = Path(path)
    if not file.is_file():
        raise _InputError(f"{path}: no such file")
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _InputError(
            f"{path}: cannot read as CSV ({str(exc).splitlines()[0]})"
        ) from None
    columns = [str(c) for c in frame.columns]
    missing = [c for c in needed if c not in columns]
    if missing:
        raise _InputError(
            f"{path}: no column named {', '.join(repr(c) for c in missing)} "
            f"(columns are {', '.join(columns[:12])}{'…' if len(columns) > 12 else ''})"
        )
    out: dict[str, np.ndarray] = {}
    for col in needed:
        raw = frame[col].str.strip()
        empty = raw.isin(["", "NA", "NaN", "nan", "null"])
        values = pd.to_numeric(raw.where(~empty), errors="coerce")
        bad = values.isna() & ~empty
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise _InputError(
                f"{path}: row {row + 2}, column '{col}': {raw.iloc[row]!r} is not a number"
            )
        out[col] = values.to_numpy(dtype=float)
    return out


def _read_yaml(path: str) -> Any:
    file = Path(path)
    if not file.is_file():
        raise _InputError(f"{path}: no such file")
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise _InputError(f"{path}: not valid YAML{where}") from None


def _split(text: str, what: str) -> list[str]:
    items = [c.strip() for c in text.split(",") if c.strip()]
    if not items:
        raise _InputError(f"--{what} needs at least one column name")
    return items


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN/inf become null, tuples become lists."""
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


# ─── drivers ────────────────────────────────────────────────────────────────


def _drivers_json(r: DriverResult) -> dict[str, Any]:
    regression = r.method == "regression"
    headline = r.importance if regression else r.shares
    intervals = r.importance_ci if regression else r.shares_ci
    return {
        "method": r.method,
        "target": r.target,
        "n": r.n,
        "n_dropped": r.n_dropped,
        "missing": r.missing,
        "weighted": r.weighted,
        "n_effective": r.n_effective,
        "r2": r.r2,
        "importance": headline,
        "importance_unit": "standardised coefficient" if regression else "share of R²",
        "r2_contribution": None if regression else r.importance,
        "shares": r.shares,
        "coefficients": r.coefficients,
        "correlations": r.correlations,
        "ranking": r.ranking(),
        "bootstrap": None
        if intervals is None
        else {
            "n_resamples": r.n_resamples,
            "alpha": r.alpha,
            "importance": {d: list(intervals[d]) for d in r.drivers},
            "r2": list(r.r2_ci) if r.r2_ci else None,
        },
        "warnings": list(r.warnings),
    }


def _run_drivers(args: argparse.Namespace) -> dict[str, Any]:
    drivers = _split(args.drivers, "drivers")
    extra = [args.weight] if args.weight else []
    data = _read_csv(args.data, [args.target, *drivers, *extra])
    try:
        result = key_drivers(
            data,
            args.target,
            drivers,
            method=args.method,
            bootstrap=args.bootstrap,
            alpha=args.alpha,
            random_state=args.seed,
            n_jobs=args.jobs,
            weights=data[args.weight] if args.weight else None,
        )
    except ValueError as exc:
        raise _InputError(f"{args.data}: {exc}") from None
    return _drivers_json(result)


def _drivers_text(out: dict[str, Any]) -> str:
    lines = [
        f"Key drivers of {out['target']} ({out['method']}), n = {out['n']}, R² = {out['r2']:.3f}"
    ]
    for d in out["ranking"]:
        v = out["importance"][d]
        ci = ""
        if out["bootstrap"]:
            lo, hi = out["bootstrap"]["importance"][d]
            ci = f"  [{lo:.3f}, {hi:.3f}]"
        lines.append(f"  {d:<24} {v:8.3f}{ci}")
    lines.extend(f"warning: {w}" for w in out["warnings"])
    return "\n".join(lines)


# ─── ipa ────────────────────────────────────────────────────────────────────


def _run_ipa(args: argparse.Namespace) -> dict[str, Any]:
    drivers = _split(args.drivers, "drivers")
    scale = None
    if args.scale:
        parts = args.scale.split(",")
        try:
            scale = (float(parts[0]), float(parts[1]))
        except (ValueError, IndexError):
            raise _InputError(
                f"--scale must be MIN,MAX (e.g. 1,5), got {args.scale!r}"
            ) from None
    data = _read_csv(args.data, [args.target, *drivers])
    try:
        ipa, result = ipa_from_data(
            data, args.target, drivers, scale=scale, method=args.method
        )
    except ValueError as exc:
        raise _InputError(f"{args.data}: {exc}") from None
    return {
        "target": args.target,
        "method": result.method,
        "n": result.n,
        "importance_cut": ipa.importance_cut,
        "performance_cut": ipa.performance_cut,
        "cut_rule": ipa.cut_rule,
        "items": {
            it.name: {
                "importance": it.importance,
                "performance": it.performance,
                "quadrant": it.quadrant,
                "quadrant_label": it.quadrant_label,
                "rank": it.importance_rank,
            }
            for it in ipa.items
        },
        "focus_areas": list(ipa.focus_areas),
        "summary": describe_drivers(ipa),
        "warnings": list(result.warnings),
    }


# ─── pls ────────────────────────────────────────────────────────────────────


def _load_model(spec: str, columns_hint: str) -> PathModel:
    if spec.lower() in _BUILT_IN_MODELS and not Path(spec).is_file():
        import pandas as pd

        try:
            header = [str(c) for c in pd.read_csv(columns_hint, nrows=0).columns]
        except (OSError, ValueError):
            raise _InputError(f"{columns_hint}: cannot read the header") from None
        try:
            return match_columns(_BUILT_IN_MODELS[spec.lower()], header)
        except ValueError as exc:
            raise _InputError(f"{columns_hint}: {exc}") from None
    raw = _read_yaml(spec)
    try:
        return PathModel.from_spec(raw)
    except (ValueError, TypeError, AttributeError) as exc:
        raise _InputError(f"{spec}: {exc}") from None


def _pls_json(r: PLSResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n": r.n,
        "n_dropped": r.n_dropped,
        "weighted": r.weighted,
        "n_effective": r.n_effective,
        "scheme": r.scheme,
        "standardized": r.standardized,
        "converged": r.converged,
        "iterations": r.iterations,
        "paths": r.paths,
        "r2": r.r2,
        "r2_adjusted": r.r2_adjusted,
        "weights": r.weights,
        "weights_normalized": r.weights_normalized,
        "loadings": r.loadings,
        "cross_loadings": r.cross_loadings,
        "effects": {
            k: {"direct": e.direct, "indirect": e.indirect, "total": e.total}
            for k, e in r.effects.items()
        },
        "reliability": {
            lv: {
                "mode": b.mode,
                "indicators": b.n_indicators,
                "cronbach_alpha_raw": b.alpha_raw,
                "cronbach_alpha_standardized": b.alpha_standardized,
                "dillon_goldstein_rho": b.dillon_goldstein_rho,
                "composite_reliability": b.composite_reliability,
                "rho_a": b.rho_a,
                "ave": b.ave,
                "communality": b.communality,
                "eigenvalue_1": b.eigenvalue_1,
                "eigenvalue_2": b.eigenvalue_2,
            }
            for lv, b in r.reliability.items()
        },
        "gof": r.gof,
        "index": r.index,
        "index_scale": None
        if r.model.scale_min is None
        else {"min": r.model.scale_min, "max": r.model.scale_max},
        "latent_correlations": r.lv_correlations,
        "warnings": list(r.warnings),
        "bootstrap": None,
    }
    if r.bootstrap is not None:
        b = r.bootstrap

        def est(d: Mapping[str, Any]) -> dict[str, Any]:
            return {
                k: {
                    "estimate": v.estimate,
                    "std_error": v.std_error,
                    "ci_low": v.ci_low,
                    "ci_high": v.ci_high,
                }
                for k, v in d.items()
            }

        out["bootstrap"] = {
            "n_resamples": b.n_resamples,
            "n_failed": b.n_failed,
            "alpha": b.alpha,
            "paths": est(b.paths),
            "r2": est(b.r2),
            "total_effects": est(b.total_effects),
            "index": est(b.index),
            "loadings": {lv: est(v) for lv, v in b.loadings.items()},
            "weights": {lv: est(v) for lv, v in b.weights.items()},
        }
    return out


def _run_pls(args: argparse.Namespace) -> dict[str, Any]:
    model = _load_model(args.model, args.data)
    extra = [args.weight] if args.weight else []
    data = _read_csv(args.data, [*model.indicators, *extra])
    try:
        result = pls_path_model(
            data,
            model,
            scheme=args.scheme,
            standardize=args.standardize,
            tol=args.tol,
            max_iter=args.max_iter,
            bootstrap=args.bootstrap,
            alpha=args.alpha,
            random_state=args.seed,
            n_jobs=args.jobs,
            weights=data[args.weight] if args.weight else None,
        )
    except ValueError as exc:
        raise _InputError(f"{args.data}: {exc}") from None
    return _pls_json(result)


def _pls_text(out: dict[str, Any]) -> str:
    lines = [
        f"PLS path model: n = {out['n']}, {out['scheme']} scheme, "
        f"{'standardised' if out['standardized'] else 'raw-scale'} indicators, GoF = {out['gof']:.3f}"
    ]
    lines.append("Paths:")
    lines.extend(f"  {k:<34} {v:7.3f}" for k, v in out["paths"].items())
    lines.append("R²:")
    lines.extend(f"  {k:<34} {v:7.3f}" for k, v in out["r2"].items())
    lines.append("Index (0–100):")
    lines.extend(
        f"  {k:<34} {'—' if v is None else f'{v:7.1f}'}"
        for k, v in out["index"].items()
    )
    lines.extend(f"warning: {w}" for w in out["warnings"])
    return "\n".join(lines)


# ─── gaps ───────────────────────────────────────────────────────────────────

_REFERENCE_KEYS = ("reference", "expectation", "importance", "expected", "company")
_ACTUAL_KEYS = (
    "actual",
    "perception",
    "satisfaction",
    "performance",
    "perceived",
    "unit",
)


def _pair(item: str, value: Any, path: str) -> tuple[str, str]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return str(value[0]), str(value[1])
    if isinstance(value, Mapping):
        ref = next((value[k] for k in _REFERENCE_KEYS if k in value), None)
        act = next((value[k] for k in _ACTUAL_KEYS if k in value), None)
        if ref is not None and act is not None:
            return str(ref), str(act)
    raise _InputError(
        f"{path}: item '{item}' needs two columns: [reference, actual] or "
        "{expectation: COL, perception: COL}"
    )


def _unit_column(path: str, column: str) -> np.ndarray:
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=[column])
    except ValueError:
        raise _InputError(f"{path}: no column named '{column}'") from None
    return np.asarray(frame[column].str.strip().to_numpy(), dtype=object)


def _run_units(args: argparse.Namespace, spec: Any) -> dict[str, Any]:
    if not isinstance(spec, Mapping) or not {"column", "value", "scores"} <= set(spec):
        raise _InputError(
            f"{args.pairs}: 'unit' needs column, value and scores "
            "(e.g. {column: branch, value: North, scores: [csat_overall]})"
        )
    scores = spec["scores"]
    scores = [scores] if isinstance(scores, str) else [str(c) for c in scores]
    data = _read_csv(args.data, scores)
    labels = _unit_column(args.data, str(spec["column"]))
    in_unit = labels == str(spec["value"])
    if not in_unit.any():
        raise _InputError(
            f"{args.data}: no row has {spec['column']} = {spec['value']!r}"
        )
    out: dict[str, Any] = {"column": str(spec["column"]), "value": str(spec["value"])}
    results: dict[str, Any] = {}
    for score in scores:
        try:
            g = unit_vs_company(data[score], in_unit, alpha=args.alpha)
        except ValueError as exc:
            raise _InputError(f"{args.data}: column '{score}': {exc}") from None
        results[score] = {
            "n_unit": g.n_unit,
            "n_rest": g.n_rest,
            "mean_unit": g.mean_unit,
            "mean_rest": g.mean_rest,
            "mean_company": g.mean_company,
            "difference": g.difference,
            "ci_low": g.ci_low,
            "ci_high": g.ci_high,
            "t": g.t,
            "df": g.df,
            "p_value": g.p_value,
        }
    out["scores"] = results
    return out


def _run_gaps(args: argparse.Namespace) -> dict[str, Any]:
    spec = _read_yaml(args.pairs)
    if not isinstance(spec, Mapping):
        raise _InputError(f"{args.pairs}: expected a mapping with 'pairs'")
    unit = _run_units(args, spec["unit"]) if "unit" in spec else None
    raw_pairs = spec.get("pairs")
    if raw_pairs is None and not {"dimensions", "unit", "labels"} & set(spec):
        raw_pairs = spec
    if raw_pairs is None and unit is not None:
        return {
            "gap": None,
            "alpha": args.alpha,
            "items": {},
            "dimensions": {},
            "unit": unit,
            "warnings": [],
        }
    if not isinstance(raw_pairs, Mapping) or not raw_pairs:
        raise _InputError(
            f"{args.pairs}: no 'pairs' mapping (item: [reference, actual])"
        )
    pairs = {str(k): _pair(str(k), v, args.pairs) for k, v in raw_pairs.items()}
    dims = spec.get("dimensions") or {}
    if not isinstance(dims, Mapping):
        raise _InputError(
            f"{args.pairs}: 'dimensions' must map a dimension to its items"
        )
    labels = spec.get("labels") or {}
    ref_label = str(labels.get("reference", "expectation"))
    act_label = str(labels.get("actual", "perception"))
    columns = sorted({c for pair in pairs.values() for c in pair})
    data = _read_csv(args.data, columns)
    try:
        table = gap_analysis(
            data,
            pairs,
            dimensions={str(k): [str(i) for i in v] for k, v in dims.items()},
            alpha=args.alpha,
            reference_label=ref_label,
            actual_label=act_label,
        )
    except ValueError as exc:
        raise _InputError(f"{args.data}: {exc}") from None

    def row(g: GapResult, p_adj: float | None) -> dict[str, Any]:
        return {
            "n": g.n,
            "n_dropped": g.n_dropped,
            "mean_reference": g.mean_reference,
            "mean_actual": g.mean_actual,
            "gap": g.gap,
            "ci_low": g.ci_low,
            "ci_high": g.ci_high,
            "t": g.t,
            "df": g.df,
            "p_value": g.p_value,
            "p_holm": p_adj,
            "wilcoxon_p": g.wilcoxon_p,
        }

    return {
        "gap": f"{act_label} - {ref_label}",
        "alpha": table.alpha,
        "items": {k: row(g, table.p_adjusted[k]) for k, g in table.items.items()},
        "dimensions": {k: row(g, None) for k, g in table.dimensions.items()},
        "summary": describe_gaps(table),
        "unit": unit,
        "warnings": list(table.warnings),
    }


def _gaps_text(out: dict[str, Any]) -> str:
    lines = [f"Gaps ({out['gap']}):"]
    for k, g in {**out["items"], **out["dimensions"]}.items():
        lines.append(
            f"  {k:<24} {g['gap']:+7.2f}  [{g['ci_low']:+.2f}, {g['ci_high']:+.2f}]  "
            f"p = {g['p_value']:.3g}  n = {g['n']}"
        )
    if out.get("summary"):
        lines.append(out["summary"])
    if out.get("unit"):
        unit = out["unit"]
        for score, g in unit["scores"].items():
            lines.append(
                f"  {unit['column']} = {unit['value']}, {score}: {g['mean_unit']:.2f} vs "
                f"rest {g['mean_rest']:.2f} ({g['difference']:+.2f} "
                f"[{g['ci_low']:+.2f}, {g['ci_high']:+.2f}], p = {g['p_value']:.3g})"
            )
    lines.extend(f"warning: {w}" for w in out["warnings"])
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run ``satisfy analyze``; returns the exit code (2 on bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    runners = {
        "drivers": (_run_drivers, _drivers_text),
        "ipa": (_run_ipa, lambda o: o["summary"]),
        "pls": (_run_pls, _pls_text),
        "gaps": (_run_gaps, _gaps_text),
    }
    run, text = runners[args.command]
    try:
        out = run(args)
    except _InputError as exc:
        print(f"{PROG} {args.command}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(_clean(out), ensure_ascii=False, allow_nan=False))
    else:
        print(text(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
