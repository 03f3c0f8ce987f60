from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from satisfy.accounts import views as account_views
from satisfy.api import api

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("satisfy.accounts.urls")),
    path("surveys/", include("satisfy.surveys.urls")),
    path("distribution/", include("satisfy.distribution.urls")),
    path("customers/", include("satisfy.customers.urls")),
    path("surveys/", include("satisfy.reports.urls")),
    path("operations/", include("satisfy.interactions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("satisfy.responses.urls")),
]
