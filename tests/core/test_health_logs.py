"""LOG_FORMAT=json: one JSON object a line, with the request's details (core.logging)."""

import json
import logging
import logging.config
from io import StringIO

import pytest

from dz_awards.core.logging import JsonFormatter, logging_config


def _json_handler():
    """A handler with the formatter LOG_FORMAT=json configures, built as dictConfig builds it."""
    config = logging_config("json", "INFO")
    assert config["handlers"]["console"]["formatter"] == "json"
    formatter = logging.config.DictConfigurator(config).configure_formatter(
        config["formatters"]["json"]
    )
    assert isinstance(formatter, JsonFormatter)
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    return handler, stream


@pytest.fixture
def captured():
    """Lines the json formatter writes for the loggers a test names."""
    handler, stream = _json_handler()
    attached = []

    def attach(name):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        attached.append((logger, logger.level))
        logger.setLevel(logging.INFO)
        return logger

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield attach, lines
    for logger, level in attached:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_plain_text_unless_asked():
    config = logging_config("text", "WARNING")
    assert "formatter" not in config["handlers"]["console"]
    assert config["root"] == {"handlers": ["console"], "level": "WARNING"}


def test_a_line_is_one_json_object_with_time_level_logger_message_and_exception(captured):
    attach, lines = captured
    logger = attach("dz_awards.test_json")
    logger.info("Sent %d emails", 3)
    try:
        raise ValueError("no such cycle\nsecond line")
    except ValueError:
        logger.exception("Task failed")
    first, second = lines()
    assert list(first)[:4] == ["time", "level", "logger", "message"]
    assert first["time"].startswith("20")
    assert first["time"].endswith("+00:00")
    assert (first["level"], first["logger"], first["message"]) == (
        "INFO",
        "dz_awards.test_json",
        "Sent 3 emails",
    )
    assert "exception" not in first
    assert second["level"] == "ERROR"
    assert second["exception"].startswith("Traceback (most recent call last):")
    assert second["exception"].endswith("ValueError: no such cycle\nsecond line")


@pytest.mark.django_db
def test_a_request_logged_by_django_carries_method_path_status_and_request_id(client, captured):
    attach, lines = captured
    attach("django.request")
    response = client.get("/no-such-page/", headers={"X-Request-ID": "req-7f3a"})
    assert response.status_code == 404
    [line] = lines()
    assert line["message"] == "Not Found: /no-such-page/"
    assert (line["level"], line["logger"]) == ("WARNING", "django.request")
    assert (line["method"], line["path"], line["status"], line["request_id"]) == (
        "GET",
        "/no-such-page/",
        404,
        "req-7f3a",
    )
    # The request object itself is not dumped into the line.
    assert "request" not in line
