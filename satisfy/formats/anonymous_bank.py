"""The Technion "Anonymous Bank" call-centre log (1999), read into ``InteractionRecords``.

Data source: Anonymous Bank call-center data, Technion Service Enterprise
Engineering (SEE) Center, organised by Ilan Guedj and Avishai Mandelbaum
("Anonymous Bank Call-Center Data", documentation of 9 Feb 2000). The data is
free for use with acknowledgement of the source.

Rules (see ``docs/data-formats.md``):

- ``PHANTOM`` calls are virtual: dropped and counted in ``excluded["phantom"]``.
- ``HANG`` without queueing (``q_start`` = ``0:00:00``) is an IVR abandon
  (outcome ``abandoned_ivr``); ``HANG`` after queueing is ``abandoned_queue``;
  ``AGENT`` is ``answered``.
- The wait is ``q_time`` (0 for calls served without queueing), talk time is
  ``ser_time``; the log has no hold or after-call-work field.
- Clock times are H:MM:SS on the call's ``date`` (YYMMDD); a time more than
  12 hours *before* ``vru_entry`` belongs to the next day (midnight
  wrap-around, not an error).
- A negative recorded duration is reported by row. Negative ``vru_time``
  values (``vru_exit`` a few seconds to minutes before ``vru_entry``, 25 rows in
  February 1999) are clock inconsistencies, not midnight wraps: the call is kept
  (its queue wait and talk time are sound), its IVR time is set to unknown and
  the row is listed in ``warnings``. A negative ``q_time`` or ``ser_time``, an
  unparseable time or date, or an unknown outcome rejects the file.
- ``customer_id`` 0 means "not identified" and becomes "".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from satisfy.formats.interactions_csv import (
    InteractionFileError,
    InteractionRecords,
    RowIssue,
)

__all__ = ["COLUMNS", "read_anonymous_bank"]

#: The 17 columns of the log, in file order.
COLUMNS = (
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
)
_CLOCKS = ("vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit")
_DURATIONS = ("vru_time", "q_time", "ser_time")
_OUTCOMES = ("AGENT", "HANG", "PHANTOM")
_DAY = 86_400
_HALF_DAY = 43_200
_MAX_LISTED = 50


def _read_frame(path: Path) -> pd.DataFrame:
    source = str(path)
    try:
        df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
        if df.shape[1] == 1 and " " in str(df.columns[0]).strip():
            df = pd.read_csv(path, sep=r"\s+", dtype=str, keep_default_na=False)
        df = df.apply(lambda c: c.str.strip())
    except OSError as exc:
        raise InteractionFileError(
            source, f"cannot read the file: {exc.strerror}"
        ) from exc
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InteractionFileError(
            source, f"cannot parse as a tab-separated log: {exc}"
        ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    found = list(df.columns)
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        raise InteractionFileError(
            source,
            f"missing column(s) {', '.join(missing)}. Expected the 17 Anonymous Bank "
            f"columns: {' '.join(COLUMNS)}; found: {' '.join(found) or '(none)'}",
        )
    return df


def read_anonymous_bank(path: str | Path) -> InteractionRecords:
    """Read one month of the Anonymous Bank log (tab-separated, header line).

    Parameters
    ----------
    path
        The ``data_anonymous_bank_<month>.txt`` file (CRLF or LF line endings;
        whitespace-separated copies are accepted too).

    Returns
    -------
    InteractionRecords
        PHANTOM calls removed (``excluded["phantom"]``); IVR abandons kept with
        outcome ``abandoned_ivr``; anomalies in ``warnings``;
        ``extra`` holds ``priority`` (int) and ``vru_line`` (str).

    Raises
    ------
    InteractionFileError
        Missing columns (listing expected and found), or values that cannot be
        read, each reported by row (the header is line 1).
    """
    p = Path(path)
    source = str(path)
    df = _read_frame(p)
    n = len(df)
    rows = np.arange(2, n + 2, dtype=np.int64)
    errors: list[RowIssue] = []
    total_errors = 0

    def report(mask: npt.NDArray[np.bool_], column: str, message: str) -> None:
        nonlocal total_errors
        idx = np.flatnonzero(mask)
        total_errors += idx.size
        values = df[column].to_numpy()
        for i in idx[:_MAX_LISTED]:
            errors.append(RowIssue(int(rows[i]), column, message, str(values[i])))

    clocks: dict[str, npt.NDArray[np.int64]] = {}
    for col in _CLOCKS:
        text = df[col]
        seconds = pd.to_timedelta(text, errors="coerce").dt.total_seconds().to_numpy()
        ok = text.str.fullmatch(r"\d{1,2}:\d{2}:\d{2}").to_numpy(dtype=np.bool_).copy()
        ok &= ~np.isnan(seconds) & (np.nan_to_num(seconds, nan=-1.0) < _DAY)
        report(~ok, col, "not a clock time H:MM:SS")
        clocks[col] = np.where(ok, np.nan_to_num(seconds), 0).astype(np.int64)

    durations: dict[str, npt.NDArray[np.float64]] = {}
    for col in _DURATIONS:
        values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=np.float64)
        report(np.isnan(values), col, "not a whole number of seconds")
        durations[col] = values

    date_text = df["date"]
    dates = pd.to_datetime(date_text, format="%y%m%d", errors="coerce")
    report(dates.isna().to_numpy(), "date", "not a date YYMMDD")
    outcome_raw = df["outcome"].to_numpy(dtype=object)
    report(
        ~np.isin(outcome_raw, _OUTCOMES),
        "outcome",
        "unknown outcome; expected AGENT, HANG or PHANTOM",
    )
    priority = pd.to_numeric(df["priority"], errors="coerce").to_numpy(dtype=np.float64)
    report(np.isnan(priority), "priority", "not a number")

    phantom = outcome_raw == "PHANTOM"
    keep = ~phantom
    # Negative durations: the queue and service ones reject the file; the IVR one
    # is a known clock inconsistency of this log (kept, reported as a warning).
    for col in ("q_time", "ser_time"):
        report(keep & (durations[col] < 0), col, "negative duration")
    if total_errors:
        raise InteractionFileError(
            source, "the file was not imported", tuple(errors), total_errors
        )

    entry = clocks["vru_entry"]
    negative_ivr = keep & (durations["vru_time"] < 0)
    warnings = [
        RowIssue(
            int(rows[i]),
            "vru_time",
            f"negative IVR time: vru_exit {df['vru_exit'].iat[i]} is before vru_entry "
            f"{df['vru_entry'].iat[i]} (clock inconsistency, not a midnight wrap); "
            "IVR time set to unknown, call kept",
            str(df["vru_time"].iat[i]),
        )
        for i in np.flatnonzero(negative_ivr)
    ]
    # Recorded durations should match the clocks modulo 24 h; flag any that do not.
    for start, end, col in (
        ("q_start", "q_exit", "q_time"),
        ("ser_start", "ser_exit", "ser_time"),
    ):
        expected = (clocks[end] - clocks[start]) % _DAY
        mismatch = (
            keep & (durations[col] >= 0) & (np.abs(expected - durations[col]) > 2)
        )
        warnings.extend(
            RowIssue(
                int(rows[i]),
                col,
                f"{col} differs from {end} - {start} ({expected[i]} s); recorded value used",
                str(df[col].iat[i]),
            )
            for i in np.flatnonzero(mismatch)
        )
    warnings.sort(key=lambda w: (w.row, w.column))

    midnight = dates.to_numpy(dtype="datetime64[s]")

    def absolute(col: str) -> npt.NDArray[np.datetime64]:
        t = clocks[col]
        # A clock more than 12 h before the entry is on the next day (midnight wrap).
        t = t + np.where(entry - t > _HALF_DAY, _DAY, 0)
        out: npt.NDArray[np.datetime64] = midnight + t.astype("timedelta64[s]")
        return out

    nat = np.datetime64("NaT", "s")
    answered = outcome_raw == "AGENT"
    queued = df["q_start"].to_numpy(dtype=object) != "0:00:00"
    outcome = np.where(
        answered, "answered", np.where(queued, "abandoned_queue", "abandoned_ivr")
    ).astype(object)
    arrived = absolute("vru_entry")
    ivr_exit = np.where(negative_ivr, nat, absolute("vru_exit"))
    queue_start = np.where(queued, absolute("q_start"), nat)
    # "0:00:00" start and exit with 0 s means "not recorded" (85 AGENT rows in Feb 1999).
    served_recorded = ~(
        (df["ser_start"] == "0:00:00") & (df["ser_exit"] == "0:00:00")
    ).to_numpy()
    left_queue = np.where(queued, absolute("q_exit"), ivr_exit)
    answered_at = np.where(
        answered, np.where(served_recorded, absolute("ser_start"), left_queue), nat
    )
    ended = np.where(
        answered,
        np.where(served_recorded, absolute("ser_exit"), left_queue),
        np.where(queued, absolute("q_exit"), absolute("vru_exit")),
    )
    ivr_seconds = np.where(negative_ivr, np.nan, durations["vru_time"])
    wait = np.where(queued, durations["q_time"], np.where(answered, 0.0, np.nan))
    talk = np.where(answered, durations["ser_time"], np.nan)
    server = df["server"].to_numpy(dtype=object)
    agent = np.where(server == "NO_SERVER", "", server).astype(object)
    customer = df["customer_id"].to_numpy(dtype=object)
    customer = np.where((customer == "0") | (customer == ""), "", customer).astype(
        object
    )
    vru_line = df["vru+line"].to_numpy(dtype=object)
    external_id = (df["vru+line"] + "-" + date_text + "-" + df["call_id"]).to_numpy(
        dtype=object
    )
    empty = np.full(n, "", dtype=object)
    unknown = np.full(n, np.nan)

    k = keep
    return InteractionRecords(
        source=source,
        format="anonymous-bank",
        rows_read=n,
        excluded={"phantom": int(phantom.sum())},
        warnings=tuple(warnings),
        source_row=rows[k],
        external_id=external_id[k],
        channel=np.full(int(k.sum()), "voice", dtype=object),
        queue=df["type"].to_numpy(dtype=object)[k],
        unit=empty[k],
        agent=agent[k],
        customer_id=customer[k],
        reason_code=empty[k],
        outcome=outcome[k],
        arrived_at=arrived[k],
        ivr_exited_at=ivr_exit.astype("datetime64[s]")[k],
        queue_started_at=queue_start.astype("datetime64[s]")[k],
        answered_at=answered_at.astype("datetime64[s]")[k],
        ended_at=ended.astype("datetime64[s]")[k],
        ivr_seconds=ivr_seconds[k],
        wait_seconds=wait[k],
        talk_seconds=talk[k],
        hold_seconds=unknown[k],
        after_call_work_seconds=unknown[k],
        transfers=unknown[k],
        is_escalated=unknown[k],
        is_resolved=unknown[k],
        extra={"priority": priority[k].astype(np.int64), "vru_line": vru_line[k]},
    )
