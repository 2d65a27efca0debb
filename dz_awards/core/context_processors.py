from dz_awards.accounts.rules import is_program_staff, is_reviewer


def navigation(request):
    """Which parts of the navigation this person sees (computed lazily, once per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": {"staff": is_program_staff(user), "reviewer": is_reviewer(user)}}
