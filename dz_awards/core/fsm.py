"""One way to make a django-fsm transition from a service."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django_fsm import has_transition_perm


def make_transition(
    obj: Any, method_name: str, user: Any, *, busy_message: str, error: type[Exception]
) -> str:
    """Check permission and state for one transition, then make it (without saving).

    django-fsm does not check `permission=` when a transition is called, so this
    does. A person without the permission gets PermissionDenied whatever the
    state (they learn nothing about it); a person with it, in a state the
    transition does not leave from, gets `error(busy_message)`, with `{state}`
    filled in. Returns the state it left.
    """
    method = getattr(obj, method_name)
    if not has_transition_perm(method, user):
        # django-fsm finds no transition (so no permission) from a state outside
        # `source`, so ask the permission of the transition's own declarations.
        transitions = method._django_fsm.transitions.values()
        if not any(t.has_perm(obj, user) for t in transitions):
            raise PermissionDenied
        raise error(busy_message.format(state=obj.get_state_display().lower()))
    from_state = obj.state
    method()
    return from_state
