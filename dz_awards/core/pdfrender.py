"""Rendering PDFs from our own templates, safely: the parts every PDF of the site shares.

Profiles (the public summary) and nominations and reviews (the packets) each
write their own template; this module and `core.pdfhtml` are how any of them
becomes a PDF:

- `core.pdfhtml.html_to_pdf` renders with a fetcher that answers only the
  `dz:` addresses it was given, as tagged PDF/UA-1 (see there);
- `run_with_time_limit` runs the rendering (or any work that ends in a PDF) in a
  child process and stops it after the time limit, so a hostile or huge
  document cannot hold a worker;
- `stylesheet` reads one of our static stylesheets, passed to WeasyPrint as text.

This module does not import WeasyPrint (heavy to load): web processes that
only ask for PDFs, or hash what goes into them, never load it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders

from dz_awards.core.errors import ServiceError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# (bytes, content type) of each file a document may load, by its `dz:` address.
Files = dict[str, tuple[bytes, str]]


class PdfRenderError(ServiceError):
    """The PDF could not be made (too slow, or WeasyPrint failed); the message says which."""


def stylesheet(path: str) -> str:
    """The text of one of our static stylesheets (passed to WeasyPrint as a string)."""
    found = finders.find(path)
    if not found or isinstance(found, list):
        raise PdfRenderError(f"The stylesheet {path} is missing.")
    return Path(found).read_text(encoding="utf-8")


def _child(connection: Connection, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        connection.send(("ok", work(*args)))
    except Exception as error:  # reported to the parent, which raises
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def run_with_time_limit[T](work: Callable[..., T], *args: Any, seconds: float) -> T:
    """`work(*args)` in a child process; stopped (PdfRenderError) after `seconds`.

    A failure inside the child comes back as PdfRenderError with its reason.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, work, args), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise PdfRenderError(f"The PDF took longer than {seconds} seconds and was stopped.")
        status, payload = receive.recv()
    except EOFError as error:
        raise PdfRenderError("The PDF renderer stopped without a result.") from error
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
    if status != "ok":
        raise PdfRenderError(f"The PDF could not be rendered: {payload}")
    return payload
