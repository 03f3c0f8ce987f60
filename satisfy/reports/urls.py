from __future__ import annotations

from django.urls import path

from satisfy.reports import views

app_name = "reports"

urlpatterns = [
    path("<slug:slug>/results/", views.survey_results, name="results"),
    path("<slug:slug>/results/responses/", views.response_list, name="responses"),
    path("<slug:slug>/results/scorecard/", views.org_scorecard, name="scorecard"),
    path("<slug:slug>/results/agents/", views.agent_scorecard, name="agents"),
    path("<slug:slug>/results/waves/", views.wave_report, name="waves"),
    path("<slug:slug>/results/templates/", views.template_report, name="templates"),
    path("<slug:slug>/results/averages/", views.average_report, name="averages"),
    path("<slug:slug>/results/rates/", views.rate_report, name="rates"),
    path("<slug:slug>/results/drivers/", views.driver_report, name="drivers"),
    path("<slug:slug>/results/gaps/", views.gap_report, name="gaps"),
    path("<slug:slug>/results/index/", views.index_report, name="index"),
    path("<slug:slug>/results/export/", views.export_start, name="export_start"),
    path(
        "<slug:slug>/results/exports/<int:job_id>/", views.export_status, name="export"
    ),
    path(
        "<slug:slug>/results/exports/<int:job_id>/download/",
        views.export_download,
        name="export_download",
    ),
]
