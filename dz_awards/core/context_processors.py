from dz_awards.accounts.rules import is_program_staff


def navigation(request):
    """Which parts of the navigation this person sees.

    Only what the layout shows: each entry costs every page its check (the
    reviewer entry arrives with the reviewer pages).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": {"staff": is_program_staff(user)}}
