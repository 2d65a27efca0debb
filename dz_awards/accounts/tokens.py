from django.contrib.auth.tokens import PasswordResetTokenGenerator


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the emailed link that sets a password.

    The same link verifies a new address and resets a forgotten password:
    either way, following it proves the person holds the inbox. The hash covers
    the password and verification time, so a link stops working once used.
    """

    key_salt = "dz_awards.accounts.tokens.SetPasswordTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        verified = "" if user.email_verified_at is None else user.email_verified_at.isoformat()
        return f"{super()._make_hash_value(user, timestamp)}{verified}{user.is_active}"


set_password_token = SetPasswordTokenGenerator()
