"""The reminders staff send from the workload page. Forms validate; services write."""

from django import forms


class RemindForm(forms.Form):
    """One reviewer, every late reviewer (`late`), or, with neither, every reviewer with
    reviews waiting; `sort` is the table's order, kept for the way back."""

    reviewer = forms.IntegerField(required=False, min_value=1)
    late = forms.BooleanField(required=False)
    sort = forms.CharField(required=False, max_length=20)
