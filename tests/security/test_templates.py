"""Pages carry no inline scripts, styles or event handlers: the CSP would block them.

A page that relied on one would silently break in browsers, so the HTML
itself is checked.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from dz_awards.accounts.services import set_password_url
from tests import factories

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def anonymous(url_name):
    return lambda: Client().get(reverse(url_name), follow=True)


def signed_in(url_name):
    def get():
        client = Client()
        client.force_login(factories.UserFactory())
        return client.get(reverse(url_name), follow=True)

    return get


def set_password_page():
    user = factories.UserFactory(email_verified_at=None)
    path = set_password_url(user).split("/accounts/", 1)[1]
    return Client().get(f"/accounts/{path}", follow=True)


PAGES = {
    "home": anonymous("portal:home"),
    "login": anonymous("accounts:login"),
    "register": anonymous("accounts:register"),
    "register-sent": anonymous("accounts:register-sent"),
    "password-reset": anonymous("accounts:password-reset"),
    "password-reset-sent": anonymous("accounts:password-reset-sent"),
    "set-password": set_password_page,
    "password-change": signed_in("accounts:password-change"),
    "dashboard": signed_in("portal:dashboard"),
}


@pytest.fixture(params=PAGES)
def html(request):
    response = PAGES[request.param]()
    assert response.status_code == 200
    return response.content.decode()


def test_page_has_no_inline_script(html):
    """Every script is loaded from a file; the page does load at least one that way."""
    assert INLINE_SCRIPT.findall(html) == []
    assert EXTERNAL_SCRIPT.search(html) is not None


def test_page_has_no_style_attribute(html):
    """No element carries a style attribute (' style="'), nor is there a <style> block."""
    assert ' style="' not in html
    assert STYLE_ATTRIBUTE.findall(html) == []
    assert STYLE_ELEMENT.findall(html) == []


def test_page_has_no_inline_event_handler(html):
    """No onclick=, onload= or other handler attributes."""
    assert EVENT_HANDLER.findall(html) == []
