from __future__ import annotations

from django.test import Client

from satisfy.accounts.models import User


def test_it_lists_templates_with_titles_in_the_asked_language(
    client: Client, mallory: User
) -> None:
    client.force_login(mallory)  # templates are not scoped: any signed-in user

    r = client.get("/api/v1/templates?language=es")

    assert r.status_code == 200
    post_contact = next(t for t in r.json() if t["code"] == "post-contact")
    assert post_contact == {
        "code": "post-contact",
        "version": "1.0",
        "title": "¿Qué tal le atendimos?",
        "category": "contact-centre",
        "languages": ["en", "zh-Hans", "es"],
        "question_count": 8,
    }


def test_it_falls_back_to_the_accept_language_header(
    client: Client, mallory: User
) -> None:
    client.force_login(mallory)

    r = client.get("/api/v1/templates", headers={"accept-language": "zh-hans"})

    titles = {t["code"]: t["title"] for t in r.json()}
    assert titles["post-contact"] == "服务满意度回访"


def test_it_returns_one_template_definition(client: Client, mallory: User) -> None:
    client.force_login(mallory)

    r = client.get("/api/v1/templates/post-contact")

    assert r.status_code == 200
    body = r.json()
    assert body["code"] == "post-contact"
    codes = [q["code"] for page in body["pages"] for q in page["questions"]]
    assert codes[:2] == ["csat_overall", "access"]


def test_an_unknown_template_is_404(client: Client, mallory: User) -> None:
    client.force_login(mallory)

    r = client.get("/api/v1/templates/no-such-thing")

    assert r.status_code == 404
    assert r.json() == {"detail": "No such template."}


def test_templates_need_authentication(client: Client, db: None) -> None:
    r = client.get("/api/v1/templates")

    assert r.status_code == 401
    assert r.json() == {"detail": "Unauthorized"}
