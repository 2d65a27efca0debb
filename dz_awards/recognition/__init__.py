"""Recognition for winners and finalists: a certificate and a website badge.

It stands above review and the library: it answers the release of decisions
(nominations' `decision_released` signal) and may link to a published profile.
"""
