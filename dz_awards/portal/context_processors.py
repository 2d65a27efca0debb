from django.conf import settings

from dz_awards.accounts.rules import is_program_staff, is_reviewer
from dz_awards.portal.todos import todo_count


class _Roles:
    """The roles the navigation shows, each checked at most once per request.

    `staff` costs nothing (a field of the user). `reviewer` needs one small
    query; it is asked only when a template reads it. It is not kept in the
    session on purpose: a role given or taken by staff shows on the next page,
    and every page costs the same number of queries, first or not.
    `todos` (how many to-dos the dashboard lists) is counted once, when read,
    in a fixed number of queries (`portal.todos.todo_count`).
    """

    def __init__(self, user):
        self._user = user
        self.staff = is_program_staff(user)

    @property
    def reviewer(self):
        if not hasattr(self, "_reviewer"):
            self._reviewer = is_reviewer(self._user)
        return self._reviewer

    @property
    def todos(self):
        if not hasattr(self, "_todos"):
            self._todos = todo_count(self._user, reviewer=self.reviewer, staff=self.staff)
        return self._todos


def navigation(request):
    """Which parts of the navigation this person sees."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": _Roles(user)}


def contact(request):
    """The address people write to program staff at (CONTACT_EMAIL), on every page."""
    return {"CONTACT_EMAIL": settings.CONTACT_EMAIL}
