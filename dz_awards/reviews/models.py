"""Review-domain models (rubrics, assignments, reviews) arrive with the review work."""
