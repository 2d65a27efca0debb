"""Logs as one JSON object per line (LOG_FORMAT=json), for log collectors that parse them.

The formatting is python-json-logger's; this adds what Django's request loggers
carry (the request's method, path and id, the response status) as plain fields,
instead of the request object's repr, and names the fields the same way in every
line: time, level, logger, message, then method, path, status, request_id and
exception where a record has them.

The request id is the one the proxy in front sends (`X-Request-ID`), so a line
here can be matched with the proxy's own log.
"""

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

# Record attributes Django's loggers add that are objects, not data; dropped from
# the line once what they say is taken out of them.
OBJECT_EXTRAS = ("request", "server_time")


class JsonFormatter(BaseJsonFormatter):
    """One line of JSON per record; see the module's docstring for the fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        from django.http import HttpRequest  # noqa: PLC0415 - settings import this module

        request = getattr(record, "request", None)
        super().add_fields(log_data, record, message_dict)
        for name in OBJECT_EXTRAS:
            log_data.pop(name, None)
        if "exc_info" in log_data:
            log_data["exception"] = log_data.pop("exc_info")
        if "status_code" in log_data:
            log_data["status"] = log_data.pop("status_code")
        if isinstance(request, HttpRequest):
            log_data["method"] = request.method
            log_data["path"] = request.path
            request_id = request.headers.get("X-Request-ID")
            if request_id:
                log_data["request_id"] = request_id[:200]
        # The time first, as collectors and people read it.
        fields = dict(log_data)
        log_data.clear()
        log_data["time"] = fields.pop("time").isoformat()
        log_data.update(fields)


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: plain lines, or JSON lines when `log_format` is "json"."""
    handler: dict[str, Any] = {"class": "logging.StreamHandler"}
    formatters: dict[str, Any] = {}
    if log_format == "json":
        formatters["json"] = {"()": "dz_awards.core.logging.JsonFormatter"}
        handler["formatter"] = "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters,
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Axes logs every attempt with the username at INFO; keep those out of plain logs.
            "axes": {"level": "WARNING"},
            # pikepdf announces at INFO, on import, that its qpdf messages reach logging.
            "pikepdf": {"level": "WARNING"},
        },
    }
