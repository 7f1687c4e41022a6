"""Parts of pages kept per records revision and date: the ledger's filters and table, the API's pages of uses.

At 50,000 uses, writing a page of 50 uses with their filters costs most of its time in Python: the rows, their
cells, the statuses and coverage, the filter form. What such a part shows is a function of the production's records
(its uses, people, consents, legal's coverage decisions, the production itself, the tools and the organisation's
policies on them), the date its statuses are computed on, and what the request asks (its query string, language and
role). So it is kept in Django's cache under a key made of exactly these, and the next request that asks the same
of the same records reads it back.

The records are named by their revision (productions.revisions): every write leaves an audit-trail entry, so any
write to a record a part reads changes the key, and the next request builds anew. The revision is read before the
part is built: a write in between leaves newer content under the older key, which no later request asks for, and
never older content under the newer one. The key also names what writes the parts (a fingerprint of their
templates, code and translations), so that a new release never reads what an older one kept.

Access is checked on every request before a part is read (production_access): a key names the production, so only
its members reach what is kept for it, and a part holds nothing that depends on who asks but the role's right to
edit, which the ledger's key names.
"""

import functools
import hashlib
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from productions import kept_statuses, revisions
from productions.models import AITool, OrganisationToolPolicy, Production

logger = logging.getLogger(__name__)

# What a kept part reads: the kinds of record a consent status reads, the production (its tracker-id pattern: the
# uses' episodes and sequences), the organisation's tool policies (a row's policy badge, the blocked-tool filter) and
# the tool catalogue (tool names in rows and choices, searched by the filter). Any edit of any tool counts: tools are
# shared, rarely edited, and the newest entry of the catalogue is read from its primary key alone.
PAGE_SOURCES = {
    **kept_statuses.STATUS_SOURCES,
    "production": (Production, "id"),
    "policies": (OrganisationToolPolicy, "organisation__productions"),
    "tools": (AITool, revisions.ANY),
}

# A kept part of a revision nobody asks for any more expires after an hour.
TIMEOUT = 60 * 60

_BASE = Path(__file__).resolve().parent.parent
# What writes the kept parts: a change to any of them (a release) changes every key.
_WRITERS = (
    "templates/productions/ledger/_filters.html",
    "templates/productions/ledger/_table.html",
    "templates/productions/ledger/_group_header.html",
    "templates/productions/ledger/_tool_policy.html",
    "productions/kept_pages.py",
    "productions/filters.py",
    "productions/forms/widgets.py",
    "productions/templatetags/ledger_grid.py",
    "productions/views/ledger.py",
    "productions/api/serializers.py",
    "productions/api/filters.py",
    "productions/api/views.py",
    "productions/consent_status.py",
)


@functools.cache
def _fingerprint() -> str:
    digest = hashlib.sha256()
    translations = sorted(path for base in settings.LOCALE_PATHS for path in Path(base).glob("*/LC_MESSAGES/*.mo"))
    for path in [*(_BASE / name for name in _WRITERS), *translations]:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def _query(query) -> list:
    """A query string's parameters in a canonical order: the same request, the same key."""
    return sorted((name, sorted(values)) for name, values in query.lists())


def key(production_id, part, query, **asked) -> str:
    """The cache key of `part` of a page of the production for this query string (a QueryDict), today (a date asked
    for, as the API's ?on=, is in the query string), in the active language, with `asked` (whatever else it depends
    on). Reads the revision: one query."""
    named = {
        "part": part,
        "production": production_id,
        "records": revisions.revision(production_id, PAGE_SOURCES),
        "today": timezone.localdate().isoformat(),
        "language": get_language(),
        "query": _query(query),
        "asked": asked,
        "writers": _fingerprint(),
    }
    return "kept-page:" + hashlib.sha256(json.dumps(named, sort_keys=True).encode()).hexdigest()


def kept(key, build):
    """What is kept under `key`, or what `build()` returns, kept under it. `build` may raise (a refused query): then
    nothing is kept. A cache that does not answer (a shared one that is down) costs speed, not the page: the part is
    built and nothing is kept."""
    try:
        value = cache.get(key)
    except Exception:  # any backend's error: Redis's ConnectionError, a timeout, an unreadable entry
        logger.warning("The cache did not answer: the page is built without it.", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, TIMEOUT)
        except Exception:
            logger.warning("The cache did not keep a page.", exc_info=True)
    return value
