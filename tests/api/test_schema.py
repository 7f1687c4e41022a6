"""The OpenAPI 3 schema: valid, complete, and served with interactive docs from our own static files."""

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from tests.api.conftest import openapi_document


@pytest.fixture(scope="module")
def schema():
    return yaml.safe_load(openapi_document())


def test_the_schema_validates_without_a_warning(tmp_path):
    # Raises (a non-zero exit) on any warning or validation error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


def test_every_endpoint_is_described(schema):
    paths = schema["paths"]

    for path in (
        "/api/v1/productions/",
        "/api/v1/productions/{id}/",
        "/api/v1/productions/{production_id}/members/{id}/",
        "/api/v1/productions/{production_id}/people/{id}/",
        "/api/v1/productions/{production_id}/ai-uses/{id}/",
        "/api/v1/productions/{production_id}/consents/{id}/request-changes/",
        "/api/v1/productions/{production_id}/consents/{id}/document/",
        "/api/v1/productions/{production_id}/literacy-measures/{id}/",
        "/api/v1/productions/{production_id}/checklist/",
        "/api/v1/productions/{production_id}/checklist/{item_id}/attestation/",
        "/api/v1/productions/{production_id}/documents/{id}/download/",
        "/api/v1/tools/{id}/",
        "/api/v1/verify/{document_id}/",
    ):
        assert path in paths, path
    filters = {p["name"] for p in paths["/api/v1/productions/{production_id}/ai-uses/"]["get"]["parameters"]}
    assert {"phase", "tool", "is_final", "consent_status", "deep_fake", "updated_since", "ordering", "page"} <= filters


def test_every_error_is_declared_in_the_one_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "404" in responses and "429" in responses, (method, path)
            if not path.startswith("/api/v1/verify/"):
                assert "401" in responses, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"400", "403"} <= set(responses), (method, path)
            for code in ("400", "401", "403", "404", "415", "429"):
                if code in responses:
                    content = responses[code]["content"]["application/json"]["schema"]
                    assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "code", "errors"}


def test_enums_come_from_the_vocabularies(schema):
    components = schema["components"]["schemas"]

    assert "trainedAlgorithmicMedia" in components["DigitalSourceTypeEnum"]["enum"]
    assert set(components["ConsentStatusEnum"]["enum"]) >= {"covered", "revoked", "out_of_scope"}
    assert components["AIUse"]["properties"]["phase"] == {"$ref": "#/components/schemas/PhaseEnum"}
    assert components["AIUse"]["properties"]["published_in"]["items"] == {
        "$ref": "#/components/schemas/PublishedInEnum"
    }
    assert components["AIUse"]["properties"]["published_in"]["type"] == "array"
    assert components["PublishedInEnum"]["enum"] == ["trailer", "poster", "epk", "social"]
    assert components["DeterminationEnum"]["enum"] == ["not_determined", "yes", "no"]
    for name in ("evidently_artistic", "screenplay_human_authored", "performances_by_humans"):
        assert components["Production"]["properties"][name]["allOf"] == [
            {"$ref": "#/components/schemas/DeterminationEnum"}
        ]


def test_tokens_and_sessions_are_the_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["tokenAuth"]["description"],
    }
    assert "cookieAuth" in schemes
    assert schema["paths"]["/api/v1/tools/"]["get"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]
    assert "security" not in schema["paths"]["/api/v1/verify/{document_id}/"]["get"]  # public


def test_the_docs_page_uses_our_static_files_not_a_cdn(db):
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    # The page's script is served apart (the CSP allows no inline script) and loads our schema.
    assert '<script src="/api/docs/?script="></script>' in page
    assert "/api/schema/" in Client().get("/api/docs/?script=").content.decode()
