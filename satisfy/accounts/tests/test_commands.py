from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from satisfy.accounts.models import RoleAssignment, User


@pytest.mark.django_db
def test_createadmin_generates_a_password_and_a_company():
    out = StringIO()
    call_command("createadmin", username="root", company="Acme Support", stdout=out)
    text = out.getvalue()
    password = text.split("Password: ")[1].strip()
    user = User.objects.get(username="root")
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 16
    role = RoleAssignment.objects.get(user=user)
    assert role.role == RoleAssignment.Role.ADMIN
    assert role.unit.name == "Acme Support"


@pytest.mark.django_db
def test_createadmin_refuses_an_existing_username():
    call_command("createadmin", username="root", stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("createadmin", username="root", stdout=StringIO())
