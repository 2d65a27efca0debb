"""Pages for a signed-in person are never kept by a browser's or a proxy's cache.

Dashboards, nominations, reviews, exports and private files show personal or
confidential data; a cached copy could be read later by the next person at a
shared computer, or served by a proxy to someone else. Every response to a
signed-in person that has not said how it may be cached gets
`Cache-Control: private, no-store`. A view that decides for itself (a
never-cached form, a public feed) keeps its own header; anonymous visitors'
pages are left as they are, so public pages stay cacheable.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

PRIVATE_NO_STORE = "private, no-store"


class PrivateCacheControlMiddleware:
    """Adds `Cache-Control: private, no-store` to responses to signed-in people.

    Goes after the authentication middleware: it reads `request.user` once the
    view has answered (a sign-in or sign-out in the view counts).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
