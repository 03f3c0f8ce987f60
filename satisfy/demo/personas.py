"""The demo's personas: alice, bob, carol, dave and erin, with random passwords."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from satisfy.accounts.models import RoleAssignment, User
from satisfy.accounts.services import grant_role
from satisfy.demo import synth
from satisfy.org.models import Agent, OrgUnit

PERSONA_EMAIL_DOMAIN = "acme.example"


class PersonaExistsError(Exception):
    """A persona's username is already taken."""


@dataclass(frozen=True, slots=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str
    unit_code: str
    description: str
    is_superuser: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "alice",
        "Alice",
        "Morgan",
        RoleAssignment.Role.ADMIN,
        synth.COMPANY[0],
        "administrator of Acme Support (and Django admin)",
        is_superuser=True,
    ),
    Persona(
        "bob",
        "Bob",
        "Carter",
        RoleAssignment.Role.UNIT_MANAGER,
        synth.BRANCHES[0][0],
        "manager of the Northgate branch (sees only Northgate)",
    ),
    Persona(
        "carol",
        synth.PERSONA_AGENT_NAME.split()[0],
        synth.PERSONA_AGENT_NAME.split()[1],
        RoleAssignment.Role.AGENT,
        f"{synth.BRANCHES[0][0]}-billing",
        "agent in Northgate Billing (sees her own results)",
    ),
    Persona(
        "dave",
        "Dave",
        "Okafor",
        RoleAssignment.Role.ANALYST,
        synth.COMPANY[0],
        "analyst (reads everything)",
    ),
    Persona(
        "erin",
        "Erin",
        "Walsh",
        RoleAssignment.Role.AUDITOR,
        synth.COMPANY[0],
        "auditor of Acme Support (read only)",
    ),
)


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    password: str
    description: str


def create_personas(
    units: dict[str, OrgUnit], agents: list[Agent]
) -> tuple[dict[str, User], tuple[Login, ...]]:
    """Create the five persona users with their roles; link carol to her agent row."""
    users: dict[str, User] = {}
    logins: list[Login] = []
    taken = User.objects.filter(username__in=[p.username for p in PERSONAS])
    if taken.exists():
        raise PersonaExistsError(
            f"A user named {taken.first()!s} already exists; run `satisfy demo --reset` "
            "on a database of its own, or remove that user first."
        )
    passwords = [secrets.token_urlsafe(12) for _ in PERSONAS]
    # Password hashing is slow on purpose and releases the GIL: hash side by side.
    with ThreadPoolExecutor(max_workers=len(PERSONAS)) as pool:
        hashes = list(pool.map(make_password, passwords))
    for persona, password, hashed in zip(PERSONAS, passwords, hashes, strict=True):
        user = User.objects.create_user(
            username=persona.username,
            email=f"{persona.username}@{PERSONA_EMAIL_DOMAIN}",
            password=None,
            first_name=persona.first_name,
            last_name=persona.last_name,
            is_staff=persona.is_superuser,
            is_superuser=persona.is_superuser,
            language="en",
        )
        user.password = hashed
        user.save(update_fields=["password"])
        grant_role(user=user, role=persona.role, unit=units[persona.unit_code])
        users[persona.username] = user
        logins.append(Login(persona.username, password, persona.description))
    carol_agent = next(a for a in agents if a.code == synth.PERSONA_AGENT_CODE)
    carol_agent.user = users["carol"]
    carol_agent.save(update_fields=["user"])
    return users, tuple(logins)


def write_logins(logins: Sequence[Login], *, base_url: str) -> str:
    """Write the persona logins to ``DATA_DIR/demo-logins.txt`` (mode 0600); return its path."""
    path = settings.DATA_DIR / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"Satisfy demo logins ({base_url}/)", ""]
    lines += [
        f"{login.username:<8} {login.password:<20} {login.description}"
        for login in logins
    ]
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)
