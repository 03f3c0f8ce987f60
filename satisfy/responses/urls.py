from __future__ import annotations

from django.urls import path

from satisfy.responses import views

app_name = "responses"

urlpatterns = [
    path("s/<str:key>", views.take_survey, name="take"),
    path("s/<str:key>/thanks", views.thank_you, name="thanks"),
    path("c", views.enter_code, name="code"),
]
