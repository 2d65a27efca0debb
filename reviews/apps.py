from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The review domain: rubrics, reviewers, conflicts, assignments, scores, decisions."""

    name = "reviews"
    label = "reviews"
    verbose_name = "Review and scoring"
