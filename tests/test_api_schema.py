"""The API against its own OpenAPI document, as a client's tooling would check it: the
document is valid OpenAPI 3, and a property-based run (schemathesis) of every operation
finds no server error and no answer the document does not describe. The docs page has no
inline script or style (the site's CSP refuses them; tests/browser/test_api_docs.py checks
that it renders)."""

from __future__ import annotations

import pytest
import schemathesis
from bs4 import BeautifulSoup
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import checks

from meetings.models import ImportRun, Meeting
from tests import real_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def pages(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), real_pages.imported() as summary:
        yield summary


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.API_THROTTLE_RATE = ""


def openapi_document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_openapi_document_is_valid_openapi_3(client):
    document = openapi_document(client)
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {
        "/api/v1/meetings/",
        "/api/v1/meetings/{language}/{kremlin_id}/",
        "/api/v1/utterances/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
        "/api/v1/countries/",
        "/api/v1/countries/{code}/",
        "/api/v1/imports/",
        "/api/v1/imports/{id}/",
    } == paths


def test_the_list_filters_are_documented_with_the_pages_parameter_names(client):
    document = openapi_document(client)
    params = {p["name"] for p in document["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert {
        "country", "participant", "person", "date_from", "date_to", "year", "kind", "lang",
        "has_transcript", "has_documents", "q", "sort", "cursor", "page_size",
    } <= params  # fmt: skip
    search = {p["name"] for p in document["paths"]["/api/v1/utterances/"]["get"]["parameters"]}
    assert {"q", "speaker", "person", "country", "date_from", "date_to", "lang", "sort"} <= search


# What the brief asks of the API: no 5xx, and nothing outside the document. Left out:
# ``positive_data_acceptance`` (a string parameter such as ``cursor`` or ``country`` is
# "valid" to the document but may still be refused with the form's 400, by design).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.mark.slow
def test_no_server_error_and_no_answer_outside_the_schema():
    """Every operation, with parameters generated from the document (valid and invalid
    ones): the app, called in process (WSGI, so it sees this test's data), answers within
    the document (status codes, bodies, the API-Version header) and never with a 5xx.
    Bounded: ``max_examples`` per operation, derandomized so a failure reproduces."""
    app = get_wsgi_application()
    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        run_schemathesis(app)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_schemathesis(app) -> None:
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 9
    answered: dict[str, set[int]] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(headers={"Host": "localhost"})
            answered.setdefault(case.operation.label, set()).add(response.status_code)
            case.validate_response(response, checks=CHECKS)

        check()
    assert len(answered) == len(operations)  # every operation was called
    # Random ids rarely name a stored meeting: real ones, checked the same way.
    meeting = Meeting.objects.order_by("id").first()
    run = ImportRun.objects.create(started_at=timezone.now())
    real = {
        "GET /api/v1/meetings/{language}/{kremlin_id}/": {
            "path_parameters": {"language": meeting.language, "kremlin_id": meeting.kremlin_id}
        },
        "GET /api/v1/imports/{id}/": {"path_parameters": {"id": run.pk}},
        "GET /api/v1/utterances/": {"query": {"q": "gas", "page_size": 3}},
    }
    by_label = {operation.label: operation for operation in operations}
    for label, parts in real.items():
        case = by_label[label].Case(**parts)
        response = case.call(headers={"Host": "localhost"})
        assert response.status_code == 200, label
        case.validate_response(response, checks=CHECKS)


def test_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    scripts = page.find_all("script")
    assert scripts and all(s.get("src") and not s.string for s in scripts)
    assert not page.find_all("style")
    assert not page.select("[style]")
    sources = [s["src"] for s in scripts]
    assert all(src.startswith("/static/") or src.startswith("/api/v1/docs/") for src in sources)
    script = client.get(sources[-1])
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/openapi.json" in script.content
