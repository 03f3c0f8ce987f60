"""Who may see what: the scope every access check in Satisfy is built on."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from satisfy.accounts.models import RoleAssignment, User

Role = RoleAssignment.Role

# Roles that may read every unit's results below their assignment.
READ_ROLES = {Role.ADMIN, Role.ANALYST, Role.UNIT_MANAGER, Role.AUDITOR}


@dataclass(frozen=True, slots=True)
class Scope:
    """What one user may see and do.

    ``unit_paths`` are subtree prefixes (an ``OrgUnit.path``); a row is visible when
    its unit path starts with one of them. ``agent_ids`` are the agents whose own
    results the user may see (the agent role).
    """

    unit_paths: tuple[str, ...] = ()
    agent_ids: tuple[int, ...] = ()
    manage_paths: tuple[str, ...] = ()
    is_authenticated: bool = False
    agent_unit_paths: tuple[str, ...] = ()

    @property
    def sees_nothing(self) -> bool:
        return not self.unit_paths and not self.agent_ids

    @property
    def can_manage_any(self) -> bool:
        return bool(self.manage_paths)

    def can_read_unit_path(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.unit_paths)

    def can_manage_unit_path(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.manage_paths)

    def touches_unit_path(self, path: str) -> bool:
        """True when the unit is inside the scope or above it (a company-wide survey)."""
        return any(
            path.startswith(prefix) or prefix.startswith(path)
            for prefix in (*self.unit_paths, *self.agent_unit_paths)
        )

    def unit_q(self, field: str) -> Q:
        """A filter on a unit-path field (``unit_path`` or ``unit__path``)."""
        q = Q(pk__in=[])
        for prefix in self.unit_paths:
            q |= Q(**{f"{field}__startswith": prefix})
        return q

    def results_q(self, *, unit_path_field: str, agent_field: str) -> Q:
        """A filter on rows carrying a unit path and an agent: the user's results."""
        q = self.unit_q(unit_path_field)
        if self.agent_ids:
            q |= Q(**{f"{agent_field}__in": self.agent_ids})
        return q


def _collapse(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter prefix."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return tuple(sorted(kept))


def scope_for_user(user: User | AnonymousUser) -> Scope:
    """The scope of a signed-in user; an anonymous or role-less user sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    # One request asks several times; the roles do not change within it.
    cached: Scope | None = getattr(user, "_satisfy_scope", None)
    if cached is not None:
        return cached
    scope = _build_scope(user)
    user._satisfy_scope = scope  # type: ignore[attr-defined]
    return scope


def _build_scope(user: User) -> Scope:
    if user.is_superuser:
        return Scope(unit_paths=("/",), manage_paths=("/",), is_authenticated=True)
    read: set[str] = set()
    manage: set[str] = set()
    agent_ids: set[int] = set()
    agent_paths: set[str] = set()
    assignments = RoleAssignment.objects.filter(user=user).select_related("unit")
    for assignment in assignments:
        if assignment.role == Role.ANALYST:
            read.add("/")  # analysts read the whole organisation
        elif assignment.role in READ_ROLES:
            read.add(assignment.unit.path)
        if assignment.role == Role.ADMIN:
            manage.add(assignment.unit.path)
        if assignment.role == Role.AGENT:
            agent = getattr(user, "agent", None)
            if agent is not None:
                agent_ids.add(agent.pk)
                agent_paths.add(assignment.unit.path)
    return Scope(
        unit_paths=_collapse(read),
        agent_ids=tuple(sorted(agent_ids)),
        manage_paths=_collapse(manage),
        is_authenticated=True,
        agent_unit_paths=tuple(sorted(agent_paths)),
    )
