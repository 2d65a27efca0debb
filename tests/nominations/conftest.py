import pytest

from tests import factories


@pytest.fixture
def cycle(db):
    return factories.CycleFactory()


@pytest.fixture
def category(cycle):
    return factories.CategoryFactory(cycle=cycle)


@pytest.fixture
def member(agency):
    """An approved (non-owner) member of `agency`."""
    return factories.MembershipFactory(agency=agency).user


@pytest.fixture
def draft(agency, cycle, category):
    """A complete draft of `agency`, ready to submit."""
    return factories.NominationFactory(agency=agency, cycle=cycle, category=category, complete=True)


@pytest.fixture
def nomination(draft):
    """The draft the file tests add files to."""
    return draft


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
