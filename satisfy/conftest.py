"""Personas and factories shared by every Django test.

``alice`` administers the "Acme Support" contact centre; ``bob`` manages the North
branch and sees only it; ``carol`` is an agent in a North team and sees only her own
results; ``mallory`` has a login and no role, and must see nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Django is imported inside the fixtures: the analytics tests share this folder and
# run without Django (pytest -p no:django satisfy/analytics).
if TYPE_CHECKING:
    from satisfy.accounts.models import User
    from satisfy.org.models import Agent, OrgUnit


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        # Real hashing costs half a second per user; tests do not need it.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Many tests type wrong short codes from 127.0.0.1; the limit has its own test.
        settings.SATISFY_CODE_ATTEMPTS = 10_000


@pytest.fixture(autouse=True)
def _default_language(request: pytest.FixtureRequest) -> None:
    """Each test starts in the default language.

    A request through the test client leaves its language active in the thread
    (LocaleMiddleware does not reset it), so without this a Chinese page in one test
    would make the next test's plain function calls speak Chinese.
    """
    if request.config.pluginmanager.hasplugin("django"):
        from django.utils import translation

        translation.deactivate()


@dataclass
class Org:
    company: OrgUnit
    north: OrgUnit
    south: OrgUnit
    north_branch: OrgUnit
    south_branch: OrgUnit
    north_team: OrgUnit
    south_team: OrgUnit
    carol_agent: Agent
    south_agent: Agent


@pytest.fixture
def org(db: None) -> Org:
    from satisfy.org.models import OrgUnit
    from satisfy.org.services import create_agent, create_unit

    company = create_unit(name="Acme Support", code="acme", kind=OrgUnit.Kind.COMPANY)
    north = create_unit(
        name="North", code="north", kind=OrgUnit.Kind.REGION, parent=company
    )
    south = create_unit(
        name="South", code="south", kind=OrgUnit.Kind.REGION, parent=company
    )
    north_branch = create_unit(
        name="North Central",
        code="north-central",
        kind=OrgUnit.Kind.BRANCH,
        parent=north,
    )
    south_branch = create_unit(
        name="South Coast", code="south-coast", kind=OrgUnit.Kind.BRANCH, parent=south
    )
    north_team = create_unit(
        name="Cards team",
        code="north-cards",
        kind=OrgUnit.Kind.TEAM,
        parent=north_branch,
    )
    south_team = create_unit(
        name="Loans team",
        code="south-loans",
        kind=OrgUnit.Kind.TEAM,
        parent=south_branch,
    )
    carol_agent = create_agent(code="carol", name="Carol Díaz", unit=north_team)
    south_agent = create_agent(code="sam", name="Sam Lee", unit=south_team)
    return Org(
        company=company,
        north=north,
        south=south,
        north_branch=north_branch,
        south_branch=south_branch,
        north_team=north_team,
        south_team=south_team,
        carol_agent=carol_agent,
        south_agent=south_agent,
    )


def _user(username: str) -> User:
    from satisfy.accounts.models import User

    return User.objects.create_user(
        username=username, email=f"{username}@example.com", password="correct horse 42"
    )


@pytest.fixture
def alice(org: Org) -> User:
    user = _user("alice")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    from satisfy.accounts.models import RoleAssignment
    from satisfy.accounts.services import grant_role

    grant_role(user=user, role=RoleAssignment.Role.ADMIN, unit=org.company)
    return user


@pytest.fixture
def bob(org: Org) -> User:
    user = _user("bob")
    from satisfy.accounts.models import RoleAssignment
    from satisfy.accounts.services import grant_role

    grant_role(user=user, role=RoleAssignment.Role.UNIT_MANAGER, unit=org.north_branch)
    return user


@pytest.fixture
def carol(org: Org) -> User:
    user = _user("carol")
    org.carol_agent.user = user
    org.carol_agent.save(update_fields=["user"])
    from satisfy.accounts.models import RoleAssignment
    from satisfy.accounts.services import grant_role

    grant_role(user=user, role=RoleAssignment.Role.AGENT, unit=org.north_team)
    return user


@pytest.fixture
def mallory(db: None) -> User:
    return _user("mallory")


@pytest.fixture
def make_survey(org: Org, alice: User) -> Callable[..., Any]:
    """Create (and by default publish) a survey from a built-in template."""
    from satisfy.surveys.services import create_survey_from_template, publish_survey

    def make(
        *,
        template: str = "post-contact",
        slug: str = "after-call",
        unit: OrgUnit | None = None,
        publish: bool = True,
    ) -> Any:
        survey = create_survey_from_template(
            template_code=template,
            slug=slug,
            unit=unit or org.company,
            created_by=alice,
        )
        if publish:
            publish_survey(survey=survey, published_by=alice)
            survey.refresh_from_db()
        return survey

    return make


@pytest.fixture
def make_invitation(org: Org) -> Callable[..., Any]:
    """Create a personal invitation, by default for carol's team."""
    from satisfy.distribution.services import create_invitation

    def make(
        *,
        survey: Any,
        unit: OrgUnit | None = None,
        agent: Agent | None = None,
        language: str = "en",
        **kwargs: Any,
    ) -> Any:
        return create_invitation(
            survey=survey,
            unit=unit or org.north_team,
            agent=agent if agent is not None else org.carol_agent,
            language=language,
            **kwargs,
        )

    return make


# Browser tests: Debian's Chromium driven by Playwright, never a downloaded browser.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed at /usr/bin/chromium",
    ),
]


@pytest.fixture
def chromium() -> Iterator[Any]:
    """A Playwright browser on Debian's Chromium (the test makes its own context)."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to
    # run beside one unless told it is safe (it is: nothing here is async).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    from django.db import connections

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
            # ORM calls made while Playwright's loop runs get their own connection;
            # close it, or PostgreSQL cannot drop the test database.
            connections.close_all()


def save_screenshot(page: Any, name: str) -> None:
    """A full-page PNG under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
