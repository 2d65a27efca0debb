"""/data.json: a DCAT-US 1.1 (Project Open Data v1.1) catalogue of the library.

The required fields and their types are those of the schema's JSON Schema files
(project-open-data/project-open-data.github.io, v1.1/schema/catalog.json,
dataset.json, distribution.json, organization.json, vcard.json, at commit
52a0277); the schema files are not copied into this repository, so they are
checked one by one.
"""

import re

import pytest
from django.conf import settings

from tests.profiles.factories import ProfileFactory, ReadingClient, TopicFactory

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$")
DATASET_REQUIRED = {
    "bureauCode": list,
    "programCode": list,
    "title": str,
    "description": str,
    "keyword": list,
    "modified": str,
    "publisher": dict,
    "contactPoint": dict,
    "identifier": str,
    "accessLevel": str,
}


def test_data_json_carries_every_required_field_with_the_schema_types():
    ProfileFactory(topics=[TopicFactory(slug="peer-support", name="Peer support")])
    response = ReadingClient().get("/data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    catalog = response.json()
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert catalog["@type"] == "dcat:Catalog"
    assert "@context" in catalog  # the schema requires it with @type
    (dataset,) = catalog["dataset"]
    for name, kind in DATASET_REQUIRED.items():
        assert isinstance(dataset[name], kind), name
        assert dataset[name], name
    assert all(re.search(r"[0-9]{3}:[0-9]{2}", code) for code in dataset["bureauCode"])
    assert all(re.search(r"[0-9]{3}:[0-9]{3}", code) for code in dataset["programCode"])
    assert "peer support" in dataset["keyword"]
    assert all(isinstance(k, str) and k for k in dataset["keyword"])
    assert ISO_DATE.match(dataset["modified"])
    assert dataset["accessLevel"] in ("public", "restricted public", "non-public")
    assert dataset["publisher"]["name"]
    assert dataset["contactPoint"]["fn"]
    assert re.match(r"^mailto:([\w.-]+@[\w.-]+\.[\w.-]+)?$", dataset["contactPoint"]["hasEmail"])
    # The address the site itself gives for questions (the footer's), not the sender's.
    assert dataset["contactPoint"]["hasEmail"] == f"mailto:{settings.CONTACT_EMAIL}"
    urls = {}
    for distribution in dataset["distribution"]:
        assert distribution["@type"] == "dcat:Distribution"
        assert MEDIA_TYPE.match(distribution["mediaType"])
        assert distribution["format"]
        urls[distribution["mediaType"]] = distribution["downloadURL"]
    assert set(urls) == {"application/json", "text/csv", "application/atom+xml"}
    for url in urls.values():
        path = url.split("://", 1)[1].split("/", 1)[1]
        assert ReadingClient().get(f"/{path}").status_code == 200, url
