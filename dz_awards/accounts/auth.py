"""Hooks that django-axes calls."""


def axes_username(request, credentials):
    """Count failures against the address as a person means it, whatever its case or spaces.

    Without this, `Chief@x.org` and `chief@x.org` would each get their own
    allowance of attempts.
    """
    source = credentials if credentials is not None else request.POST
    return (source.get("username") or "").strip().lower()
