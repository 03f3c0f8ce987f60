from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from satisfy.accounts.models import User
from satisfy.accounts.queries import Scope, scope_for_user
from satisfy.customers.models import Customer
from satisfy.org.models import OrgUnit


def _reads_whole_company(scope: Scope) -> bool:
    # A path like "/1/" is a root unit: its readers see company-wide customers too.
    return any(path.count("/") <= 2 for path in scope.unit_paths)


def customer_q(scope: Scope) -> Q:
    """Customers in the user's units; unit-less customers for company-wide readers."""
    q = scope.unit_q("unit__path")
    if _reads_whole_company(scope):
        q |= Q(unit__isnull=True)
    return q


def customers_for_user(user: User) -> QuerySet[Customer]:
    """Customers the user may see (agents see none: they see their own results only)."""
    return Customer.objects.filter(customer_q(scope_for_user(user))).select_related(
        "unit"
    )


def get_customer_for_user(user: User, customer_id: int) -> Customer:
    """The customer, or 404 when it does not exist or is outside the user's scope."""
    try:
        return customers_for_user(user).get(pk=customer_id)
    except Customer.DoesNotExist:
        raise Http404("No such customer.") from None


def can_import_into(user: User, unit: OrgUnit | None) -> bool:
    """Administrators of a unit may import its customers; unit-less needs a root admin."""
    return scope_can_import_into(scope_for_user(user), unit)


def scope_can_import_into(scope: Scope, unit: OrgUnit | None) -> bool:
    """:func:`can_import_into` for an already computed scope (one query per import)."""
    if unit is None:
        return any(path.count("/") <= 2 for path in scope.manage_paths)
    return scope.can_manage_unit_path(unit.path)
