from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from satisfy.accounts.models import ApiToken, User
from satisfy.accounts.services import create_api_token


def _bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def test_a_valid_token_authenticates(client: Client, alice: User) -> None:
    token, secret = create_api_token(user=alice, name="IVR collector")

    r = client.get("/api/v1/units", headers=_bearer(secret))

    assert r.status_code == 200
    assert len(r.json()) == 7
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # wrong secret
        lambda s: "sat_00000000_" + s.split("_", 2)[2],  # unknown prefix
        lambda s: s.replace("sat_", "tok_"),  # not our scheme
        lambda s: "sat_",  # malformed
        lambda s: "",  # empty
    ],
)
def test_a_wrong_token_is_401(client: Client, alice: User, mangle: object) -> None:
    _, secret = create_api_token(user=alice, name="IVR collector")

    r = client.get("/api/v1/units", headers=_bearer(mangle(secret)))  # type: ignore[operator]

    assert r.status_code == 401
    assert r.json() == {"detail": "Unauthorized"}


def test_a_revoked_token_is_401(client: Client, alice: User) -> None:
    token, secret = create_api_token(user=alice, name="old")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])

    assert client.get("/api/v1/units", headers=_bearer(secret)).status_code == 401


def test_an_inactive_users_token_is_401(client: Client, alice: User) -> None:
    _, secret = create_api_token(user=alice, name="ivr")
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert client.get("/api/v1/units", headers=_bearer(secret)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(
    client: Client, alice: User
) -> None:
    token, secret = create_api_token(user=alice, name="ivr")
    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    client.get("/api/v1/units", headers=_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == recent

    stale = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    client.get("/api/v1/units", headers=_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > stale


def test_a_token_acts_with_its_users_scope(client: Client, bob: User) -> None:
    _, secret = create_api_token(user=bob, name="branch dashboard")

    r = client.get("/api/v1/units", headers=_bearer(secret))

    assert {u["code"] for u in r.json()} == {"north-central", "north-cards"}


def test_unsafe_methods_with_a_token_need_no_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    _, secret = create_api_token(user=alice, name="ivr")

    r = client.post("/api/v1/surveys/none/publish", headers=_bearer(secret))

    assert r.status_code == 404  # authenticated; the survey does not exist


def test_a_session_post_without_the_csrf_token_is_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert client.get("/api/v1/units").status_code == 200
    r = client.post("/api/v1/surveys/none/publish")

    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]


def test_a_session_post_with_the_csrf_token_passes(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get("/accounts/login/")  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value

    r = client.post("/api/v1/surveys/none/publish", headers={"x-csrftoken": csrf})

    assert r.status_code == 404


def test_a_wrong_token_without_a_session_is_401_not_a_csrf_error(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)

    r = client.post("/api/v1/surveys/none/publish", headers=_bearer("sat_x_y"))

    assert r.status_code == 401


# The create_api_token command


def test_the_command_prints_a_working_secret_once(client: Client, alice: User) -> None:
    out, err = io.StringIO(), io.StringIO()

    call_command("create_api_token", "alice", "--name", "IVR", stdout=out, stderr=err)

    secret = out.getvalue().strip()
    assert secret.startswith("sat_")
    assert "only time" in err.getvalue()
    token = ApiToken.objects.get(user=alice)
    assert token.name == "IVR"
    assert secret not in token.key_hash
    assert client.get("/api/v1/units", headers=_bearer(secret)).status_code == 200


def test_the_command_refuses_an_unknown_user(db: None) -> None:
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody", "--name", "x")


# OpenAPI and docs


def test_the_openapi_schema_is_served(client: Client, db: None) -> None:
    r = client.get("/api/v1/openapi.json")

    assert r.status_code == 200
    schema = r.json()
    assert schema["info"] == {
        "title": "Satisfy API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert "/api/v1/surveys/{slug}/responses" in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {
        "ApiTokenAuth",
        "CookieSessionAuth",
    }


def test_the_docs_page_loads_nothing_from_a_cdn(client: Client, db: None) -> None:
    r = client.get("/api/v1/docs")

    # Served only from our own static files; absent when that is impossible.
    if r.status_code == 200:
        assert b"cdn." not in r.content
    else:
        assert r.status_code == 404
