"""The rate-limit settings reader, its system check, and the words for a wait."""

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from dz_awards.core.checks import client_address_settings
from dz_awards.core.limits import LIMITS, rate_for, rate_problems, too_many_requests, wait_words

VALID = dict.fromkeys(LIMITS, "5/h")


def test_rate_for_reads_settings_at_each_call(settings):
    settings.RATE_LIMITS = {**VALID, "message": "7/10m"}
    assert rate_for("message") == "7/10m"
    settings.RATE_LIMITS = {**VALID, "message": " OFF "}
    assert rate_for("message") is None


def test_rate_for_unknown_limit_is_a_configuration_error():
    """A view decorated with a misspelt limit fails loudly, never unlimited."""
    with pytest.raises(ImproperlyConfigured, match="Unknown rate limit 'mesage'"):
        rate_for("mesage")


def test_default_rates_are_all_valid():
    """The production defaults (settings.py, read again without the test overrides)."""
    from dz_awards import settings as production

    assert set(production.RATE_LIMITS) == set(LIMITS)
    assert rate_problems(production.RATE_LIMITS) == []


@pytest.mark.parametrize("rate", ["5/h", "100/10m", "1/s", "30/d", "off", "Off"])
def test_rate_problems_accepts_rates_and_off(rate):
    assert rate_problems({**VALID, "upload": rate}) == []


@pytest.mark.parametrize("rate", ["", "5", "5/hour", "0/h", "5/0m", "-1/h", "five/h", "5/h/2"])
def test_rate_problems_names_a_malformed_rate(rate):
    assert rate_problems({**VALID, "upload": rate}) == [
        f"upload: {rate!r} is not a rate such as 5/h or 100/10m"
    ]


def test_rate_problems_names_missing_and_unknown_limits():
    rates = {name: rate for name, rate in VALID.items() if name != "login"}
    assert rate_problems({**rates, "logins": "5/h"}) == [
        "login: no rate set",
        "logins: not a limit this site has",
    ]


def test_system_check_reports_each_rate_problem(settings):
    """A typo in an environment variable stops `manage.py check`, not the first visitor."""
    settings.RATE_LIMITS = {**VALID, "upload": "5/hour"}
    errors = client_address_settings(None)
    assert [(error.id, error.msg) for error in errors] == [
        ("dz_awards.E002", "RATE_LIMITS upload: '5/hour' is not a rate such as 5/h or 100/10m.")
    ]
    settings.RATE_LIMITS = VALID
    assert client_address_settings(None) == []


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (-1, "1 minute"),
        (1, "1 minute"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3599, "1 hour"),
        (3660, "1 hour, 1 minute"),
        (7200, "2 hours"),
        (86400, "1 day"),
        (2 * 86400 + 3 * 3600 - 30, "2 days, 3 hours"),
        (2 * 86400 + 3 * 3600 + 1, "2 days, 4 hours"),
    ],
)
def test_wait_words_rounds_up(seconds, words):
    """Nobody is told to come back before the limit has lifted."""
    assert wait_words(seconds) == words


@pytest.mark.django_db
@time_machine.travel(datetime.fromisoformat("2031-03-04T15:00:00-05:00"), tick=False)
def test_429_page_says_when_in_eastern_time():
    """The page names the clock time too, in the deadline's time zone."""
    response = too_many_requests(RequestFactory().get("/"), name="message", retry_after=600)

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "sent messages too many times in a short while" in html
    assert "Try again in 10 minutes</strong>, after <time datetime=" in html
    assert "Tuesday, March 4, 2031, 3:10 PM EST</time>" in html
