from __future__ import annotations

from django.urls import path

from satisfy.distribution import views

app_name = "distribution"

urlpatterns = [
    path("waves/", views.wave_list, name="waves"),
    path("waves/new/", views.wave_new, name="wave_new"),
    path("waves/<int:wave_id>/", views.wave_detail, name="wave"),
    path("waves/<int:wave_id>/sample/", views.wave_sample, name="wave_sample"),
    path("waves/<int:wave_id>/launch/", views.wave_launch, name="wave_launch"),
    path("waves/<int:wave_id>/close/", views.wave_close, name="wave_close"),
    path("u/<str:token>", views.unsubscribe, name="unsubscribe"),
]
