"""The modules kept on one xdist worker are exactly those that share a module world."""

import pytest

from tests.conftest import SHARED_WORLD_MODULES, SharedWorldScheduling, uses_database

# The module-scoped fixtures that build a world with `tests.worlds.module_world`.
WORLD_FIXTURES = frozenset(
    {
        "demo_world",
        "access_world",
        "cards_world",
        "transitions_world",
        "feedback_world",
        "preferences_world",
        "findable_world",
        "library_cache_world",
        "openapi_world",
        "pdf_summary_world",
    }
)


def test_shared_world_modules_are_the_modules_using_a_module_world(request):
    """A module that starts sharing a world (or stops) is noticed here, not in the CI's time."""
    using = {
        item.nodeid.split("::", 1)[0]
        for item in request.session.items
        if WORLD_FIXTURES & set(getattr(item, "fixturenames", ()))
    }
    collected = {item.nodeid.split("::", 1)[0] for item in request.session.items}
    # Only what this run collected can be judged (a run of one directory sees part).
    assert using == SHARED_WORLD_MODULES & collected


@pytest.mark.parametrize(
    ("nodeid", "scope"),
    [
        ("tests/demo/test_demo_data.py::test_world_size", "tests/demo/test_demo_data.py"),
        (
            "tests/demo/test_demo_data_reviews.py::test_x[a::b]",
            "tests/demo/test_demo_data_reviews.py",
        ),
        (
            "tests/demo/test_demo_data_command.py::test_x[1]",
            "tests/demo/test_demo_data_command.py::test_x[1]",
        ),
        ("tests/core/test_outbox.py::TestX::test_y", "tests/core/test_outbox.py::TestX::test_y"),
    ],
)
def test_scheduler_groups_only_shared_world_modules(nodeid, scope):
    assert SharedWorldScheduling._split_scope(None, nodeid) == scope


class _Item:
    """What `uses_database` reads of a collected test."""

    def __init__(self, fixtures, marks=()):
        self.fixturenames = fixtures
        self.marks = marks

    def get_closest_marker(self, name):
        return name if name in self.marks else None


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (_Item(["settings", "tmp_path"]), False),
        (_Item(["settings"], marks=["django_db"]), True),
        (_Item(["client", "db"]), True),
        (_Item(["live_server", "page"]), True),
        (_Item(["demo", "demo_world", "django_db_setup"]), True),
    ],
)
def test_only_tests_that_use_no_database_are_left_out_of_the_second_run(item, expected):
    assert uses_database(item) is expected
