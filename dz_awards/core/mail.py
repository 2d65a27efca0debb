"""A development email backend that prints what a person would read."""

from django.core.mail import EmailMessage
from django.core.mail.backends import console


class ReadableConsoleBackend(console.EmailBackend):
    """Like Django's console backend, but prints the decoded text.

    The stock backend prints the raw MIME message, where long lines (such as
    the links in our emails) come out quoted-printable and broken with `=`.
    """

    def write_message(self, message: EmailMessage) -> None:
        self.stream.write(
            f"To: {', '.join(message.to)}\nSubject: {message.subject}\n\n{message.body}\n"
        )
        self.stream.write("-" * 79 + "\n")
