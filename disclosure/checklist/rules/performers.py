"""Performers' consent to digital replicas and alterations (SAG-AFTRA TV/Theatrical; Equity guidance).

Every replica or non-exempt alteration rests on an approved, separately signed, unexpired, unrevoked consent
whose scope covers the use: productions.consent_status decides it, here and everywhere a use's status shows.
The agreement in force follows the dates of principal photography.
"""

from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.evidence import consent_status, consents, people
from disclosure.checklist.findings import ATTENTION, MET, NOT_MET, met, outcome, problem, rule
from productions.consent_status import BLOCKING_STATUSES, ConsentStatus
from productions.vocabularies import REPLICA_CONSENT_KINDS, PerformerUse, Permission, TriState, Union


def agreement(production):
    """The SAG-AFTRA agreement principal photography began under, or None when its date is not recorded."""
    start = production.principal_photography_start
    if start is None:
        return None
    return law.SAG_AFTRA_2026 if start >= law.SAG_AFTRA_2026 else law.SAG_AFTRA_2023


def _basis(production):
    return {
        None: law.PERFORMER_CONSENT_UNKNOWN_AGREEMENT,
        law.SAG_AFTRA_2023: law.PERFORMER_CONSENT_2023,
        law.SAG_AFTRA_2026: law.PERFORMER_CONSENT_2026,
    }[agreement(production)]


@rule(
    "performer-consent",
    gettext_lazy("Every digital replica or alteration of a performer rests on a valid consent that covers it"),
    basis=law.PERFORMER_CONSENT_UNKNOWN_AGREEMENT,
    applies_from=law.SAG_AFTRA_2023,
)
def performer_consent(evidence):
    production = evidence.production
    needing = [use for use in evidence.uses if use.consent_kinds is not None]
    status = {use.id: consent_status(use, evidence.on) for use in needing}
    # A coverage not yet confirmed is a determination to make, not a finding against the production.
    to_confirm = [use for use in needing if status[use.id] == ConsentStatus.SCOPE_TO_CONFIRM]
    blocked = [
        use
        for use in needing
        if status[use.id] in BLOCKING_STATUSES and status[use.id] != ConsentStatus.SCOPE_TO_CONFIRM
    ]

    def relied_on(uses):
        return [record for use in uses for record in (*people(use), *consents(use))]

    exposed_blocked = [use for use in blocked if use.exposed]
    temporary_blocked = [use for use in blocked if not use.exposed]
    pending = [use for use in needing if status[use.id] == ConsentStatus.PENDING_REVIEW]
    union_members = {person.union for use in needing for person in people(use)}
    in_force = agreement(production)
    finding = outcome(
        problem(
            NOT_MET,
            exposed_blocked,
            ngettext_lazy(
                "%(count)d use in the final work or in published material lacks an approved, separately signed,"
                " unexpired, unrevoked consent that covers it.",
                "%(count)d uses in the final work or in published material lack an approved, separately signed,"
                " unexpired, unrevoked consent that covers them.",
                "count",
            ),
            also=relied_on(exposed_blocked),
        ),
        problem(
            ATTENTION,
            temporary_blocked,
            ngettext_lazy(
                "%(count)d temporary use lacks a valid consent that covers it.",
                "%(count)d temporary uses lack a valid consent that covers them.",
                "count",
            ),
            also=relied_on(temporary_blocked),
        ),
        problem(
            ATTENTION,
            to_confirm,
            ngettext_lazy(
                "%(count)d use relies on a valid consent that legal has not yet confirmed covers it: confirm the"
                " coverage on the consent's page (SAG-AFTRA: consent to one use is not consent to another).",
                "%(count)d uses rely on valid consents that legal has not yet confirmed cover them: confirm the"
                " coverage on each consent's page (SAG-AFTRA: consent to one use is not consent to another).",
                "count",
            ),
            also=relied_on(to_confirm),
        ),
        problem(
            ATTENTION,
            pending,
            ngettext_lazy(
                "%(count)d use relies on a consent still awaiting review.",
                "%(count)d uses rely on consents still awaiting review.",
                "count",
            ),
            also=relied_on(pending),
        ),
        problem(
            ATTENTION,
            needing if Union.SAG_AFTRA in union_members and in_force is None else [],
            gettext_lazy(
                "SAG-AFTRA members are depicted, but the dates of principal photography are not recorded: they"
                " decide whether the 2023 or the 2026 TV/Theatrical agreement applies."
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The use that replicates or alters a performer rests on an approved, separately signed consent that"
                " covers it.",
                "Each of the %(count)d uses that replicate or alter a performer rests on an approved, separately"
                " signed consent that covers it.",
                "count",
            ),
            needing,
        )
        if needing
        else met(gettext_lazy("No AI use replicates or alters a performer beyond what was performed or recorded.")),
    )
    voice_uncovered = [
        use
        for use in blocked
        if use.performer_use == PerformerUse.VOICE_CLONE
        and any(consent.kind in REPLICA_CONSENT_KINDS and not consent.covers_voice for consent in consents(use))
    ]
    relied = {consent.id: consent for use in needing for consent in consents(use)}.values()
    unseparated = sorted(
        (consent for consent in relied if not consent.separately_signed and consent.not_separately_signed_reason),
        key=lambda consent: consent.id,
    )
    if unseparated:
        finding = finding.adding(
            gettext(
                "Approved although not separately signed, with legal's reason: %(consents)s. SAG-AFTRA asks for"
                " consent that is separately signed: decide whether that reason holds under the agreement."
            )
            % {
                "consents": "; ".join(
                    f"{_named(consent)} ({consent.not_separately_signed_reason})" for consent in unseparated
                )
            }
        )
        if finding.status == MET:
            finding = finding.but(status=ATTENTION)
    if voice_uncovered:
        finding = finding.adding(
            gettext(
                "A digital replica consent covers a voice use only when its described use includes the voice:"
                " where it does, record that on the consent."
            )
        )
    unions = {person.id: person.union for use in needing for person in people(use)}
    if Union.SAG_AFTRA in union_members and in_force == law.SAG_AFTRA_2026:
        unanswered = [
            consent
            for consent in relied
            if unions.get(consent.person_id) == Union.SAG_AFTRA
            and (
                consent.performer_is_minor == TriState.UNKNOWN or consent.third_party_licensing == Permission.NOT_STATED
            )
        ]
        finding = _asking(
            finding,
            unanswered,
            gettext(
                "Principal photography began under the 2026 agreement, which adds limits on synthetic performers,"
                " protections for minors and notice when a performer's data is licensed to third parties for"
                " training. Not yet recorded (minor, licensing to third parties) on: %(consents)s."
            ),
        )
    if Union.EQUITY in union_members:
        unanswered = [
            consent
            for consent in relied
            if unions.get(consent.person_id) == Union.EQUITY
            and (
                consent.training_permission == Permission.NOT_STATED
                or not consent.data_retention.strip()
                or consent.data_deletion_on is None
                or (consent.scan_on and not consent.scan_business_reason.strip())
            )
        ]
        finding = _asking(
            finding,
            unanswered,
            gettext(
                "Equity members are depicted: Equity's questions on scans (notice and business reason), training on"
                " their data, retention and deletion are not all answered on: %(consents)s."
            ),
        )
    return finding.but(legal_basis=_basis(production))


def _asking(finding, consents, sentence):
    """The finding, asking for attention to the consents whose questions are unanswered (none: unchanged)."""
    if not consents:
        return finding
    names = "; ".join(_named(consent) for consent in sorted(consents, key=lambda consent: consent.id))
    finding = finding.adding(sentence % {"consents": names})
    return finding.but(status=ATTENTION) if finding.status == MET else finding


def _named(consent):
    # The evidence brings each consent's person name with it: no query per consent.
    return f"{consent.person_name}: {consent.get_kind_display()}"
