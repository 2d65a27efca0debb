"""Placeholders in text that program staff write: `{agency_name}` and the like.

Staff-written email wording is never handed to the Django template engine:
a template tag in it would run with whatever the context holds. It is plain
text with named placeholders instead, checked when it is saved (an unknown
or malformed one is an error naming it, never a silent blank) and filled in
one pass, so a value that itself contains `{...}` (a nomination titled
"{link}") stays text and is not filled again.

The syntax has no escape: every `{` must open a known placeholder and every
`}` close one. Literal braces are rare in an email to an agency, and an
escape would let `{{ user.email }}` (template syntax) pass for text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

# A candidate placeholder: braces around anything but braces.
_CANDIDATE = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def placeholder_problems(text: str, allowed: Iterable[str]) -> list[str]:
    """Every problem with the placeholders of `text`, in plain words (empty: none).

    A placeholder is `{name}` with a name from `allowed`. Reported, once each:
    an unknown name, a malformed one (spaces, dots, template syntax), and a
    brace that opens or closes nothing.
    """
    names = set(allowed)
    problems: list[str] = []

    def note(problem: str) -> None:
        if problem not in problems:
            problems.append(problem)

    for match in _CANDIDATE.finditer(text):
        inner = match.group(1)
        if not _NAME.fullmatch(inner):
            note(
                f"“{match.group(0)}” is not a placeholder: write one as {{name}}, for example "
                f"{{{sorted(names)[0] if names else 'name'}}}."
            )
        elif inner not in names:
            note(f"Unknown placeholder {{{inner}}}.")
    leftover = _CANDIDATE.sub("", text)
    if "{" in leftover or "}" in leftover:
        note(
            "A brace “{” or “}” opens or closes no placeholder: braces are only for "
            "placeholders such as {agency_name}."
        )
    return problems


def subject_and_body_problems(
    subject: str, body: str, allowed: Iterable[str], *, empty_body: str
) -> dict[str, list[str]]:
    """What is wrong with an email's subject and body, per field (empty: nothing).

    The subject is one line (a header never spans lines); both may use only
    the `allowed` placeholders, written correctly; `empty_body` is the message
    for a body left empty.
    """
    allowed = list(allowed)
    problems: dict[str, list[str]] = {}
    subject_problems = placeholder_problems(subject, allowed)
    if any(char in subject for char in "\r\n\x00"):
        subject_problems.insert(0, "The subject must be one line.")
    if not subject.strip():
        subject_problems.insert(0, "Write a subject.")
    if subject_problems:
        problems["subject"] = subject_problems
    body_problems = placeholder_problems(body, allowed)
    if not body.strip():
        body_problems.insert(0, empty_body)
    if body_problems:
        problems["body"] = body_problems
    return problems


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each known `{name}` replaced by its value, in one pass.

    Anything else (unknown names, stray braces) is left as it is: text saved
    through the forms has none, and the values are never read as placeholders.
    """

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _CANDIDATE.sub(value, text)


def one_line(text: str) -> str:
    """`text` on one line, for an email subject: a header never spans lines."""
    return " ".join(text.split())
