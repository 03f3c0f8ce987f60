from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.customers.importing import FIELDS, ColumnMapping, ImportFileError
from satisfy.customers.queries import customers_for_user, scope_can_import_into
from satisfy.customers.services import import_customers
from satisfy.org.models import OrgUnit


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    mapping = forms.CharField(
        label=gettext_lazy("Column mapping (JSON, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            'e.g. {"external_id": "Customer no", "email": "E-mail", "phone": "Mobile"}. '
            "Columns named like the fields are found without a mapping; other columns "
            "are kept as attributes."
        ),
    )
    region = forms.CharField(
        label=gettext_lazy("Default phone region (e.g. GB, CN, ES)"),
        required=False,
        max_length=2,
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file"), required=False
    )


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    customers = customers_for_user(user).order_by("external_id")
    search = request.GET.get("q", "").strip()
    if search:
        customers = customers.filter(
            Q(external_id__icontains=search)
            | Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(phone__icontains=search)
        )
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/list.html",
        {
            "page": page,
            "search": search,
            "can_import": scope_for_user(user).can_manage_any,
        },
    )


@login_required
def customer_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = scope_for_user(user)
    if not scope.can_manage_any:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            mapping = ColumnMapping.from_dict(
                json.loads(form.cleaned_data["mapping"] or "{}")
            )
        except (ValueError, TypeError, AttributeError) as exc:
            form.add_error("mapping", str(exc))
        else:
            upload = form.cleaned_data["file"]

            def allowed(unit: OrgUnit | None) -> bool:
                return scope_can_import_into(scope, unit)

            try:
                report = import_customers(
                    stream=upload,
                    filename=upload.name,
                    mapping=mapping,
                    region=form.cleaned_data["region"],
                    allowed_units=allowed,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if report.ok and not report.dry_run:
                    messages.success(
                        request,
                        _(
                            "Imported %(rows)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged."
                        )
                        % {
                            "rows": report.total_rows,
                            "created": report.created,
                            "updated": report.updated,
                            "unchanged": report.unchanged,
                        },
                    )
                    return redirect("customers:list")
    return render(
        request,
        "customers/import.html",
        {"form": form, "report": report, "fields": FIELDS},
    )
