"""``satisfy metrics``: NPS, CSAT, CES or CSI of a CSV column, no database.

Examples::

    satisfy metrics --data answers.csv --column recommend --kind nps --json
    satisfy metrics --data answers.csv --column overall --kind csat --top 2 --by branch
    satisfy metrics --data answers.csv --column effort --kind ces --ces-version 1
    satisfy metrics --data answers.csv --column q1,q2,q3 --kind csi --scale 1-5 \\
        --weight w --na 98,99 --json

Rows are counted as data rows from 1 (the header is not counted; data row N is line
N + 1 of the file). A blank cell is an unanswered question: it is skipped and counted
in ``n_missing``. Every definition is in ``docs/metrics.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from satisfy.analytics import (
    CES1_SCALE,
    CES2_SCALE,
    CSAT_SCALE,
    NPS_SCALE,
    AnswerError,
    GroupedScores,
    GroupedSummary,
    Scale,
    ScoreResult,
    ces,
    csat,
    csi,
    nps,
)

PROG = "satisfy metrics"
KINDS = ("nps", "csat", "ces", "csi")


class InputError(Exception):
    """Bad input: printed as one line on stderr, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Satisfaction scores (NPS, CSAT, CES, CSI) with base n and "
        "confidence interval from a CSV file. Definitions: docs/metrics.md.",
    )
    p.add_argument(
        "--data", required=True, metavar="FILE.csv", help="CSV file with a header row"
    )
    p.add_argument(
        "--column",
        required=True,
        metavar="COL",
        help="answer column (for --kind csi: one or more, comma-separated)",
    )
    p.add_argument("--kind", required=True, choices=KINDS, help="which score")
    p.add_argument(
        "--scale",
        metavar="MIN-MAX",
        help="answer codes, e.g. 1-5 (defaults: nps 0-10, csat 1-5, csi 1-5, "
        "ces 1-7 for version 2 and 1-5 for version 1)",
    )
    p.add_argument(
        "--top", type=int, default=2, metavar="K", help="CSAT top-K boxes (default 2)"
    )
    p.add_argument("--by", metavar="COL", help="one score per value of this column")
    p.add_argument("--weight", metavar="COL", help="respondent weight column")
    p.add_argument(
        "--alpha", type=float, default=0.05, help="significance level (default 0.05)"
    )
    p.add_argument(
        "--ces-version", type=int, choices=(1, 2), default=2, help="CES version"
    )
    p.add_argument(
        "--na",
        metavar="CODES",
        help="comma-separated 'don't know' codes, excluded from the base (e.g. 98,99)",
    )
    p.add_argument(
        "--method",
        help="interval method (nps: wald, adjusted-wald; csat: wilson, clopper-pearson, "
        "wald, agresti-coull)",
    )
    p.add_argument("--delimiter", default=",", help="CSV field delimiter (default ',')")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Table:
    """The columns read from the CSV file, as strings, one entry per data row."""

    path: str
    header: tuple[str, ...]
    columns: dict[str, list[str]]
    n_rows: int


def read_columns(path: str, names: Sequence[str], delimiter: str) -> Table:
    """Read only the named columns of a CSV file (stdlib csv, streaming)."""
    file = Path(path)
    try:
        handle = file.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the file ({exc.strerror or exc})"
        ) from None
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = tuple(h.strip() for h in next(reader))
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header row)") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(
                f"{path}: line 1: not a readable CSV header ({exc})"
            ) from None
        positions = {}
        for name in names:
            if name not in header:
                raise InputError(
                    f"{path}: column {name!r} not found (columns: {', '.join(header)})"
                )
            positions[name] = header.index(name)
        columns: dict[str, list[str]] = {name: [] for name in names}
        row_number = 0
        try:
            for row_number, row in enumerate(reader, start=1):  # noqa: B007
                if not row:
                    for name in names:
                        columns[name].append("")
                    continue
                for name, pos in positions.items():
                    columns[name].append(row[pos].strip() if pos < len(row) else "")
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(
                f"{path}: row {row_number + 1} (file line {row_number + 2}): "
                f"not readable as CSV ({exc})"
            ) from None
    return Table(path, header, columns, row_number)


def _where(table: Table, row: int, column: str) -> str:
    return f"{table.path}: row {row} (file line {row + 1}), column {column!r}"


def _numbers(table: Table, column: str, rows: Sequence[int]) -> np.ndarray[Any, Any]:
    """Float of every listed row (0-based); non-numbers raise with their row."""
    out = np.empty(len(rows))
    raw = table.columns[column]
    for i, r in enumerate(rows):
        text = raw[r]
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InputError(
                f"{_where(table, r + 1, column)}: value {text!r} is not a number"
            )
        out[i] = value
    return out


def _answer_error(
    table: Table,
    exc: AnswerError,
    rows: Sequence[int],
    *,
    answers: str,
    weights: str | None,
) -> InputError:
    """The library's answer or weight error, at its CSV row and column."""
    row = rows[exc.position] + 1
    col = exc.item or (weights if exc.what == "weight" and weights else answers)
    return InputError(
        f"{_where(table, row, col)}: {exc.what} {exc.shown_value} {exc.reason}"
    )


# --------------------------------------------------------------------------- options


def parse_scale(text: str) -> tuple[int, int]:
    """``"1-5"`` (also ``1..5``, ``1:5``, ``1–5``, ``-3-3``) → ``(1, 5)``."""
    match = re.fullmatch(r"\s*(-?\d+)\s*(?:-|–|\.\.|:|,)\s*(-?\d+)\s*", text)
    if not match:
        raise InputError(f"--scale {text!r} must look like MIN-MAX, e.g. 1-5")
    low, high = int(match.group(1)), int(match.group(2))
    if high <= low:
        raise InputError(f"--scale {text!r}: MAX must be above MIN")
    return low, high


def parse_codes(text: str | None) -> tuple[float, ...]:
    """``"98,99"`` → ``(98.0, 99.0)``."""
    if not text:
        return ()
    codes = []
    for part in text.split(","):
        try:
            codes.append(float(part))
        except ValueError:
            raise InputError(
                f"--na {text!r}: {part.strip()!r} is not a number"
            ) from None
    return tuple(codes)


def _scale_for(args: argparse.Namespace, na: tuple[float, ...]) -> Scale:
    defaults = {
        "nps": NPS_SCALE,
        "csat": CSAT_SCALE,
        "csi": CSAT_SCALE,
        "ces": CES2_SCALE if args.ces_version == 2 else CES1_SCALE,
    }
    base = defaults[args.kind]
    if args.scale:
        low, high = parse_scale(args.scale)
        if args.kind == "nps" and (low, high) != (0, 10):
            raise InputError(f"--scale {args.scale}: NPS is defined on 0-10 only")
        base = Scale(low, high, reverse=base.reverse, name=base.name)
    try:
        return Scale(
            base.low,
            base.high,
            labels=base.labels,
            reverse=base.reverse,
            na_codes=na,
            name=base.name,
        )
    except ValueError as exc:
        raise InputError(f"--na: {exc}") from None


# --------------------------------------------------------------------------- scoring


def _scorer(args: argparse.Namespace, scale: Scale) -> Callable[..., Any]:
    method = {"method": args.method} if args.method else {}
    if args.kind == "nps":
        return lambda data, **kw: nps(
            data, alpha=args.alpha, na_codes=scale.na_codes, **method, **kw
        )
    if args.kind == "csat":
        return lambda data, **kw: csat(
            data, scale=scale, top=args.top, alpha=args.alpha, **method, **kw
        )
    return lambda data, **kw: ces(
        data, version=args.ces_version, scale=scale, alpha=args.alpha, **kw
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Compute the requested score(s); returns the JSON-ready result."""
    if not 0 < args.alpha < 1:
        raise InputError(
            f"--alpha {args.alpha}: must be between 0 and 1 (0.05 gives 95%)"
        )
    columns = [c.strip() for c in args.column.split(",") if c.strip()]
    if not columns:
        raise InputError("--column: give a column name")
    if len(columns) > 1 and args.kind != "csi":
        raise InputError(
            f"--column: several columns are only for --kind csi, not {args.kind}"
        )
    na = parse_codes(args.na)
    scale = _scale_for(args, na)
    extra = [c for c in (args.by, args.weight) if c]
    table = read_columns(
        args.data, list(dict.fromkeys([*columns, *extra])), args.delimiter
    )
    if args.kind == "csi":
        return _run_csi(args, table, columns, scale)
    column = columns[0]
    answered = [r for r, text in enumerate(table.columns[column]) if text != ""]
    n_missing = table.n_rows - len(answered)
    if not answered:
        raise InputError(
            f"{table.path}: column {column!r} has no answers (all {table.n_rows} rows are blank)"
        )
    values = _numbers(table, column, answered)
    weights = _weights(table, args.weight, answered)
    score = _scorer(args, scale)
    try:
        if args.by is None:
            result: ScoreResult = score(values, weights=weights)
            return {
                **result.to_dict(),
                "n_missing": n_missing,
                "column": column,
                "kind": args.kind,
            }
        groups = _groups(table, args.by, answered)
        grouped = GroupedSummary.from_values(
            values, groups, scale=scale, weights=weights
        )
        per_group: GroupedScores = score(grouped)
        total: ScoreResult = score(grouped.total())
    except AnswerError as exc:
        raise _answer_error(
            table, exc, answered, answers=column, weights=args.weight
        ) from None
    except ValueError as exc:
        raise InputError(f"{table.path}: column {column!r}: {exc}") from None
    return {
        "groups": per_group.to_dict(),
        "total": {**total.to_dict(), "n_missing": n_missing},
        "column": column,
        "kind": args.kind,
        "by": args.by,
    }


def _weights(
    table: Table, column: str | None, rows: Sequence[int]
) -> np.ndarray[Any, Any] | None:
    if column is None:
        return None
    for r in rows:
        if table.columns[column][r] == "":
            raise InputError(f"{_where(table, r + 1, column)}: the weight is blank")
    w = _numbers(table, column, rows)
    # negative weights are refused by the library (AnswerError, mapped to the row)
    if not (w > 0).any():
        raise InputError(
            f"{table.path}: column {column!r}: all weights of the answered rows are zero"
        )
    return w


def _groups(table: Table, column: str, rows: Sequence[int]) -> list[str]:
    labels = []
    for r in rows:
        label = table.columns[column][r]
        if label == "":
            raise InputError(
                f"{_where(table, r + 1, column)}: the group label is blank"
            )
        labels.append(label)
    return labels


def _run_csi(
    args: argparse.Namespace, table: Table, columns: list[str], scale: Scale
) -> dict[str, Any]:
    rows = list(range(table.n_rows))
    matrix = np.full((len(rows), len(columns)), np.nan)
    for j, column in enumerate(columns):
        answered = [r for r in rows if table.columns[column][r] != ""]
        matrix[answered, j] = _numbers(table, column, answered)
    any_answer = [r for r in rows if not np.isnan(matrix[r]).all()]
    if not any_answer:
        raise InputError(f"{table.path}: columns {', '.join(columns)} have no answers")
    weights = _weights(table, args.weight, any_answer)
    sub = matrix[any_answer]

    def score(mask: np.ndarray[Any, Any] | None) -> dict[str, Any]:
        data = sub if mask is None else sub[mask]
        w = None if weights is None else (weights if mask is None else weights[mask])
        try:
            return csi(
                data, scale=scale, weights=w, alpha=args.alpha, names=columns
            ).to_dict()
        except AnswerError as exc:
            picked = (
                any_answer
                if mask is None
                else [any_answer[i] for i in np.flatnonzero(mask)]
            )
            raise _answer_error(
                table, exc, picked, answers=columns[0], weights=args.weight
            ) from None
        except ValueError as exc:
            raise InputError(f"{table.path}: {exc}") from None

    n_missing = table.n_rows - len(any_answer)
    total = {**score(None), "n_missing": n_missing, "columns": columns, "kind": "csi"}
    if args.by is None:
        return total
    groups = np.array(_groups(table, args.by, any_answer))
    return {
        "groups": {
            label: score(groups == label) for label in sorted(set(groups.tolist()))
        },
        "total": total,
        "columns": columns,
        "kind": "csi",
        "by": args.by,
    }


# --------------------------------------------------------------------------- output

_TITLES = {"nps": "NPS", "csat": "CSAT %", "ces": "CES (mean)", "csi": "CSI (0-100)"}


def _row(label: str, r: dict[str, Any], kind: str) -> list[str]:
    cells = [
        label,
        str(r["n"]),
        f"{r['value']:.1f}" if kind != "ces" else f"{r['value']:.2f}",
    ]
    cells.append(
        f"[{r['ci_low']:.1f}, {r['ci_high']:.1f}]"
        if kind != "ces"
        else f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
    )
    if kind == "nps":
        cells += [
            f"{100 * r['promoters']:.1f}",
            f"{100 * r['passives']:.1f}",
            f"{100 * r['detractors']:.1f}",
        ]
    if kind == "ces":
        cells.append(f"{100 * r['agree']:.1f}")
    return cells


def render_table(out: dict[str, Any], kind: str) -> str:
    """Readable table of the result (what ``--json`` would print, for people)."""
    alpha = out.get("total", out)["alpha"]
    head = ["group", "n", _TITLES[kind], f"{100 * (1 - alpha):g}% CI"]
    if kind == "nps":
        head += ["promoters %", "passives %", "detractors %"]
    if kind == "ces":
        head.append(
            "agree %"
            if out.get("total", out).get("version", 2) == 2
            else "low effort %"
        )
    rows = [head]
    if "groups" in out:
        rows += [_row(label, r, kind) for label, r in out["groups"].items()]
        rows.append(_row("total", out["total"], kind))
    else:
        rows.append(_row("all", out, kind))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    total = out.get("total", out)
    note = f"method: {total['method']}; n_na: {total['n_na']}; n_missing (blank): {total['n_missing']}"
    if total.get("weighted"):
        note += f"; weighted, n_effective {total['n_effective']:.1f}, design effect {total['design_effect']:.2f}"
    return "\n".join([*lines, note])


def main(argv: list[str]) -> int:
    """Entry point of ``satisfy metrics``; returns the exit code (2 on bad input)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        out = run(args)
    except InputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(out, allow_nan=False))
    else:
        print(render_table(out, args.kind))
    return 0
