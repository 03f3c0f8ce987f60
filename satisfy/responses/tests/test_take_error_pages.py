"""Unknown addresses and server errors get plain friendly pages, never a traceback."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.views import defaults


def test_an_unknown_address_gets_the_friendly_404(client: Client) -> None:
    reply = client.get("/no/such/page/<script>")

    assert reply.status_code == 404
    assert "Page not found" in reply.text
    assert "<script>" not in reply.text
    assert "Traceback" not in reply.text
    assert 'name="viewport"' in reply.text


def test_the_error_templates_render_without_context() -> None:
    request = RequestFactory().get("/")

    pages = {
        400: defaults.bad_request(request, Exception("boom")),
        403: defaults.permission_denied(request, Exception("boom")),
        500: defaults.server_error(request),
    }

    for status, page in pages.items():
        assert page.status_code == status
        html = page.content.decode()
        assert "<html lang=" in html
        assert "boom" not in html
        assert "Traceback" not in html
    assert "Something went wrong" in pages[500].content.decode()


def test_a_wrong_method_is_refused_plainly(client: Client) -> None:
    reply = client.put("/c")

    assert reply.status_code == 405
