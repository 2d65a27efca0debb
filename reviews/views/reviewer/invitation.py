"""Accepting a reviewer invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refuse
from reviews import services
from reviews.forms.reviewer import InvitationAccountForm

# The invitation's sign-in: the account was just created or proven by the emailed link.
INVITATION_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


# Once the link has been opened, its token waits in the session under this key
# (one per invitation) and this word stands in for it in the address, as
# Django's password reset view does: the token reaches the access log once.
TOKEN_SESSION_KEY = "reviewer_invitation_token:{pk}"  # noqa: S105 a session key, not a secret
TOKEN_PLACEHOLDER = "accept"  # noqa: S105 a word in an address, not a secret
# Shown when the token-free address is opened without the link's token in the
# session (signed out since, or another browser).
OPEN_LINK_AGAIN = (
    "Open the link in your invitation email again to continue: this page needs it in this browser."
)


class InvitationView(TemplateView):
    """Accept a reviewer invitation: set up an account, or add the role to one's own.

    The emailed link carries the token. Opening it checks the token, keeps it in
    the session and redirects to the same address with `TOKEN_PLACEHOLDER` in
    its place, where the page works from the session. The page never sends its
    address as a Referer (only the site's origin) and is not cached. Whether the
    address already has an account is never looked up to draw the page: only
    the attempt to create one says so.
    """

    template_name = "reviews/reviewer/invitation.html"

    def dispatch(self, request, *args, **kwargs):
        session_key = TOKEN_SESSION_KEY.format(pk=kwargs["pk"])
        from_link = kwargs["token"] != TOKEN_PLACEHOLDER
        self.token = kwargs["token"] if from_link else request.session.get(session_key)
        if self.token is None:
            response = self.render_to_response({"problem": OPEN_LINK_AGAIN}, status=404)
        else:
            self.invitation = services.invitation_get(kwargs["pk"], self.token)
            if self.invitation is None:
                raise Http404
            if from_link and request.method in {"GET", "HEAD"}:
                request.session[session_key] = self.token
                response = redirect(
                    "reviews:invitation", pk=self.invitation.pk, token=TOKEN_PLACEHOLDER
                )
            else:
                response = super().dispatch(request, *args, **kwargs)
        # The token must never leave in a Referer: only the site's origin is sent. Not
        # "no-referrer": browsers then send `Origin: null` with the page's own form,
        # which the CSRF check rightly refuses.
        response["Referrer-Policy"] = "strict-origin"
        response["Cache-Control"] = "private, no-store"
        return response

    def _forget_token(self):
        self.request.session.pop(TOKEN_SESSION_KEY.format(pk=self.invitation.pk), None)

    def _mode(self):
        user = self.request.user
        if not user.is_authenticated:
            return "new"
        if user.email.lower() == self.invitation.email.lower():
            return "confirm"
        return "other"

    def get_context_data(self, **kwargs):
        problem = services.invitation_problem(self.invitation)
        context = {
            "invitation": self.invitation,
            "problem": problem,
            "mode": self._mode(),
            "login_url": f"{reverse('accounts:login')}?{urlencode({'next': self.request.path})}",
            **kwargs,
        }
        if not problem and context["mode"] == "new":
            context.setdefault(
                "form",
                InvitationAccountForm(
                    email=self.invitation.email,
                    initial={"full_name": self.invitation.full_name},
                ),
            )
        return super().get_context_data(**context)

    def get(self, request, *args, **kwargs):
        context = self.get_context_data()
        return self.render_to_response(context, status=410 if context["problem"] else 200)

    def post(self, request, *args, **kwargs):
        if services.invitation_problem(self.invitation):
            return self.get(request, *args, **kwargs)
        mode = self._mode()
        if mode == "new":
            return self._create_account(request)
        try:
            services.invitation_accept(pk=self.invitation.pk, token=self.token, user=request.user)
        except REFUSALS as error:
            refuse(request, error)
            return self.render_to_response(self.get_context_data())
        self._forget_token()
        messages.success(request, "You are now a reviewer. Your assignments appear here.")
        return redirect("reviews:queue")

    def _create_account(self, request):
        form = InvitationAccountForm(request.POST, email=self.invitation.email)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            user = services.invitation_accept(
                pk=self.invitation.pk,
                token=self.token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except REFUSALS as error:
            # The typed name stays; the passwords are not sent back to the browser.
            refuse(request, error, form=form)
            return self.render_to_response(self.get_context_data(form=form))
        self._forget_token()
        # login() gives the session a new key.
        login(request, user, backend=INVITATION_LOGIN_BACKEND)
        messages.success(request, "Your reviewer account is ready and you are signed in. Welcome.")
        return redirect("reviews:queue")
