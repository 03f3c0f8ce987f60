from __future__ import annotations

from django.test import Client


def test_a_form_without_its_token_gets_a_friendly_page(db):
    client = Client(enforce_csrf_checks=True)
    r = client.post("/c", {"code": "ABCD-EFGH1"})
    assert r.status_code == 403
    assert "Please reload the page" in r.content.decode()
    assert "Traceback" not in r.content.decode()
