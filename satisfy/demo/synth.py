"""The synthetic contact centre behind ``satisfy demo``, generated from one seed.

Pure NumPy and the standard library: no Django, no database, no clock. Everything
is drawn from ``numpy.random.default_rng(seed)`` in a fixed order, so the same seed,
scale and dates give the same data set. Times are seconds of local wall-clock time
after midnight of ``first_day``; the loader turns them into datetimes.

The model that turns an interaction into survey answers (wait, resolution,
transfers and agent treatment → satisfaction) is written down, with every
coefficient, in ``docs/demo.md``; the constants below are that model, so the
document and the data cannot drift apart silently (tests check the effects).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from satisfy.demo.comments import pick_comments
from satisfy.demo.names import draw_names

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

DEFAULT_SEED = 20240601
DAYS = 91
"""Thirteen full weeks of interactions, ending at midnight before ``today``."""

BASE_INTERACTIONS = 50_000
BASE_CUSTOMERS = 10_000

# Organisation ------------------------------------------------------------------
COMPANY = ("acme-support", "Acme Support")
REGIONS = (("acme-north", "North"), ("acme-south", "South"))
BRANCHES = (
    # code, name, region index, wait multiplier (staffing: Southbank is short of staff)
    ("acme-northgate", "Northgate", 0, 1.00),
    ("acme-lakeside", "Lakeside", 0, 0.85),
    ("acme-harbourview", "Harbourview", 1, 1.05),
    ("acme-southbank", "Southbank", 1, 1.35),
)
TEAM_KINDS = (
    ("billing", "Billing"),
    ("technical", "Technical"),
    ("service", "Customer Service"),
)
AGENTS_PER_TEAM = 10
PERSONA_AGENT_CODE = "acme-a001"
"""The agent row that the persona ``carol`` is linked to (first agent of Northgate Billing)."""
PERSONA_AGENT_NAME = "Carol Jones"

# Channels, queues and call types -----------------------------------------------
CHANNELS = ("voice", "chat", "email")
CHANNEL_SHARES = (0.70, 0.20, 0.10)
QUEUES = ("billing", "tech_support", "accounts", "sales", "complaints")
QUEUE_SHARES = (0.30, 0.30, 0.18, 0.12, 0.10)
QUEUE_TEAM_KIND = (0, 1, 2, 2, 2)
"""Which team kind (index into TEAM_KINDS) serves each queue."""
REASONS: tuple[tuple[str, ...], ...] = (
    ("bill_query", "payment", "refund", "direct_debit"),
    ("no_service", "slow_internet", "device_setup", "outage"),
    ("change_details", "move_home", "close_account", "password_reset"),
    ("new_plan", "upgrade", "roaming_addon"),
    ("service_complaint", "billing_dispute", "repeat_problem"),
)
QUEUE_RESOLUTION_LOGIT = (1.8, 0.9, 1.6, 1.7, 0.5)
QUEUE_TRANSFER_PROB = (0.08, 0.15, 0.10, 0.07, 0.20)
QUEUE_ESCALATION_PROB = (0.02, 0.03, 0.02, 0.01, 0.12)
QUEUE_TALK_MEDIAN_SECONDS = (240.0, 420.0, 300.0, 360.0, 480.0)
OUTAGE_DAYS = (52, 53, 54)
"""Days (from ``first_day``) of a network outage: more tech calls, longer waits."""
OUTAGE_VOLUME_FACTOR = 1.35
OUTAGE_WAIT_FACTOR = 1.8
OUTAGE_TECH_SHARE = 0.60

# Customers ---------------------------------------------------------------------
LANGUAGES = ("en", "zh-Hans", "es")
LANGUAGE_SHARES = (0.60, 0.20, 0.20)
TIERS = ("standard", "silver", "gold")
TIER_SHARES = (0.70, 0.20, 0.10)
CONSUMPTION_LEVELS = ("low", "medium", "high")
SEGMENTS = ("consumer", "small_business", "corporate")
SEGMENT_SHARES = (0.78, 0.17, 0.05)
REGION_SHARES = (0.55, 0.45)
OVERFLOW_PROB = 0.15
"""Share of interactions routed to a branch of the other region."""
SIBLING_PROB = 0.10
"""Share routed to the other branch of the customer's own region."""

# Outcomes ----------------------------------------------------------------------
OUTCOMES = ("answered", "abandoned_queue", "abandoned_ivr")
IVR_ABANDON_PROB = 0.02
PATIENCE_MEAN_SECONDS = {"voice": 900.0, "chat": 1200.0}
CALLBACK_PROB = 0.35
"""Chance that an unresolved interaction is followed by the same customer again."""

# Invitations -------------------------------------------------------------------
INVITATION_CHANNELS = ("email", "sms", "web")
INVITE_PROB = 0.90
MIN_DAYS_BETWEEN_INVITATIONS = 7
BOUNCE_PROB = (0.04, 0.02, 0.0)
OPEN_PROB = (0.45, 0.50, 0.60)
OPEN_DELAY_MEDIAN_SECONDS = (3600.0, 900.0, 20.0)
START_PROB = 0.77
COMPLETE_PROB = 0.85
INVITATION_STATUSES = (
    "queued",
    "sent",
    "delivered",
    "bounced",
    "opened",
    "started",
    "completed",
    "expired",
)

# The satisfaction model (docs/demo.md, "Ground truth") ---------------------------
QUESTION_ORDER = (
    "csat_overall",
    "access",
    "resolution",
    "treatment",
    "ces",
    "nps",
    "repurchase",
    "comment",
)
"""The post-contact template's questions in the order a respondent meets them."""


@dataclass(frozen=True, slots=True)
class SatisfactionModel:
    """Coefficients of the latent satisfaction model (see docs/demo.md)."""

    access_intercept: float = 4.3
    access_per_wait_minute: float = -0.30
    access_free_wait_minutes: float = 2.0
    access_per_email_hour: float = -0.10
    access_free_email_hours: float = 4.0
    access_per_transfer: float = -0.25
    resolution_intercept: float = 4.3
    resolution_unresolved: float = -2.2
    resolution_per_transfer: float = -0.20
    treatment_intercept: float = 4.3
    agent_effect_sd: float = 0.40
    halo_sd: float = 0.50
    item_noise_sd: float = 0.70
    overall_weight_access: float = 0.25
    overall_weight_resolution: float = 0.45
    overall_weight_treatment: float = 0.30
    overall_unresolved: float = -0.5
    overall_noise_sd: float = 0.35
    ces_weight_access: float = 0.35
    ces_weight_resolution: float = 0.65
    ces_per_transfer: float = -0.30
    ces_noise_sd: float = 0.60
    nps_intercept: float = -2.6
    nps_slope: float = 2.6
    nps_noise_sd: float = 1.0
    repurchase_intercept: float = 0.9
    repurchase_slope: float = 0.8
    repurchase_noise_sd: float = 0.6
    na_prob: float = 0.03
    comment_prob: float = 0.30
    comment_prob_dissatisfied: float = 0.50


MODEL = SatisfactionModel()


# Results -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class UnitPlan:
    code: str
    name: str
    kind: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class AgentPlan:
    code: str
    name: str
    team_code: str
    treatment_effect: float
    skill: float


@dataclass(frozen=True, slots=True)
class CustomerTable:
    name: tuple[str, ...]
    region: IntArray
    branch: IntArray
    """Home branch (index into BRANCHES), in the customer's region."""
    tier: IntArray
    language: IntArray
    consumption: IntArray
    segment: IntArray
    has_consent: BoolArray
    is_opted_out: BoolArray

    def __len__(self) -> int:
        return len(self.name)


@dataclass(frozen=True, slots=True)
class InteractionTable:
    """One row per interaction; times in seconds after ``first_day`` midnight."""

    customer: IntArray
    channel: IntArray
    queue: IntArray
    reason: IntArray
    team: IntArray
    """Index into the teams of the plan (the team the interaction was routed to)."""
    agent: IntArray
    """Index into the agents of the plan, -1 when nobody answered."""
    arrived: FloatArray
    ivr: FloatArray
    """Seconds in the phone menu before queueing (voice; 0 for chat and e-mail)."""
    wait: FloatArray
    """Seconds in the queue (e-mail: until the first reply); 0 for IVR abandons."""
    talk: FloatArray
    hold: FloatArray
    after_call_work: FloatArray
    outcome: IntArray
    transfers: IntArray
    is_escalated: BoolArray
    resolved: IntArray
    """1 resolved, 0 not resolved, -1 unknown (abandoned)."""

    def __len__(self) -> int:
        return len(self.arrived)

    @property
    def is_answered(self) -> BoolArray:
        answered: BoolArray = self.outcome == 0
        return answered

    @property
    def ended(self) -> FloatArray:
        return self.arrived + self.ivr + self.wait + self.talk + self.hold


@dataclass(frozen=True, slots=True)
class InvitationTable:
    """One row per invitation; stage times are NaN when the stage was not reached."""

    interaction: IntArray
    channel: IntArray
    created: FloatArray
    sent: FloatArray
    delivered: FloatArray
    bounced: FloatArray
    opened: FloatArray
    started: FloatArray
    completed: FloatArray
    expires: FloatArray
    status: IntArray

    def __len__(self) -> int:
        return len(self.created)


@dataclass(frozen=True, slots=True)
class ResponseTable:
    """One row per started invitation (complete or partial)."""

    invitation: IntArray
    is_complete: BoolArray
    started: FloatArray
    updated: FloatArray
    completed: FloatArray
    progress: FloatArray
    """Share of the survey's pages the respondent finished (1.0 when complete)."""
    scores: dict[str, FloatArray]
    """Answer value per numeric question code (NaN where not applicable)."""
    is_na: dict[str, BoolArray]
    comments: tuple[str, ...]
    """The open comment, ``""`` when none was left."""

    def __len__(self) -> int:
        return len(self.invitation)


@dataclass(frozen=True, slots=True)
class DemoData:
    seed: int
    scale: float
    first_day: date
    units: tuple[UnitPlan, ...]
    teams: tuple[str, ...]
    """Team codes, the targets of ``InteractionTable.team``."""
    agents: tuple[AgentPlan, ...]
    customers: CustomerTable
    interactions: InteractionTable
    invitations: InvitationTable
    responses: ResponseTable
    latent: dict[str, FloatArray] = field(default_factory=dict)
    """Latent item scores per response (for checking the ground truth)."""


# Organisation --------------------------------------------------------------------
def _org(
    rng: np.random.Generator,
) -> tuple[tuple[UnitPlan, ...], tuple[str, ...], tuple[AgentPlan, ...]]:
    units = [UnitPlan(COMPANY[0], COMPANY[1], "company", None)]
    units += [UnitPlan(code, name, "region", COMPANY[0]) for code, name in REGIONS]
    teams: list[str] = []
    for code, name, region, _factor in BRANCHES:
        units.append(UnitPlan(code, name, "branch", REGIONS[region][0]))
        for kind_code, kind_name in TEAM_KINDS:
            team_code = f"{code}-{kind_code}"
            units.append(UnitPlan(team_code, f"{name} {kind_name}", "team", code))
            teams.append(team_code)
    n_agents = len(teams) * AGENTS_PER_TEAM
    language = rng.choice(len(LANGUAGES), size=n_agents, p=(0.7, 0.15, 0.15))
    names = list(draw_names(rng, language))
    names[0] = PERSONA_AGENT_NAME
    effects = rng.normal(0.0, MODEL.agent_effect_sd, size=n_agents)
    skills = rng.normal(0.0, 0.4, size=n_agents)
    agents = tuple(
        AgentPlan(
            code=f"acme-a{index + 1:03d}",
            name=names[index],
            team_code=teams[index // AGENTS_PER_TEAM],
            treatment_effect=float(effects[index]),
            skill=float(skills[index]),
        )
        for index in range(n_agents)
    )
    return tuple(units), tuple(teams), agents


# Customers -----------------------------------------------------------------------
def _customers(rng: np.random.Generator, n: int) -> CustomerTable:
    language = rng.choice(len(LANGUAGES), size=n, p=LANGUAGE_SHARES)
    tier = rng.choice(len(TIERS), size=n, p=TIER_SHARES)
    # Richer tiers consume more: level = tier + noise, cut into low/medium/high.
    consumption = np.clip(np.rint(tier * 0.8 + rng.normal(0.6, 0.7, size=n)), 0, 2)
    region = rng.choice(len(REGION_SHARES), size=n, p=REGION_SHARES)
    return CustomerTable(
        name=draw_names(rng, language),
        region=region,
        branch=region * 2 + rng.integers(2, size=n),
        tier=tier,
        language=language,
        consumption=consumption.astype(np.int64),
        segment=rng.choice(len(SEGMENTS), size=n, p=SEGMENT_SHARES),
        has_consent=rng.random(n) < 0.97,
        is_opted_out=rng.random(n) < 0.01,
    )


# Arrivals ------------------------------------------------------------------------
# Relative arrivals per hour of the day (index 0..23), zero when the channel is closed.
_VOICE_WEEKDAY = np.zeros(24)
_VOICE_WEEKDAY[8:20] = (
    0.55,
    0.95,
    1.25,
    1.30,
    1.00,
    1.05,
    1.20,
    1.15,
    1.00,
    0.80,
    0.55,
    0.40,
)
_VOICE_SATURDAY = np.zeros(24)
_VOICE_SATURDAY[9:17] = (0.6, 0.9, 1.0, 1.0, 0.8, 0.8, 0.7, 0.5)
_VOICE_SUNDAY = np.zeros(24)
_VOICE_SUNDAY[10:16] = (0.6, 0.8, 0.8, 0.7, 0.6, 0.5)
_CHAT_WEEKDAY = np.zeros(24)
_CHAT_WEEKDAY[8:22] = (
    0.4,
    0.8,
    1.0,
    1.1,
    1.1,
    1.0,
    1.0,
    1.0,
    0.9,
    0.9,
    1.0,
    1.1,
    0.9,
    0.6,
)
_CHAT_WEEKEND = np.zeros(24)
_CHAT_WEEKEND[9:18] = (0.5, 0.8, 0.9, 0.9, 0.9, 0.9, 0.8, 0.7, 0.6)
_EMAIL = np.array(
    [
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.4,
        0.7,
        1.0,
        1.3,
        1.4,
        1.3,
        1.1,
        1.2,
        1.3,
        1.2,
        1.1,
        1.0,
        0.9,
        0.9,
        0.8,
        0.7,
        0.5,
        0.3,
    ]
)
# Monday is the busiest day; weekends are quiet.
_WEEKDAY_FACTOR = {
    "voice": (1.25, 1.10, 1.00, 1.00, 0.95, 0.45, 0.20),
    "chat": (1.15, 1.05, 1.00, 1.00, 1.00, 0.60, 0.45),
    "email": (1.20, 1.05, 1.00, 1.00, 0.95, 0.50, 0.40),
}
_MEAN_WAIT_SECONDS = {"voice": 30.0, "chat": 20.0}
_WAIT_LOAD_SLOPE = {"voice": 1.8, "chat": 1.5}


def _hour_profile(channel: str, weekday: int) -> NDArray[np.float64]:
    if channel == "voice":
        return (
            _VOICE_WEEKDAY
            if weekday < 5
            else _VOICE_SATURDAY
            if weekday == 5
            else _VOICE_SUNDAY
        )
    if channel == "chat":
        return _CHAT_WEEKDAY if weekday < 5 else _CHAT_WEEKEND
    return _EMAIL


def _load_matrix(channel: str, first_day: date) -> NDArray[np.float64]:
    """Expected arrivals per (day, hour), up to a constant."""
    weights = np.zeros((DAYS, 24))
    for day in range(DAYS):
        weekday = (first_day + timedelta(days=day)).weekday()
        factor = _WEEKDAY_FACTOR[channel][weekday]
        if day in OUTAGE_DAYS:
            factor *= OUTAGE_VOLUME_FACTOR
        # A slow growth of 0.3% a week, as a growing customer base brings.
        factor *= 1.0 + 0.003 * day / 7
        weights[day] = _hour_profile(channel, weekday) * factor
    return weights


def _interactions(
    rng: np.random.Generator,
    n: int,
    first_day: date,
    customers: CustomerTable,
    teams: tuple[str, ...],
    agents: tuple[AgentPlan, ...],
) -> InteractionTable:
    counts = rng.multinomial(n, CHANNEL_SHARES)
    parts: list[dict[str, NDArray[np.float64] | NDArray[np.int64]]] = []
    day_noise = rng.lognormal(0.0, 0.25, size=DAYS)  # staffing luck of the day
    for channel_index, channel in enumerate(CHANNELS):
        weights = _load_matrix(channel, first_day)
        flat = weights.ravel() / weights.sum()
        cells = rng.choice(flat.size, size=counts[channel_index], p=flat)
        day, hour = np.divmod(cells, 24)
        arrived = day * 86400.0 + hour * 3600.0 + rng.random(cells.size) * 3600.0
        open_load = weights[weights > 0].mean()
        load = weights[day, hour] / open_load
        parts.append(
            {
                "channel": np.full(cells.size, channel_index),
                "arrived": arrived,
                "day": day,
                "load": load,
            }
        )
    channel_arr = np.concatenate([p["channel"] for p in parts]).astype(np.int64)
    arrived = np.concatenate([p["arrived"] for p in parts]).astype(np.float64)
    day = np.concatenate([p["day"] for p in parts]).astype(np.int64)
    load = np.concatenate([p["load"] for p in parts]).astype(np.float64)
    order = np.argsort(arrived, kind="stable")
    channel_arr, arrived, day, load = (
        channel_arr[order],
        arrived[order],
        day[order],
        load[order],
    )
    size = arrived.size

    # Queue and call type; during the outage most calls are about the network.
    queue = rng.choice(len(QUEUES), size=size, p=QUEUE_SHARES)
    outage = np.isin(day, OUTAGE_DAYS)
    queue[outage & (rng.random(size) < OUTAGE_TECH_SHARE)] = 1
    reason = np.array(
        [rng.integers(len(REASONS[q])) for q in queue.tolist()], dtype=np.int64
    )
    reason[outage & (queue == 1)] = REASONS[1].index("outage")

    # Customers: a few call often, most call rarely.
    propensity = rng.gamma(1.2, 1.0, size=len(customers))
    customer = rng.choice(len(customers), size=size, p=propensity / propensity.sum())

    # Routing: the customer's home branch, else its sibling, else the other region.
    branch = customers.branch[customer].copy()
    draw = rng.random(size)
    sibling = draw < SIBLING_PROB
    branch[sibling] = branch[sibling] ^ 1
    overflow = (draw >= SIBLING_PROB) & (draw < SIBLING_PROB + OVERFLOW_PROB)
    branch[overflow] = (1 - branch[overflow] // 2) * 2 + rng.integers(
        2, size=int(overflow.sum())
    )
    team_kind = np.asarray(QUEUE_TEAM_KIND)[queue]
    team = branch * len(TEAM_KINDS) + team_kind
    # Agents share their team's work unevenly (part-timers, seniors on hard calls).
    agent_share = rng.gamma(5.0, 1.0, size=len(agents))
    team_agents = np.arange(len(agents)).reshape(len(teams), AGENTS_PER_TEAM)
    agent = np.empty(size, dtype=np.int64)
    for team_index in range(len(teams)):
        rows = np.flatnonzero(team == team_index)
        members = team_agents[team_index]
        p = agent_share[members] / agent_share[members].sum()
        agent[rows] = rng.choice(members, size=rows.size, p=p)

    # Waits: longer when the hour is busy, on bad days, in short-staffed branches.
    branch_factor = np.array([b[3] for b in BRANCHES])[branch]
    wait = np.zeros(size)
    outcome = np.zeros(size, dtype=np.int64)
    for channel_index, channel in enumerate(CHANNELS):
        rows = channel_arr == channel_index
        if channel == "email":
            # First reply time of an email: hours, longer at weekends.
            weekend = np.array(
                [(first_day + timedelta(days=int(d))).weekday() >= 5 for d in day[rows]]
            )
            hours = rng.lognormal(np.log(3.0), 0.8, size=rows.sum()) * np.where(
                weekend, 2.0, 1.0
            )
            wait[rows] = hours * 3600.0
            continue
        mean = (
            _MEAN_WAIT_SECONDS[channel]
            * np.exp(_WAIT_LOAD_SLOPE[channel] * (load[rows] - 1.0))
            * day_noise[day[rows]]
            * branch_factor[rows]
            * np.where(outage[rows], OUTAGE_WAIT_FACTOR, 1.0)
        )
        offered = mean * rng.gamma(0.8, 1.0 / 0.8, size=rows.sum())
        patience = 5.0 + rng.exponential(
            PATIENCE_MEAN_SECONDS[channel], size=rows.sum()
        )
        abandoned = patience < offered
        wait[rows] = np.where(abandoned, patience, offered)
        outcome[rows] = np.where(abandoned, 1, 0)
    # Time in the phone menu; a few callers hang up there.
    ivr_seconds = np.where(
        channel_arr == 0, 8.0 + rng.exponential(20.0, size=size), 0.0
    )
    ivr = (channel_arr == 0) & (rng.random(size) < IVR_ABANDON_PROB)
    outcome[ivr] = 2
    wait[ivr] = 0.0
    answered = outcome == 0

    # Transfers, resolution, escalation.
    transferred = rng.random(size) < np.asarray(QUEUE_TRANSFER_PROB)[queue]
    transfers = transferred.astype(np.int64) + (transferred & (rng.random(size) < 0.15))
    skill = np.array([a.skill for a in agents])[agent]
    logit = np.asarray(QUEUE_RESOLUTION_LOGIT)[queue] + skill - 0.7 * transfers
    resolved = (rng.random(size) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    escalation = np.asarray(QUEUE_ESCALATION_PROB)[queue] * np.where(
        resolved == 0, 2.0, 1.0
    )
    is_escalated = rng.random(size) < escalation

    # Handling times: talk by queue and channel, slower agents, longer after transfers.
    speed = rng.lognormal(0.0, 0.15, size=len(agents))[agent]
    talk_median = np.select(
        [channel_arr == 0, channel_arr == 1],
        [np.asarray(QUEUE_TALK_MEDIAN_SECONDS)[queue], np.full(size, 540.0)],
        np.full(size, 240.0),
    )
    talk = (
        talk_median
        * speed
        * rng.lognormal(0.0, 0.5, size=size)
        * (1.0 + 0.25 * transfers)
    )
    hold = np.where(
        (channel_arr == 0) & (rng.random(size) < 0.35),
        rng.exponential(70.0, size=size),
        0.0,
    )
    acw_median = np.select([channel_arr == 0, channel_arr == 1], [40.0, 60.0], 90.0)
    acw = acw_median * rng.lognormal(0.0, 0.6, size=size)

    not_answered = ~answered
    agent[not_answered] = -1
    resolved[not_answered] = -1
    transfers[not_answered] = 0
    is_escalated[not_answered] = False
    talk[not_answered] = 0.0
    hold[not_answered] = 0.0
    acw[not_answered] = 0.0

    # Callbacks: an unresolved problem brings the customer back within days.
    times_by_queue = {q: np.flatnonzero(queue == q) for q in range(len(QUEUES))}
    for index in np.flatnonzero(resolved == 0).tolist():
        if rng.random() >= CALLBACK_PROB:
            continue
        rows = times_by_queue[int(queue[index])]
        lo = np.searchsorted(arrived[rows], arrived[index] + 3 * 3600.0)
        hi = np.searchsorted(arrived[rows], arrived[index] + 4 * 86400.0)
        if hi > lo:
            customer[rows[rng.integers(lo, hi)]] = customer[index]

    return InteractionTable(
        customer=customer.astype(np.int64),
        channel=channel_arr,
        queue=queue.astype(np.int64),
        reason=reason,
        team=team.astype(np.int64),
        agent=agent,
        arrived=arrived,
        ivr=ivr_seconds,
        wait=wait,
        talk=talk,
        hold=hold,
        after_call_work=acw,
        outcome=outcome,
        transfers=transfers.astype(np.int64),
        is_escalated=is_escalated,
        resolved=resolved,
    )


# Invitations ---------------------------------------------------------------------
def _invitations(
    rng: np.random.Generator,
    interactions: InteractionTable,
    customers: CustomerTable,
    now: float,
    ttl_days: int,
) -> InvitationTable:
    size = len(interactions)
    customer = interactions.customer
    eligible = (
        interactions.is_answered
        & customers.has_consent[customer]
        & ~customers.is_opted_out[customer]
        & (rng.random(size) < INVITE_PROB)
    )
    ended = interactions.ended
    created_all = ended + rng.uniform(30.0, 300.0, size=size)
    # Contact-frequency rule: no customer is invited twice within a week.
    last_invited: dict[int, float] = {}
    chosen: list[int] = []
    gap = MIN_DAYS_BETWEEN_INVITATIONS * 86400.0
    for index in np.flatnonzero(eligible & (created_all < now)).tolist():
        who = int(customer[index])
        previous = last_invited.get(who)
        if previous is not None and created_all[index] - previous < gap:
            continue
        last_invited[who] = float(created_all[index])
        chosen.append(index)
    rows = np.asarray(chosen, dtype=np.int64)
    m = rows.size
    source = interactions.channel[rows]
    # Voice → SMS or email, chat → a web link at the end of the chat (or email), email → email.
    channel = np.where(
        source == 0,
        np.where(rng.random(m) < 0.45, 1, 0),
        np.where(source == 1, np.where(rng.random(m) < 0.70, 2, 0), 0),
    ).astype(np.int64)
    created = created_all[rows]
    sent = np.where(channel == 2, created, created + rng.uniform(5.0, 90.0, size=m))
    bounces = rng.random(m) < np.asarray(BOUNCE_PROB)[channel]
    receipt = sent + rng.uniform(2.0, 30.0, size=m)
    delivered = np.where((channel < 2) & ~bounces, receipt, np.nan)
    bounced = np.where(bounces, receipt, np.nan)
    opens = ~bounces & (rng.random(m) < np.asarray(OPEN_PROB)[channel])
    delay = np.asarray(OPEN_DELAY_MEDIAN_SECONDS)[channel] * rng.lognormal(
        0.0, 1.2, size=m
    )
    opened = np.where(opens, sent + np.clip(delay, 5.0, 20 * 3600.0), np.nan)
    starts = opens & (rng.random(m) < START_PROB)
    started = np.where(starts, opened + rng.uniform(3.0, 60.0, size=m), np.nan)
    completes = starts & (rng.random(m) < COMPLETE_PROB)
    duration = 150.0 * rng.lognormal(0.0, 0.5, size=m)
    completed = np.where(completes, started + duration, np.nan)
    expires = created + ttl_days * 86400.0

    # Nothing happens after ``now``: later stages are not reached yet.
    sent = np.where(sent <= now, sent, np.nan)
    delivered = np.where(delivered <= now, delivered, np.nan)
    bounced = np.where(bounced <= now, bounced, np.nan)
    opened = np.where(opened <= now, opened, np.nan)
    started = np.where(started <= now, started, np.nan)
    completed = np.where(completed <= now, completed, np.nan)

    status = np.full(m, INVITATION_STATUSES.index("queued"), dtype=np.int64)
    status[~np.isnan(sent)] = INVITATION_STATUSES.index("sent")
    status[~np.isnan(delivered)] = INVITATION_STATUSES.index("delivered")
    status[~np.isnan(bounced)] = INVITATION_STATUSES.index("bounced")
    status[~np.isnan(opened)] = INVITATION_STATUSES.index("opened")
    status[~np.isnan(started)] = INVITATION_STATUSES.index("started")
    status[~np.isnan(completed)] = INVITATION_STATUSES.index("completed")
    expired = (expires <= now) & np.isnan(completed) & np.isnan(bounced)
    status[expired] = INVITATION_STATUSES.index("expired")
    return InvitationTable(
        interaction=rows,
        channel=channel,
        created=created,
        sent=sent,
        delivered=delivered,
        bounced=bounced,
        opened=opened,
        started=started,
        completed=completed,
        expires=expires,
        status=status,
    )


# Responses -----------------------------------------------------------------------
def _round(latent: FloatArray, low: int, high: int) -> FloatArray:
    return np.clip(np.rint(latent), low, high).astype(np.float64)


def _responses(
    rng: np.random.Generator,
    interactions: InteractionTable,
    invitations: InvitationTable,
    customers: CustomerTable,
    agents: tuple[AgentPlan, ...],
) -> tuple[ResponseTable, dict[str, FloatArray]]:
    rows = np.flatnonzero(~np.isnan(invitations.started))
    k = rows.size
    is_complete = ~np.isnan(invitations.completed[rows])
    started = invitations.started[rows]
    completed = invitations.completed[rows]
    partial_duration = 120.0 * rng.lognormal(0.0, 0.5, size=k)
    updated = np.where(is_complete, completed, started + partial_duration)
    progress = np.where(is_complete, 1.0, rng.random(k))

    source = invitations.interaction[rows]
    m = MODEL
    channel = interactions.channel[source]
    wait_minutes = np.where(channel < 2, interactions.wait[source] / 60.0, 0.0)
    email_hours = np.where(channel == 2, interactions.wait[source] / 3600.0, 0.0)
    unresolved = (interactions.resolved[source] == 0).astype(np.float64)
    transfers = interactions.transfers[source].astype(np.float64)
    agent_effect = np.array([a.treatment_effect for a in agents])[
        interactions.agent[source]
    ]
    halo = rng.normal(0.0, m.halo_sd, size=k)

    def noise(sd: float) -> FloatArray:
        return rng.normal(0.0, sd, size=k)

    access = (
        m.access_intercept
        + m.access_per_wait_minute
        * np.maximum(0.0, wait_minutes - m.access_free_wait_minutes)
        + m.access_per_email_hour
        * np.maximum(0.0, email_hours - m.access_free_email_hours)
        + m.access_per_transfer * transfers
        + halo
        + noise(m.item_noise_sd)
    )
    resolution = (
        m.resolution_intercept
        + m.resolution_unresolved * unresolved
        + m.resolution_per_transfer * transfers
        + halo
        + noise(m.item_noise_sd)
    )
    treatment = m.treatment_intercept + agent_effect + halo + noise(m.item_noise_sd)
    overall = (
        m.overall_weight_access * access
        + m.overall_weight_resolution * resolution
        + m.overall_weight_treatment * treatment
        + m.overall_unresolved * unresolved
        + noise(m.overall_noise_sd)
    )
    ces = (
        1.0
        + 1.5
        * (m.ces_weight_access * access + m.ces_weight_resolution * resolution - 1.0)
        + m.ces_per_transfer * transfers
        + noise(m.ces_noise_sd)
    )
    nps = m.nps_intercept + m.nps_slope * overall + noise(m.nps_noise_sd)
    repurchase = (
        m.repurchase_intercept
        + m.repurchase_slope * overall
        + noise(m.repurchase_noise_sd)
    )
    latent = {
        "csat_overall": overall,
        "access": access,
        "resolution": resolution,
        "treatment": treatment,
        "ces": ces,
        "nps": nps,
        "repurchase": repurchase,
    }
    scores = {
        "csat_overall": _round(overall, 1, 5),
        "access": _round(access, 1, 5),
        "resolution": _round(resolution, 1, 5),
        "treatment": _round(treatment, 1, 5),
        "ces": _round(ces, 1, 7),
        "nps": _round(nps, 0, 10),
        "repurchase": _round(repurchase, 1, 5),
    }
    is_na: dict[str, BoolArray] = {}
    for code in scores:
        na = (
            rng.random(k) < m.na_prob
            if code in ("access", "resolution", "treatment")
            else np.zeros(k, dtype=np.bool_)
        )
        is_na[code] = na
        scores[code] = np.where(na, np.nan, scores[code])

    dissatisfied = scores["csat_overall"] <= 2
    wants_comment = rng.random(k) < np.where(
        dissatisfied, m.comment_prob_dissatisfied, m.comment_prob
    )
    wants_comment &= is_complete
    comments = pick_comments(
        rng,
        wants_comment=wants_comment,
        language=[
            LANGUAGES[i]
            for i in customers.language[interactions.customer[source]].tolist()
        ],
        overall=scores["csat_overall"],
        access=scores["access"],
        resolution=scores["resolution"],
        treatment=scores["treatment"],
        wait_minutes=np.maximum(wait_minutes, email_hours * 60.0),
        unresolved=unresolved > 0,
        transfers=transfers,
        agent_first_name=[
            agents[i].name.split()[0] for i in interactions.agent[source].tolist()
        ],
    )
    table = ResponseTable(
        invitation=rows,
        is_complete=is_complete,
        started=started,
        updated=updated,
        completed=completed,
        progress=progress,
        scores=scores,
        is_na=is_na,
        comments=comments,
    )
    return table, latent


def generate(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    first_day: date,
    now_seconds: float,
    ttl_days: int = 30,
) -> DemoData:
    """Draw the whole demo data set.

    ``first_day`` is the first of the ``DAYS`` days of interactions; ``now_seconds``
    is the current wall-clock time in seconds after ``first_day`` midnight (nothing
    happens later). ``scale`` multiplies the number of customers and interactions.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale!r}.")
    rng = np.random.default_rng(seed)
    units, teams, agents = _org(rng)
    customers = _customers(rng, max(50, round(BASE_CUSTOMERS * scale)))
    interactions = _interactions(
        rng,
        max(100, round(BASE_INTERACTIONS * scale)),
        first_day,
        customers,
        teams,
        agents,
    )
    invitations = _invitations(rng, interactions, customers, now_seconds, ttl_days)
    responses, latent = _responses(rng, interactions, invitations, customers, agents)
    return DemoData(
        seed=seed,
        scale=scale,
        first_day=first_day,
        units=units,
        teams=teams,
        agents=agents,
        customers=customers,
        interactions=interactions,
        invitations=invitations,
        responses=responses,
        latent=latent,
    )
