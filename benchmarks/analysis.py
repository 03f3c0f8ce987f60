"""Benchmark of the "why" analytics: ECSI fits, bootstrap and Shapley/LMG.

Run: ``.venv/bin/python benchmarks/analysis.py [--quick]``. Prints one line per figure
with the target from issue #4. Workloads:

* ECSI model (7 latent variables, 24 items, 1–10 scale) on 250 respondents: the real
  ``mobi`` data when ``../shared/data/survey-anchors/mobi.csv`` is there, otherwise a
  synthetic sample drawn from the ECSI structure;
* the same model on 1,000,000 synthetic respondents (answers as a dict of float
  columns, as a report query would hand them over), fitted from raw answers and from
  moments accumulated in chunks (the mergeable-summary path);
* 5,000 bootstrap resamples of the 250 × 24 fit, on 2 processes;
* exact Shapley/LMG with 15 drivers (32,768 sub-models) on 1,000 respondents.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from satisfy.analytics.acsi import ECSI_MODEL, match_columns
from satisfy.analytics.drivers import key_drivers
from satisfy.analytics.pls import PathModel, pls_from_moments, pls_path_model

ANCHORS = Path(
    os.environ.get(
        "SATISFY_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)


def synthetic_ecsi(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Answers on 1–10 generated from the ECSI inner model (standardised paths)."""
    rng = np.random.default_rng(seed)
    image = rng.normal(size=n)
    expectation = 0.5 * image + rng.normal(scale=0.87, size=n)
    quality = 0.55 * expectation + rng.normal(scale=0.83, size=n)
    value = 0.1 * expectation + 0.55 * quality + rng.normal(scale=0.8, size=n)
    satisfaction = (
        0.18 * image
        + 0.06 * expectation
        + 0.5 * quality
        + 0.2 * value
        + rng.normal(scale=0.56, size=n)
    )
    complaints = 0.53 * satisfaction + rng.normal(scale=0.85, size=n)
    loyalty = (
        0.2 * image
        + 0.48 * satisfaction
        + 0.07 * complaints
        + rng.normal(scale=0.73, size=n)
    )
    latent = {
        "Image": image,
        "Expectation": expectation,
        "Quality": quality,
        "Value": value,
        "Satisfaction": satisfaction,
        "Complaints": complaints,
        "Loyalty": loyalty,
    }
    data: dict[str, np.ndarray] = {}
    for lv, items in ECSI_MODEL.blocks.items():
        for item in items:
            raw = 7.0 + 1.4 * latent[lv] + rng.normal(scale=1.0, size=n)
            data[item] = np.clip(np.round(raw), 1, 10)
    return data


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def moments_in_chunks(
    data: dict[str, np.ndarray], columns: list[str], chunk: int = 448
) -> tuple[dict[str, float], np.ndarray, int]:
    """Mergeable summary: n, Σx, Σxxᵀ accumulated chunk by chunk (shifted for accuracy)."""
    n_total = len(next(iter(data.values())))
    shift = np.array([data[c][0] for c in columns])
    p = len(columns)
    s1 = np.zeros(p)
    s2 = np.zeros((p, p))
    for start in range(0, n_total, chunk):
        block = (
            np.column_stack([data[c][start : start + chunk] for c in columns]) - shift
        )
        s1 += block.sum(axis=0)
        s2 += block.T @ block
    mean = s1 / n_total
    cov = (s2 - n_total * np.outer(mean, mean)) / (n_total - 1)
    return dict(zip(columns, mean + shift, strict=True)), cov, n_total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="500 resamples instead of 5,000"
    )
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'default')}"
    )

    mobi_path = ANCHORS / "survey-anchors" / "mobi.csv"
    model: PathModel
    if mobi_path.is_file():
        import pandas as pd

        frame = pd.read_csv(mobi_path, index_col=0)
        model = match_columns(ECSI_MODEL, frame.columns)
        small = {c: frame[c].to_numpy(dtype=float) for c in model.indicators}
        source = "mobi.csv"
    else:
        small, model, source = synthetic_ecsi(250), ECSI_MODEL, "synthetic"
    t = timed(lambda: pls_path_model(small, model), repeat=50)
    print(f"ECSI fit, 250 x 24 ({source}): {t * 1000:.1f} ms (target < 20 ms)")

    big = synthetic_ecsi(1_000_000, seed=1)
    t_raw = timed(lambda: pls_path_model(big, ECSI_MODEL), repeat=3)
    print(f"ECSI fit, 1,000,000 x 24 from raw answers: {t_raw:.2f} s (target < 2 s)")
    cols = list(ECSI_MODEL.indicators)

    def from_moments() -> object:
        means, cov, n = moments_in_chunks(big, cols)
        return pls_from_moments(means, cov, cols, n, ECSI_MODEL)

    t_mom = timed(from_moments, repeat=3)
    print(f"ECSI fit, 1,000,000 x 24 via chunked moments: {t_mom:.2f} s")
    means, cov, n = moments_in_chunks(big, cols)
    t_fit = timed(lambda: pls_from_moments(means, cov, cols, n, ECSI_MODEL), repeat=20)
    print(f"ECSI fit from ready moments (any n): {t_fit * 1000:.1f} ms")

    resamples = 500 if args.quick else 5_000
    start = time.perf_counter()
    res = pls_path_model(small, model, bootstrap=resamples, random_state=1, n_jobs=2)
    t_boot = time.perf_counter() - start
    failed = res.bootstrap.n_failed if res.bootstrap else -1
    print(
        f"Bootstrap, {resamples:,} resamples of 250 x 24 on 2 processes: {t_boot:.1f} s (target < 30 s; {failed} failed)"
    )
    start = time.perf_counter()
    pls_path_model(
        small, model, bootstrap=min(resamples, 1000), random_state=1, n_jobs=1
    )
    t_one = time.perf_counter() - start
    print(f"Bootstrap, {min(resamples, 1000):,} resamples on 1 process: {t_one:.1f} s")

    rng = np.random.default_rng(3)
    x = rng.normal(size=(1000, 15)) @ rng.normal(scale=0.3, size=(15, 15)) + rng.normal(
        size=(1000, 15)
    )
    y = x @ rng.uniform(0, 1, 15) + rng.normal(size=1000)
    drivers = {f"d{k}": x[:, k] for k in range(15)} | {"y": y}
    t = timed(
        lambda: key_drivers(drivers, "y", [f"d{k}" for k in range(15)], method="lmg"),
        repeat=5,
    )
    print(
        f"Shapley/LMG, 15 drivers (32,768 sub-models), 1,000 rows: {t * 1000:.0f} ms (target < 1 s)"
    )


if __name__ == "__main__":
    main()
