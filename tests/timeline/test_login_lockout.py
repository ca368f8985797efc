"""Password guessing on the admin login: five failures from one client address lock that address out.

In-process (the test client; each request's address is given as REMOTE_ADDR, or as the
proxy's X-Forwarded-For). tests/timeline/test_behind_a_proxy.py does the same through a
real proxy in front of several gunicorn workers.
"""

import pytest
from django.contrib.auth.models import User

PROXY = "10.0.0.5"
CLIENT_A, CLIENT_B = "203.0.113.10", "198.51.100.20"


@pytest.fixture
def staff(db):
    User.objects.create_user("editor", password="the-right-password", is_staff=True)
    User.objects.create_user("reviewer", password="another-right-password", is_staff=True)


def attempt(client, password: str, *, username: str = "editor", **headers):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **headers)


def test_the_fifth_failure_locks_the_address_out_with_429(client, staff, settings):
    assert settings.LOGIN_FAILURE_LIMIT == 5
    # The form again, with an error, four times; the fifth failure locks the address out.
    assert [attempt(client, "guess").status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    refused = attempt(client, "the-right-password")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert "Too many failed login attempts" in refused.content.decode()


def test_a_successful_login_clears_the_count(client, staff):
    for _ in range(4):
        attempt(client, "guess")
    assert attempt(client, "the-right-password").status_code == 302
    client.logout()
    assert [attempt(client, "guess").status_code for _ in range(4)] == [200] * 4


def test_guesses_at_several_accounts_count_together(client, staff):
    """Locked per address: trying other usernames gives no new guesses."""
    codes = [attempt(client, "guess", username=name).status_code for name in ["editor", "reviewer"] * 3]
    assert codes[4:] == [429, 429]
    assert attempt(client, "another-right-password", username="reviewer").status_code == 429


def test_an_editor_at_another_address_still_signs_in(client, staff):
    for _ in range(5):
        attempt(client, "guess", REMOTE_ADDR=CLIENT_A)
    assert attempt(client, "the-right-password", REMOTE_ADDR=CLIENT_A).status_code == 429
    assert attempt(client, "the-right-password", REMOTE_ADDR=CLIENT_B).status_code == 302


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(client, staff, settings):
    """With DJANGO_NUM_PROXIES=1 every request comes from the proxy; X-Forwarded-For names the client."""
    settings.NUM_PROXIES = 1

    def through_proxy(password, client_address, claimed=""):
        forwarded = f"{claimed}, {client_address}" if claimed else client_address
        return attempt(client, password, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    # A guesses five times, claiming a new address each time in front of the proxy's entry.
    for n in range(5):
        through_proxy("guess", CLIENT_A, claimed=f"192.0.2.{n}")
    assert through_proxy("the-right-password", CLIENT_A).status_code == 429
    # B, behind the same proxy, is not locked out.
    assert through_proxy("the-right-password", CLIENT_B).status_code == 302
