from __future__ import annotations

from django.urls import path

from satisfy.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("import/", views.customer_import, name="import"),
]
