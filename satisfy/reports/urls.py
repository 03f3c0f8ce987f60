from __future__ import annotations

from django.urls import path

from satisfy.reports import views

app_name = "reports"

urlpatterns = [
    path("<slug:slug>/results/", views.survey_results, name="results"),
]
