"""Password guessing on the admin login is slowed: the sixth try from one address gets 429."""

import pytest
from django.contrib.auth.models import User


@pytest.fixture
def staff(db):
    return User.objects.create_user("editor", password="the-right-password", is_staff=True)


def attempt(client, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": "editor", "password": password})


def test_after_five_failures_logins_are_refused_with_429(client, staff, settings):
    assert settings.LOGIN_FAILURE_LIMIT == 5
    assert [attempt(client, "guess").status_code for _ in range(5)] == [
        200
    ] * 5  # the form again, with an error
    refused = attempt(client, "the-right-password")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert "Too many failed login attempts" in refused.content.decode()


def test_a_successful_login_clears_the_count(client, staff):
    for _ in range(4):
        attempt(client, "guess")
    assert attempt(client, "the-right-password").status_code == 302
    client.logout()
    assert [attempt(client, "guess").status_code for _ in range(5)] == [200] * 5
