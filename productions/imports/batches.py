"""Import batches: what each committed import wrote, undoing it, and what its uses still lack for the checklist.

An import is recorded as an ImportBatch with an item per use it created or updated (imports.commit); an item of an
update keeps the values the row changed, as they were before. Undoing a batch deletes the uses it created and gives
the uses it updated their values back, in one transaction, audited as the import was: one history entry per use,
by the actor, with the reason "undo of import <file>".

Undoing is refused while something done since depends on the import: a use changed since (its version moved on:
an edit, a bulk edit, a later import) or a coverage decision legal made on one of its uses since. A disclosure
edition issued since is no dependency: its verification page already says that the records changed after it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from productions import tracker_ids
from productions.audit import bulk_delete_audited, bulk_update_audited
from productions.conflicts import Conflict
from productions.imports.template import field_label
from productions.models import AITool, AIUse, CoverageDecision, ImportBatch
from productions.notifications import blocks
from productions.roles import Capability, require
from productions.vocabularies import (
    AUDIOVISUAL_OUTPUT_TYPES,
    DISCLOSURE_FORMS,
    GENERATIVE_SOURCE_TYPES,
    DeepFake,
    DisclosureTiming,
    EmotionRecognition,
    ImportAction,
    OperatorRole,
    OutputType,
    TriState,
    UsePurpose,
)

BATCH_SIZE = 500
# The audit reason of what undoing an import writes, followed by the file's name (the history pages translate it).
UNDO_REASON_PREFIX = "undo of import "


# What an update item keeps: each changed field as the model serialises it, so that JSON holds dates and lists.


def stored_value(ai_use, name):
    model_field = AIUse._meta.get_field(name)
    if model_field.value_from_object(ai_use) is None:
        return None
    return model_field.value_to_string(ai_use)


def _value_of(name, stored):
    """The value `stored_value` kept, as the use holds it (a tool as its id)."""
    return None if stored is None else AIUse._meta.get_field(name).to_python(stored)


# Undo


@dataclass(frozen=True)
class Dependent:
    """A use of the batch that something done since the import depends on, and what."""

    ai_use: AIUse
    reasons: tuple[str, ...]


@dataclass
class Reversion:
    """A use the import updated, and the values undoing gives it back: {field: (now, before)}, a tool as its id."""

    ai_use: AIUse
    values: dict


@dataclass
class UndoPlan:
    batch: ImportBatch
    deletions: list[AIUse] = field(default_factory=list)  # the uses it created, still in the ledger
    reversions: list[Reversion] = field(default_factory=list)
    gone: int = 0  # uses it created or updated that were deleted since: left as they are
    dependents: list[Dependent] = field(default_factory=list)

    @property
    def has_work(self):
        return bool(self.deletions or self.reversions)


class UndoRefused(Conflict):
    """Something done since depends on the import: nothing was undone. `dependents` says what, use by use."""

    def __init__(self, dependents):
        super().__init__(
            ngettext(
                "This import cannot be undone: %(count)d of its uses was changed since, or something depends on it."
                " Undo those changes first, or correct the uses one by one.",
                "This import cannot be undone: %(count)d of its uses were changed since, or something depends on"
                " them. Undo those changes first, or correct the uses one by one.",
                len(dependents),
            )
            % {"count": len(dependents)}
        )
        self.dependents = dependents


def _batch_uses(batch, lock):
    uses = AIUse.objects.filter(import_items__batch=batch)
    if lock:
        uses = uses.select_for_update(of=("self",))
    return {ai_use.pk: ai_use for ai_use in uses}


def _changed_since(uses):
    """{use id: its newest history entry, with who wrote it}, in one query."""
    newest = AIUse.history.filter(id__in=[ai_use.pk for ai_use in uses]).values("id").annotate(last=Max("history_id"))
    entries = AIUse.history.filter(history_id__in=newest.values("last")).select_related("history_user")
    return {entry.id: entry for entry in entries}


def plan_undo(batch, *, lock=False):
    """What undoing `batch` would delete and give back, and what refuses it. Writes nothing.

    Queries: the batch's items, its uses, the coverage decisions made since, and, when some are refused, the
    newest history entry of those: a number that does not grow with the batch.
    """
    plan = UndoPlan(batch=batch)
    items = list(batch.items.all())
    uses = _batch_uses(batch, lock)
    reasons = defaultdict(list)
    moved_on = []
    for item in items:
        ai_use = uses.get(item.ai_use_id)
        if ai_use is None:
            plan.gone += 1
            continue
        if ai_use.version != item.version_after:
            moved_on.append(ai_use)
        if item.action == ImportAction.CREATE:
            plan.deletions.append(ai_use)
        else:
            values = {
                name: (getattr(ai_use, AIUse._meta.get_field(name).attname), _value_of(name, stored))
                for name, stored in item.before.items()
            }
            plan.reversions.append(Reversion(ai_use, values))
    if moved_on:
        entries = _changed_since(moved_on)
        for ai_use in moved_on:
            entry = entries[ai_use.pk]
            reasons[ai_use.pk].append(
                _("changed since the import, by %(name)s at %(time)s")
                % {"name": _person(entry.history_user), "time": _moment(entry.history_date)}
            )
    decisions = CoverageDecision.objects.filter(
        ai_use__import_items__batch=batch, decided_at__gt=batch.imported_at
    ).select_related("consent__person")
    for decision in decisions:
        reasons[decision.ai_use_id].append(
            _("legal decided since whether the consent of %(person)s covers it") % {"person": decision.consent.person}
        )
    _check_reversions(plan, uses, reasons)
    plan.dependents = [Dependent(uses[pk], tuple(texts)) for pk, texts in reasons.items()]
    plan.dependents.sort(key=lambda dependent: (dependent.ai_use.title_sort, dependent.ai_use.pk))
    return plan


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else _("someone")


def _moment(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _check_reversions(plan, uses, reasons):
    """What the values given back would clash with: a tracker id another use has taken since, a tool gone since."""
    wanted_keys, wanted_tools = {}, {}
    for reversion in plan.reversions:
        ai_use = reversion.ai_use
        if "external_id" in reversion.values:
            key = tracker_ids.tracker_key(reversion.values["external_id"][1] or "")
            if key:
                wanted_keys[key] = ai_use
        if reversion.values.get("tool", (None, None))[1] is not None:
            wanted_tools[int(reversion.values["tool"][1])] = ai_use
    if wanted_keys:
        holders = AIUse.objects.filter(production_id=plan.batch.production_id, tracker_key__in=wanted_keys)
        for holder in holders.exclude(pk__in=list(uses)).only("title", "external_id", "tracker_key"):
            reasons[wanted_keys[holder.tracker_key].pk].append(
                _("its tracker id before the import is now that of “%(title)s” (%(external_id)s)")
                % {"title": holder.title, "external_id": holder.external_id}
            )
    if wanted_tools:
        for tool_id in set(wanted_tools) - set(AITool.objects.filter(pk__in=wanted_tools).values_list("pk", flat=True)):
            reasons[wanted_tools[tool_id].pk].append(
                _("the tool it named before the import is no longer in the catalogue")
            )


def undo_import(*, actor, batch):
    """Delete the uses `batch` created and give the uses it updated their values back; all of it, or nothing.

    Refused (UndoRefused, a Conflict) while something done since depends on the import, and when the batch was
    already undone; a ValidationError when it wrote nothing. Returns the plan carried out.
    """
    require(actor, batch.production_id, Capability.EDIT_RECORDS)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("undone_by").get(pk=batch.pk)
        if batch.undone_at is not None:
            raise Conflict(
                _("This import was already undone, by %(name)s at %(time)s.")
                % {"name": _person(batch.undone_by), "time": _moment(batch.undone_at)}
            )
        plan = plan_undo(batch, lock=True)
        if not plan.has_work:
            raise ValidationError(
                _("This import created and changed nothing that is still in the ledger: there is nothing to undo.")
            )
        if plan.dependents:
            raise UndoRefused(plan.dependents)
        now = timezone.now()
        audit = {
            "actor": actor,
            "reason": f"{UNDO_REASON_PREFIX}{batch.file_name}"[:500],
            "date": now,
            "batch_size": BATCH_SIZE,
        }
        bulk_delete_audited(AIUse, plan.deletions, **audit)
        reverted = [reversion.ai_use for reversion in plan.reversions]
        if reverted:
            pattern = batch.production.id_pattern
            fields = set()
            for reversion in plan.reversions:
                for name, (_now, before) in reversion.values.items():
                    setattr(reversion.ai_use, AIUse._meta.get_field(name).attname, before)
                    fields.add(name)
                reversion.ai_use.derive_keys(pattern)
                reversion.ai_use.updated_at = now  # bulk_update does not touch auto_now fields
                reversion.ai_use.version += 1  # the rows are locked: an edit opened before the undo is refused after it
            changed = fields | {"updated_at", "version", *tracker_ids.DERIVED_FIELDS}
            bulk_update_audited(AIUse, reverted, sorted(changed), **audit)
            # Facts given back can settle a coverage to confirm, or unsettle one.
            blocks.refresh(AIUse.objects.filter(pk__in=[ai_use.pk for ai_use in reverted]))
        batch.undone_by, batch.undone_at = actor, now
        batch.save(update_fields=["undone_by", "undone_at"])
    return plan


# What the imported uses still lack for the checklist


def _generative_output_to_mark(ai_use):
    return (
        ai_use.tool_id is not None
        and ai_use.output_type != OutputType.ANALYSIS
        and ai_use.digital_source_type in GENERATIVE_SOURCE_TYPES
        and (ai_use.exposed or ai_use.tool.our_role == OperatorRole.PROVIDER)
    )


def _names_people(ai_use):
    return ai_use.consent_kinds is not None or ai_use.biometric_data or ai_use.intimate_imagery


@dataclass(frozen=True)
class FactToComplete:
    """A fact of a use that the checklist needs and an import can leave unsaid; `field` is the form's field."""

    field: str
    label: str
    missing: Callable


# Each is what turns a checklist item to "attention" (or "not met") until someone records it: the rule in brackets.
FACTS_TO_COMPLETE = (
    # Which tool made it: output marking and the general-purpose model duties read the tool (ai_act_transparency,
    # ai_act_gpai).
    FactToComplete("tool", gettext_lazy("the tool used"), lambda ai_use: ai_use.tool_id is None),
    # An image, video or audio output the audience sees or hears (deep-fake-determination).
    FactToComplete(
        "deep_fake",
        gettext_lazy("whether it is a deep fake"),
        lambda ai_use: (
            ai_use.exposed
            and ai_use.output_type in AUDIOVISUAL_OUTPUT_TYPES
            and ai_use.deep_fake == DeepFake.NOT_DETERMINED
        ),
    ),
    # A deep fake the audience is not told of (deep-fake-disclosure).
    FactToComplete(
        "disclosure_method",
        gettext_lazy("how the audience is told of the deep fake"),
        lambda ai_use: (
            ai_use.exposed
            and ai_use.deep_fake == DeepFake.YES
            and DISCLOSURE_FORMS[ai_use.disclosure_method].timing == DisclosureTiming.NONE
        ),
    ),
    # Whether the machine-readable marking reaches the master (output-marking).
    FactToComplete(
        "marking_kept_in_master",
        gettext_lazy("whether the output marking is kept in the master"),
        lambda ai_use: _generative_output_to_mark(ai_use) and ai_use.marking_kept_in_master == TriState.UNKNOWN,
    ),
    # A replica, alteration, biometric data or intimate imagery names the people it concerns (performer-consent,
    # biometric-consent-dpia, prohibited-intimate-imagery).
    FactToComplete(
        "people",
        gettext_lazy("the people depicted or voiced"),
        lambda ai_use: _names_people(ai_use) and not ai_use.has_people,
    ),
    FactToComplete(
        "consents",
        gettext_lazy("the consents relied on"),
        lambda ai_use: ai_use.consent_kinds is not None and not ai_use.has_consents,
    ),
    # Emotion recognition at work, or sensitive traits, are allowed only for a stated purpose (prohibited-practices).
    FactToComplete(
        "purpose",
        gettext_lazy("its purpose"),
        lambda ai_use: (
            (ai_use.emotion_recognition == EmotionRecognition.CAST_CREW_AT_WORK or ai_use.sensitive_traits_inferred)
            and ai_use.purpose in (UsePurpose.NOT_STATED, "")
        ),
    ),
    # People exposed to emotion recognition or biometric categorisation are told (emotion-biometric-information).
    FactToComplete(
        "people_informed",
        gettext_lazy("whether the people exposed were informed"),
        lambda ai_use: (
            (ai_use.emotion_recognition != EmotionRecognition.NONE or ai_use.biometric_categorisation)
            and not ai_use.people_informed
        ),
    ),
)


@dataclass
class BatchRow:
    """A row the import wrote: its item, its use (None once deleted) and the facts that use still lacks."""

    item: object
    ai_use: AIUse | None
    to_complete: list[FactToComplete]

    @property
    def changed_labels(self):
        return [field_label(name) for name in self.item.before]


def batch_rows(batch):
    """Every row `batch` wrote, in the file's order, with what its use lacks. One query, whatever their number."""
    links = {
        name: Exists(getattr(AIUse, name).through.objects.filter(aiuse_id=OuterRef("ai_use_id")))
        for name in ("people", "consents")
    }
    items = batch.items.select_related("ai_use__tool").annotate(
        has_people=links["people"], has_consents=links["consents"]
    )
    rows = []
    for item in items.order_by("row_number", "pk"):
        ai_use = item.ai_use
        missing = []
        if ai_use is not None and batch.undone_at is None:
            ai_use.has_people, ai_use.has_consents = item.has_people, item.has_consents
            missing = [fact for fact in FACTS_TO_COMPLETE if fact.missing(ai_use)]
        rows.append(BatchRow(item, ai_use, missing))
    return rows
