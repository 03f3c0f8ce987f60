from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.distribution import queries, services
from satisfy.distribution.forms import SampleForm, WaveForm
from satisfy.distribution.models import Invitation
from satisfy.surveys.queries import can_manage_survey, surveys_for_user


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
def wave_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    waves = queries.waves_for_user(user).order_by("-created_at")
    return render(
        request,
        "distribution/wave_list.html",
        {"waves": waves, "can_plan": scope_for_user(user).can_manage_any},
    )


@login_required
def wave_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    surveys = [
        s
        for s in surveys_for_user(user).filter(current_version__isnull=False)
        if can_manage_survey(user, s)
    ]
    if not surveys:
        raise PermissionDenied
    form = WaveForm(request.POST or None, surveys=[(s.slug, s.title) for s in surveys])
    if request.method == "POST" and form.is_valid():
        survey = next(s for s in surveys if s.slug == form.cleaned_data["survey"])
        try:
            wave = services.create_wave(
                survey=survey,
                name=form.cleaned_data["name"],
                channels=form.cleaned_data["channels"],
                starts_at=form.cleaned_data["starts_at"],
                closes_at=form.cleaned_data["closes_at"],
                reminder_days=form.cleaned_data["reminder_days"],
                sms_mode=form.cleaned_data["sms_mode"],
                created_by=user,
            )
        except services.WaveError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Wave planned. Draw a sample, then launch it."))
            return redirect("distribution:wave", wave_id=wave.pk)
    return render(request, "distribution/wave_new.html", {"form": form})


@login_required
def wave_detail(request: HttpRequest, wave_id: int) -> HttpResponse:
    user = _user(request)
    wave = queries.get_wave_for_user(user, wave_id)
    invitations = queries.wave_invitations_for_user(user, wave)
    breakdowns = {
        name: queries.funnel(invitations, by=name)
        for name in ("channel", "unit", "stratum")
    }
    return render(
        request,
        "distribution/wave_detail.html",
        {
            "wave": wave,
            "total": queries.funnel(invitations)[0],
            "breakdowns": [
                (_("By channel"), breakdowns["channel"]),
                (_("By unit"), breakdowns["unit"]),
                (_("By stratum"), breakdowns["stratum"]),
            ],
            "samples": wave.samples.order_by("created_at"),
            "can_manage": queries.can_manage_wave(user, wave),
            "sample_form": SampleForm(),
        },
    )


@login_required
@require_POST
def wave_sample(request: HttpRequest, wave_id: int) -> HttpResponse:
    user = _user(request)
    wave = queries.get_wave_for_user(user, wave_id)
    if not queries.can_manage_wave(user, wave):
        raise PermissionDenied
    form = SampleForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Check the sample settings: %(errors)s")
            % {"errors": form.errors.as_text()},
        )
        return redirect("distribution:wave", wave_id=wave.pk)
    try:
        sample = services.draw_sample(
            wave=wave,
            frame=form.cleaned_data["frame"],
            method=form.cleaned_data["method"],
            n=form.cleaned_data["n"],
            strata=form.cleaned_data["strata"],
            allocation=form.cleaned_data["allocation"],
            minimum=form.cleaned_data["minimum"] or 0,
            seed=form.cleaned_data["seed"],
            created_by=user,
        )
    except services.SampleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Sample drawn: %(n)d of %(eligible)d eligible (seed %(seed)d).")
            % {"n": sample.n, "eligible": sample.eligible_n, "seed": sample.seed},
        )
    return redirect("distribution:wave", wave_id=wave.pk)


@login_required
@require_POST
def wave_launch(request: HttpRequest, wave_id: int) -> HttpResponse:
    user = _user(request)
    wave = queries.get_wave_for_user(user, wave_id)
    if not queries.can_manage_wave(user, wave):
        raise PermissionDenied
    try:
        result = services.launch_wave(wave=wave)
    except services.WaveError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(n)d invitations queued; the background worker sends them.")
            % {"n": result.created},
        )
    return redirect("distribution:wave", wave_id=wave.pk)


@login_required
@require_POST
def wave_close(request: HttpRequest, wave_id: int) -> HttpResponse:
    user = _user(request)
    wave = queries.get_wave_for_user(user, wave_id)
    if not queries.can_manage_wave(user, wave):
        raise PermissionDenied
    services.close_wave(wave=wave)
    messages.success(request, _("Wave closed; open invitations expired."))
    return redirect("distribution:wave", wave_id=wave.pk)


@csrf_exempt  # RFC 8058 one-click unsubscribe posts without a session or token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.filter(token=token).select_related("customer").first()
    )
    if invitation is None:
        return render(
            request, "distribution/unsubscribe.html", {"unknown": True}, status=404
        )
    if request.method == "POST":
        services.opt_out_invitation(invitation=invitation)
        return render(request, "distribution/unsubscribe.html", {"done": True})
    return render(request, "distribution/unsubscribe.html", {"invitation": invitation})
