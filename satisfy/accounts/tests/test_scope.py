from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from satisfy.accounts.queries import scope_for_user
from satisfy.org.queries import agents_for_user, units_for_user


def test_admin_reads_and_manages_the_whole_company(alice, org):
    scope = scope_for_user(alice)
    assert scope.can_read_unit_path(org.south_team.path)
    assert scope.can_manage_unit_path(org.north_branch.path)


def test_branch_manager_reads_only_his_branch(bob, org):
    scope = scope_for_user(bob)
    assert scope.can_read_unit_path(org.north_team.path)
    assert not scope.can_read_unit_path(org.south_team.path)
    assert not scope.can_read_unit_path(org.company.path)
    assert not scope.can_manage_any
    assert set(units_for_user(bob)) == {org.north_branch, org.north_team}


def test_agent_sees_only_herself(carol, org):
    scope = scope_for_user(carol)
    assert scope.unit_paths == ()
    assert scope.agent_ids == (org.carol_agent.pk,)
    assert list(agents_for_user(carol)) == [org.carol_agent]


def test_no_role_and_anonymous_see_nothing(mallory, org):
    assert scope_for_user(mallory).sees_nothing
    assert scope_for_user(AnonymousUser()).sees_nothing
    assert not units_for_user(mallory).exists()
    assert not agents_for_user(mallory).exists()


def test_inactive_user_sees_nothing(alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert scope_for_user(alice).sees_nothing


def test_analyst_reads_everything_below_any_assignment(org, django_user_model):
    from satisfy.accounts.models import RoleAssignment
    from satisfy.accounts.services import grant_role

    dave = django_user_model.objects.create_user(
        username="dave", password="x-long-pass-1"
    )
    grant_role(user=dave, role=RoleAssignment.Role.ANALYST, unit=org.north_team)
    scope = scope_for_user(dave)
    assert scope.can_read_unit_path(org.south_team.path)
    assert not scope.can_manage_any
