"""Disclosure documents: building them, requesting and retrying them, and rendering them as jobs.

- `building`: the kinds of document, their inputs and content hash, the request key, the PDF itself;
- `requests`: request and retry, the services the pages, the API and the command line call;
- `outbox`: every job is a row first, handed to the broker after commit; the sweeper re-sends what the
  broker did not take and recovers jobs whose worker was lost;
- `jobs`: the worker side: claim a job, render it, mark it ready or failed, supersede older documents.

Building's names are re-exported here so that `disclosure.documents.verify_url` and the like keep
working; patch them in `building`, where the other modules look them up.
"""

from disclosure.documents.building import (
    DOCUMENT_TYPES,
    REVISION_SOURCES,
    TEMPLATE_VERSION,
    DocumentType,
    Inputs,
    Rendered,
    attachment_name,
    build,
    canonical_json,
    default_assessment_date,
    document_type,
    records_revision,
    render,
    request_key,
    verify_url,
)

__all__ = [
    "DOCUMENT_TYPES",
    "REVISION_SOURCES",
    "TEMPLATE_VERSION",
    "DocumentType",
    "Inputs",
    "Rendered",
    "attachment_name",
    "build",
    "canonical_json",
    "default_assessment_date",
    "document_type",
    "records_revision",
    "render",
    "request_key",
    "verify_url",
]
