"""Placeholder: being written."""

from django.views import View


class QueueView(View):
    pass


class InvitationView(View):
    pass


class AssignmentView(View):
    pass


class AcceptView(View):
    pass


class DeclineView(View):
    pass


class ConflictView(View):
    pass


class ReviewFormView(View):
    pass


class FileView(View):
    pass


class ExportView(View):
    pass
