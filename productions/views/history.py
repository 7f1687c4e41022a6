"""Readable audit trails: who changed which field of a record, from what to what, and why."""

import datetime
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import FileField, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from simple_history.models import DeletedObject

from productions import bulk_edit, selectors
from productions.access import production_access
from productions.imports import IMPORT_REASON_PREFIX, UNDO_REASON_PREFIX
from productions.views.consents import consent_of
from productions.views.people import person_of
from productions.vocabularies import ReviewState

HISTORY_PAGE_SIZE = 50

# The reasons the services write into the audit trail, as a reader should see them.
CHANGE_REASONS = {
    "created": "",  # says no more than the entry's kind
    "creator": gettext_lazy("Creator of the production"),
    "terms changed: back to draft": gettext_lazy("Terms changed: back to draft for a new review"),
    "revoked": gettext_lazy("Consent withdrawn"),
    "document attached": gettext_lazy("Signed document attached"),
    **{state.value: state.label for state in ReviewState},
}


def readable_reason(reason):
    """The audit reason in the reader's language; an import names its file, a bulk edit what it changed."""
    if reason.startswith(IMPORT_REASON_PREFIX):
        return _("Imported from %(file)s") % {"file": reason.removeprefix(IMPORT_REASON_PREFIX)}
    if reason.startswith(UNDO_REASON_PREFIX):
        return _("Import of %(file)s undone") % {"file": reason.removeprefix(UNDO_REASON_PREFIX)}
    if reason.startswith(bulk_edit.REASON_PREFIX):
        changes = reason.removeprefix(bulk_edit.REASON_PREFIX).split(", ")
        if all(change in bulk_edit.CHANGE_LABELS for change in changes):
            return _("Bulk edit: %(changes)s") % {"changes": ", ".join(map(bulk_edit.change_label, changes))}
    return str(CHANGE_REASONS.get(reason, reason))


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RelationChange:
    label: str
    added: list[str]
    removed: list[str]


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    relation_changes: list[RelationChange] = field(default_factory=list)


@dataclass(frozen=True)
class Relation:
    """A many-to-many field whose value each history entry keeps as a snapshot of related rows."""

    name: str  # the field on the record: "people"
    target: str  # the related row on the snapshot: "person"
    select: tuple[str, ...] = ()  # what the related row's name needs loaded

    def prefetch(self, history_model):
        # django-simple-history keeps each snapshot in a model named after the history model and the field.
        snapshots = history_model._meta.get_field(f"{history_model._meta.model_name}_{self.name}")
        rows = snapshots.related_model.objects.select_related(self.target, *self.select)
        return Prefetch(snapshots.get_accessor_name(), queryset=rows, to_attr=f"{self.name}_snapshot")

    def members(self, record):
        """{id: name} of the related records this entry's snapshot holds."""
        if record is None:
            return {}
        members = {}
        for row in getattr(record, f"{self.name}_snapshot"):
            target = getattr(row, self.target)
            target_id = getattr(row, f"{self.target}_id")
            members[target_id] = str(target) if target else _("deleted record #%(id)s") % {"id": target_id}
        return members


AI_USE_RELATIONS = (Relation("people", "person"), Relation("consents", "consent", ("consent__person",)))


def _display(model_field, value):
    """A value as the record's page shows it: choice labels, localized dates, names of people and records."""
    if value is None or value == "" or value == [] or (isinstance(value, DeletedObject) and value.pk is None):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(model_field, FileField):
        # Stored names are random, never the uploader's: enough to tell one file from another.
        return PurePosixPath(str(value)).name
    if isinstance(value, get_user_model()):
        return value.get_full_name() or value.get_username()
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    choices = dict(model_field.flatchoices)
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def _field_changes(record, older, excluded_fields):
    delta = record.diff_against(older, excluded_fields=excluded_fields, foreign_keys_are_objs=True)
    changes = []
    for change in delta.changes:
        # The record's own field: the history copy has lost its kind (a file becomes text).
        model_field = record.instance_type._meta.get_field(change.field)
        changes.append(
            FieldChange(
                label=str(model_field.verbose_name),
                old=_display(model_field, change.old),
                new=_display(model_field, change.new),
            )
        )
    return changes


def _relation_changes(record, older, relations):
    changes = []
    for relation in relations:
        before, after = relation.members(older), relation.members(record)
        added = sorted(name for pk, name in after.items() if pk not in before)
        removed = sorted(name for pk, name in before.items() if pk not in after)
        if added or removed:
            label = str(record.instance_type._meta.get_field(relation.name).verbose_name)
            changes.append(RelationChange(label, added, removed))
    return changes


def _entry(record, older, excluded_fields, relations):
    reason = record.history_change_reason or ""
    entry = HistoryEntry(
        when=record.history_date,
        who=record.history_user,
        kind=record.get_history_type_display(),
        reason=readable_reason(reason),
    )
    # A change is read against the entry before it; creation and deletion speak for themselves.
    if record.history_type == "~" and older is not None:
        entry.changes = _field_changes(record, older, excluded_fields)
        entry.relation_changes = _relation_changes(record, older, relations)
    return entry


def history_page(request, records, *, select_related=(), excluded_fields=(), relations=()):
    """One page of readable entries, newest first, in a number of queries that does not grow with the page.

    Each entry is compared with the one before it, as `record.diff_against(record.prev_record)`
    would, but from one fetch: the page plus the single older entry its oldest one needs.
    """
    history_model = records.model
    records = (
        records.select_related("history_user", *select_related)
        .prefetch_related(*(relation.prefetch(history_model) for relation in relations))
        .order_by("-history_date", "-history_id")
    )
    paginator = Paginator(records, HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    offset = (page.number - 1) * HISTORY_PAGE_SIZE
    window = list(records[offset : offset + HISTORY_PAGE_SIZE + 1])
    entries = [
        _entry(record, window[index + 1] if index + 1 < len(window) else None, excluded_fields, relations)
        for index, record in enumerate(window[:HISTORY_PAGE_SIZE])
    ]
    return page, entries


def _render(request, access, template, page, entries, **subject):
    context = {**access.context(), **subject, "page": page, "entries": entries}
    return render(request, f"productions/history/{template}.html", context)


@require_GET
@login_required
def ai_use_history(request, pk, use_pk):
    access = production_access(request, pk)
    use = selectors.get_ai_use(request.user, use_pk)
    if use.production_id != access.production.pk:
        raise Http404(_("No such AI use in this production."))
    page, entries = history_page(
        request,
        use.history.all(),
        select_related=("tool",),
        excluded_fields=("production", "people", "consents"),
        relations=AI_USE_RELATIONS,
    )
    return _render(request, access, "ai_use", page, entries, use=use)


@require_GET
@login_required
def consent_history(request, pk, consent_pk):
    access = production_access(request, pk)
    consent = consent_of(request, access.production, consent_pk)
    page, entries = history_page(
        request, consent.history.all(), select_related=("reviewed_by",), excluded_fields=("person",)
    )
    return _render(request, access, "consent", page, entries, consent=consent, person=consent.person)


@require_GET
@login_required
def person_history(request, pk, person_pk):
    access = production_access(request, pk)
    person = person_of(request, access.production, person_pk)
    page, entries = history_page(request, person.history.all(), excluded_fields=("production",))
    return _render(request, access, "person", page, entries, person=person)


urlpatterns = [
    path("productions/<int:pk>/uses/<int:use_pk>/history/", ai_use_history, name="ai-use-history"),
    path("productions/<int:pk>/consents/<int:consent_pk>/history/", consent_history, name="consent-history"),
    path("productions/<int:pk>/people/<int:person_pk>/history/", person_history, name="person-history"),
]
