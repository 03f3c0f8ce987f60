from __future__ import annotations

from django.urls import path

from satisfy.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<slug:slug>/", views.survey_detail, name="detail"),
    path("<slug:slug>/publish/", views.survey_publish, name="publish"),
    path("<slug:slug>/close/", views.survey_close, name="close"),
    path("<slug:slug>/invite/", views.survey_invite, name="invite"),
    path("<slug:slug>/definition/", views.survey_export, name="export"),
    path(
        "<slug:slug>/responses/<int:response_id>/",
        views.response_detail,
        name="response",
    ),
]
