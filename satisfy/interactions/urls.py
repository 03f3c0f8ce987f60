from __future__ import annotations

from django.urls import path

from satisfy.interactions import views

app_name = "interactions"

urlpatterns = [
    path("", views.operations, name="operations"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
]
