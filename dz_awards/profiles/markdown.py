"""The public copy's Markdown: the site's one Markdown renderer, `dz_awards.core.markdown`.

Kept under this name so the library's modules read `markdown.render(profile.need)`.
"""

from dz_awards.core.markdown import ALLOWED_TAGS, LINK_SCHEMES, plain_text, render

__all__ = ["ALLOWED_TAGS", "LINK_SCHEMES", "plain_text", "render"]
