from __future__ import annotations

from satisfy.analytics import csat, nps
from satisfy.reports.tests.conftest import period_query


def _cards(r):
    return {c["kind"]: c["result"] for c in r.context["cards"]}


def test_dashboard_shows_every_section(client, alice, dataset):
    client.force_login(alice)
    r = client.get(
        f"/surveys/{dataset.survey.slug}/results/?{period_query(dataset)}&trend=week"
    )
    assert r.status_code == 200
    page = r.content.decode()
    dash = r.context["dash"]
    assert dash.n_responses == 80
    assert len(dash.trend) >= 8  # weekly over 61 days
    assert "<svg" in page  # trend and dimension charts, server-rendered
    assert {d["code"] for d in dash.dimensions} >= {"access", "resolution", "treatment"}
    # all five options of the overall question are listed, not only the top two
    overall = next(q for q in dash.questions if q["code"] == "csat_overall")
    assert [row["point"] for row in overall["rows"]] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert sum(row["count"] for row in overall["rows"]) == 80
    assert dash.funnel is not None
    assert dash.funnel.completed == 80
    assert "Response funnel" in page
    assert "Latest comments" in page


def test_every_distribution_count_drills_down_to_its_responses(client, alice, dataset):
    client.force_login(alice)
    q = period_query(dataset)
    r = client.get(f"/surveys/{dataset.survey.slug}/results/?{q}")
    overall = next(x for x in r.context["questions"] if x["code"] == "csat_overall")
    for row in overall["rows"]:
        value = int(row["point"])
        d = client.get(
            f"/surveys/{dataset.survey.slug}/results/responses/?{q}&question=csat_overall&value={value}"
        )
        assert d.status_code == 200
        assert d.context["total"] == row["count"]
        assert row["count"] == dataset.values("csat_overall").count(value)


def test_filters_narrow_every_number(client, alice, dataset, org):
    client.force_login(alice)
    q = period_query(dataset)
    slug = dataset.survey.slug
    r = client.get(f"/surveys/{slug}/results/?{q}&agent={org.south_agent.pk}")
    assert _cards(r)["csat"] == csat(
        dataset.values("csat_overall", agent=org.south_agent.pk)
    )
    r = client.get(f"/surveys/{slug}/results/?{q}&channel=email")
    assert _cards(r)["nps"] == nps(dataset.values("nps", channel="email"))
    r = client.get(f"/surveys/{slug}/results/?{q}&language=es")
    assert _cards(r)["csat"] == csat(dataset.values("csat_overall", language="es"))
    r = client.get(f"/surveys/{slug}/results/?{q}&wave={dataset.waves[0].pk}")
    assert _cards(r)["csat"] == csat(dataset.values("csat_overall", wave=1))


def test_filters_that_match_nothing_are_an_empty_state(client, alice, dataset):
    client.force_login(alice)
    slug = dataset.survey.slug
    r = client.get(f"/surveys/{slug}/results/?{period_query(dataset)}&queue=nowhere")
    assert r.status_code == 200
    assert r.context["n_responses"] == 0
    assert "No completed responses match" in r.content.decode()
    r = client.get(
        f"/surveys/{slug}/results/responses/?{period_query(dataset)}&queue=nowhere"
    )
    assert "No completed responses match" in r.content.decode()


def test_impossible_dates_are_a_form_error_everywhere(client, alice, dataset):
    client.force_login(alice)
    slug = dataset.survey.slug
    for page in (
        "",
        "scorecard/",
        "agents/",
        "averages/",
        "rates/",
        "drivers/",
        "waves/",
    ):
        r = client.get(
            f"/surveys/{slug}/results/{page}?start=2026-05-01&end=2026-01-01"
        )
        assert r.status_code == 200, page
        assert "on or before" in r.content.decode(), page


def test_scope_bob_carol_mallory(client, bob, carol, mallory, dataset, org):
    slug = dataset.survey.slug
    q = period_query(dataset)
    client.force_login(bob)
    r = client.get(f"/surveys/{slug}/results/?{q}")
    assert _cards(r)["csat"] == csat(dataset.values("csat_overall", north=True))
    assert (
        client.get(f"/surveys/{slug}/results/?{q}&unit={org.south.pk}").status_code
        == 404
    )
    assert (
        client.get(
            f"/surveys/{slug}/results/?{q}&agent={org.south_agent.pk}"
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/surveys/{slug}/results/scorecard/?{q}&unit={org.south.pk}"
        ).status_code
        == 404
    )
    client.force_login(carol)  # an agent: her own results only
    r = client.get(f"/surveys/{slug}/results/?{q}")
    assert _cards(r)["csat"] == csat(
        dataset.values("csat_overall", agent=org.carol_agent.pk)
    )
    r = client.get(f"/surveys/{slug}/results/agents/?{q}")
    assert [row.obj.pk for row in r.context["rows"]] == [org.carol_agent.pk]
    d = client.get(f"/surveys/{slug}/results/responses/?{q}")
    assert d.context["total"] == len(dataset.values("nps", agent=org.carol_agent.pk))
    client.force_login(mallory)
    for page in ("", "responses/", "scorecard/", "agents/", "drivers/"):
        assert client.get(f"/surveys/{slug}/results/{page}?{q}").status_code == 404


def test_org_scorecard_ranks_suppresses_and_tests(client, alice, dataset, org):
    client.force_login(alice)
    r = client.get(
        f"/surveys/{dataset.survey.slug}/results/scorecard/?{period_query(dataset)}"
    )
    assert r.status_code == 200
    rows = {row.key: row for row in r.context["rows"]}
    north = dataset.values("csat_overall", north=True)
    assert rows["north"].result == csat(north)
    assert rows["acme"].n == 80
    assert rows["north"].rank in {1, 2}
    assert rows["north"].rank_of == 2
    assert rows["north"].vs_parent is not None  # against the rest of the company
    assert rows["north"].estimate is not None


def test_scorecard_hides_small_units_and_their_complement(
    client, alice, dataset, settings
):
    settings.SATISFY_MIN_N = (
        30  # South has 27 answers: hidden, and so is North (complement)
    )
    client.force_login(alice)
    r = client.get(
        f"/surveys/{dataset.survey.slug}/results/scorecard/?{period_query(dataset)}"
    )
    rows = {row.key: row for row in r.context["rows"]}
    assert rows["south"].hidden
    assert rows["north"].hidden  # otherwise south = company − north
    assert not rows["acme"].hidden
    assert "hidden to protect small groups" in r.content.decode()


def test_report_pages_render(client, alice, dataset):
    client.force_login(alice)
    q = period_query(dataset)
    slug = dataset.survey.slug
    r = client.get(f"/surveys/{slug}/results/waves/?{q}")
    rows = {row.code: row for row in r.context["rows"]}
    assert rows["csat"].a == csat(dataset.values("csat_overall", wave=1))
    assert rows["csat"].b == csat(dataset.values("csat_overall", wave=2))
    assert rows["csat"].change is not None
    r = client.get(f"/surveys/{slug}/results/averages/?{q}&cutoffs=A:80,B:60,C:0")
    grades = {row["code"]: row["grade"] for row in r.context["rows"]}
    assert set(grades.values()) <= {"A", "B", "C"}
    r = client.get(f"/surveys/{slug}/results/averages/?{q}&cutoffs=A:50,B:60")
    assert "from the best to the worst" in r.content.decode()
    r = client.get(f"/surveys/{slug}/results/rates/?{q}&by=channel")
    assert r.context["total"].completed == 80
    r = client.get(f"/surveys/{slug}/results/templates/?{q}")
    assert r.status_code == 200
    assert r.context["rows"]
    r = client.get(f"/surveys/{slug}/results/drivers/?{q}")
    assert r.status_code == 200
    drivers = r.context["drivers"]
    assert drivers is not None
    # every share comes with its bootstrap interval, on the page and in the chart
    for row in drivers.rows:
        assert row["ci_low"] <= row["share"] <= row["ci_high"]
    assert {row["name"] for row in drivers.rows} == {
        "Access",
        "Resolution",
        "Treatment",
    }
    assert "400 resamples" in r.content.decode()


def test_api_returns_the_page_numbers_scoped(client, alice, bob, mallory, dataset, org):
    slug = dataset.survey.slug
    q = period_query(dataset)
    client.force_login(alice)
    body = client.get(f"/api/v1/reports/surveys/{slug}/dashboard?{q}").json()
    cards = {c["kind"]: c for c in body["cards"]}
    assert (
        cards["csat"]["result"]["value"] == csat(dataset.values("csat_overall")).value
    )
    assert body["n_responses"] == 80
    client.force_login(bob)
    body = client.get(f"/api/v1/reports/surveys/{slug}/dashboard?{q}").json()
    assert body["n_responses"] == len(dataset.values("nps", north=True))
    assert (
        client.get(
            f"/api/v1/reports/surveys/{slug}/dashboard?{q}&unit={org.south.pk}"
        ).status_code
        == 404
    )
    bad = client.get(
        f"/api/v1/reports/surveys/{slug}/dashboard?start=2026-05-01&end=2026-01-01"
    )
    assert bad.status_code == 422
    assert (
        client.get(f"/api/v1/reports/surveys/{slug}/scorecard?{q}").status_code == 200
    )
    client.force_login(mallory)
    assert (
        client.get(f"/api/v1/reports/surveys/{slug}/dashboard?{q}").status_code == 404
    )


def test_api_scorecards_averages_drivers_and_exports(
    client, alice, carol, dataset, org, django_capture_on_commit_callbacks
):
    slug = dataset.survey.slug
    q = period_query(dataset)
    client.force_login(alice)
    units = client.get(f"/api/v1/reports/surveys/{slug}/scorecard?{q}").json()["units"]
    north = next(u for u in units if u["code"] == "north")
    assert north["value"] == csat(dataset.values("csat_overall", north=True)).value
    averages = client.get(f"/api/v1/reports/surveys/{slug}/averages?{q}").json()
    assert {i["code"] for i in averages["items"]} >= {"csat_overall", "nps"}
    drivers = client.get(f"/api/v1/reports/surveys/{slug}/drivers?{q}").json()
    assert set(drivers["shares"]) == {"access", "resolution", "treatment"}
    low, high = drivers["shares_ci"]["resolution"]
    assert low <= drivers["shares"]["resolution"] <= high
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post(
            f"/api/v1/reports/surveys/{slug}/exports",
            {"format": "csv"},
            content_type="application/json",
        ).json()
    status = client.get(f"/api/v1/reports/exports/{job['id']}").json()
    assert status["status"] == "done"
    assert status["rows_written"] == 80
    bad = client.post(
        f"/api/v1/reports/surveys/{slug}/exports",
        {"format": "exe"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    client.force_login(carol)
    agents = client.get(f"/api/v1/reports/surveys/{slug}/agents?{q}").json()["agents"]
    assert [a["code"] for a in agents] == [org.carol_agent.code]
    assert client.get(f"/api/v1/reports/exports/{job['id']}").status_code == 404
