"""Human authorship for awards (Academy 99th rules, 1 May 2026: acting "demonstrably performed by humans with
their consent", screenplays "human-authored").

Computed from the records: the final work's replicas, voice clones and alterations with their consent status,
and the AI text in its development, beside what the production declares. A declaration alone never makes it met.
"""

from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.evidence import consent_status, people
from disclosure.checklist.findings import ATTENTION, NOT_MET, met, outcome, problem, rule, unless
from productions.consent_status import BLOCKING_STATUSES, ConsentStatus
from productions.vocabularies import AUTHORSHIP_EXCEPTIONS, GENERATIVE_SOURCE_TYPES, Determination, OutputType, Phase


def screenplay_generated_text(evidence):
    """Generated text from development and writing that reached the final work."""
    return [
        use
        for use in evidence.final_uses
        if use.phase == Phase.DEVELOPMENT
        and use.output_type == OutputType.TEXT
        and use.digital_source_type in GENERATIVE_SOURCE_TYPES
    ]


@rule(
    "human-authorship",
    gettext_lazy("Screenplay written by humans; performances by humans with their consent"),
    basis=law.HUMAN_AUTHORSHIP,
    applies_from=law.ACADEMY_99TH_RULES,
)
def human_authorship(evidence):
    production = evidence.production
    exceptions = [use for use in evidence.final_uses if use.performer_use in AUTHORSHIP_EXCEPTIONS]
    status = {use.id: consent_status(use, evidence.on) for use in exceptions}
    # A valid consent whose coverage legal has yet to confirm is a determination to make, as under performer-consent.
    to_confirm = [use for use in exceptions if status[use.id] == ConsentStatus.SCOPE_TO_CONFIRM]
    invalid = [use for use in exceptions if status[use.id] in BLOCKING_STATUSES and use not in to_confirm]
    pending = [use for use in exceptions if status[use.id] == ConsentStatus.PENDING_REVIEW]
    consented = [use for use in exceptions if status[use.id] == ConsentStatus.COVERED]
    screenplay = production.screenplay_human_authored
    performances = production.performances_by_humans
    generated_text = screenplay_generated_text(evidence)
    finding = outcome(
        problem(
            NOT_MET,
            invalid,
            ngettext_lazy(
                "%(count)d performance in the final work is a digital replica, voice clone or alteration without a"
                " valid consent: it cannot be presented as given with the performer's consent.",
                "%(count)d performances in the final work are digital replicas, voice clones or alterations without"
                " a valid consent: they cannot be presented as given with the performers' consent.",
                "count",
            ),
            also=[person for use in invalid for person in people(use)],
        ),
        problem(
            ATTENTION,
            pending,
            ngettext_lazy(
                "%(count)d replica, voice clone or alteration in the final work rests on a consent awaiting review.",
                "%(count)d replicas, voice clones or alterations in the final work rest on consents awaiting review.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            to_confirm,
            ngettext_lazy(
                "%(count)d replica, voice clone or alteration in the final work rests on a valid consent that legal"
                " has yet to confirm covers it.",
                "%(count)d replicas, voice clones or alterations in the final work rest on valid consents that legal"
                " has yet to confirm cover them.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            consented,
            ngettext_lazy(
                "%(count)d performance in the final work is a digital replica, voice clone or alteration, with a"
                " valid consent: the statement names it as an exception to performances given by humans.",
                "%(count)d performances in the final work are digital replicas, voice clones or alterations, with"
                " valid consents: the statement names each as an exception to performances given by humans.",
                "count",
            ),
        ),
        unless(
            exceptions or performances != Determination.NOT_DETERMINED,
            ATTENTION,
            gettext_lazy("Whether every performance is given by a human is not determined: decide and record it."),
        ),
        unless(
            exceptions or performances != Determination.NO,
            ATTENTION,
            gettext_lazy(
                "The production declares that not every performance is given by a human, but no AI use in the"
                " final work records a replica, voice clone or alteration: record the uses concerned."
            ),
        ),
        unless(
            screenplay != Determination.NOT_DETERMINED,
            ATTENTION,
            gettext_lazy(
                "Whether the screenplay is entirely written by humans is not determined: decide and record it."
            ),
        ),
        unless(
            screenplay != Determination.NO,
            ATTENTION,
            gettext_lazy("The screenplay is not entirely written by humans: the statement must name what was not."),
        ),
        problem(
            ATTENTION,
            generated_text if screenplay == Determination.YES else [],
            ngettext_lazy(
                "The screenplay is declared human-written, but %(count)d AI-generated text from development is in"
                " the final work: reconcile the two.",
                "The screenplay is declared human-written, but %(count)d AI-generated texts from development are in"
                " the final work: reconcile the two.",
                "count",
            ),
        ),
        unless(
            screenplay != Determination.YES or production.screenplay_credit.strip(),
            ATTENTION,
            gettext_lazy("Name the writers credited for the screenplay."),
        ),
        otherwise=met(
            gettext_lazy(
                "The screenplay is written by humans (%(credit)s) and no AI use in the final work replicates, clones"
                " or alters a performance."
            ),
            credit=production.screenplay_credit,
        ),
    )
    if exceptions and performances == Determination.YES:
        finding = finding.adding(
            gettext(
                "The production declares every performance given by a human, but the records show the exceptions above."
            )
        )
    return finding
