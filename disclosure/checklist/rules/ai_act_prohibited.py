"""AI Act Art. 5: prohibited practices, judged per use at the time of the use.

A use whose last date is recorded and comes before a prohibition applied is no breach of it; a use with no
last date recorded is judged as if it happened while the prohibition applies (the convenient answer is not
assumed). The exceptions (medical or safety reasons in 5(1)(f), dataset labelling in 5(1)(g)) apply only
where the records state that purpose, and call for a judgement: attention, not met.
"""

from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.evidence import consents_of, ended_before, people, undated, valid
from disclosure.checklist.findings import ATTENTION, NOT_MET, Fine, long_date, met, outcome, problem, rule
from productions.consent_status import ConsentStatus, consent_validity
from productions.vocabularies import EmotionRecognition, UsePurpose

SAFETY_OR_MEDICAL = {UsePurpose.MEDICAL, UsePurpose.SAFETY}


def _split(uses, start):
    """(uses judged under the prohibition, uses established to have ended before it applied)."""
    judged = [use for use in uses if not ended_before(use, start)]
    return judged, [use for use in uses if ended_before(use, start)]


def _undated_note(judged, start):
    undated_uses = [use for use in judged if undated(use)]
    return problem(
        NOT_MET,
        undated_uses,
        ngettext_lazy(
            "%(count)d of them has no last date recorded: if it ended before %(start)s, record that date.",
            "%(count)d of them have no last date recorded: if they ended before %(start)s, record those dates.",
            "count",
        ),
        start=long_date(start),
    )


def _predating_note(finding, earlier, start):
    if not earlier:
        return finding
    return finding.adding(
        ngettext(
            "%(count)d use ended before %(start)s, when the prohibition began to apply: no breach.",
            "%(count)d uses ended before %(start)s, when the prohibition began to apply: no breach.",
            len(earlier),
        )
        % {"count": len(earlier), "start": long_date(start)}
    )


@rule(
    "prohibited-practices",
    gettext_lazy("No prohibited AI practice"),
    basis=law.AI_ACT_PROHIBITED_PRACTICES,
    applies_from=law.PROHIBITIONS_AND_LITERACY,
    fine=Fine.PROHIBITED_PRACTICE,
)
def prohibited_practices(evidence):
    start = law.PROHIBITIONS_AND_LITERACY
    emotions, early_emotions = _split(
        [use for use in evidence.uses if use.emotion_recognition == EmotionRecognition.CAST_CREW_AT_WORK], start
    )
    traits, early_traits = _split([use for use in evidence.uses if use.sensitive_traits_inferred], start)
    scraping, early_scraping = _split([use for use in evidence.uses if use.untargeted_face_scraping], start)
    prohibited_emotions = [use for use in emotions if use.purpose not in SAFETY_OR_MEDICAL]
    prohibited_traits = [use for use in traits if use.purpose != UsePurpose.DATASET_LABELLING]
    breaches = prohibited_emotions + prohibited_traits + scraping
    finding = outcome(
        problem(
            NOT_MET,
            prohibited_emotions,
            ngettext_lazy(
                "%(count)d AI use infers the emotions of cast or crew at work, with no medical or safety purpose"
                " recorded (Art. 5(1)(f)).",
                "%(count)d AI uses infer the emotions of cast or crew at work, with no medical or safety purpose"
                " recorded (Art. 5(1)(f)).",
                "count",
            ),
        ),
        problem(
            NOT_MET,
            prohibited_traits,
            ngettext_lazy(
                "%(count)d AI use infers sensitive traits from biometric data (Art. 5(1)(g)).",
                "%(count)d AI uses infer sensitive traits from biometric data (Art. 5(1)(g)).",
                "count",
            ),
        ),
        problem(
            NOT_MET,
            scraping,
            ngettext_lazy(
                "%(count)d AI use relies on untargeted scraping of facial images (Art. 5(1)(e)).",
                "%(count)d AI uses rely on untargeted scraping of facial images (Art. 5(1)(e)).",
                "count",
            ),
        ),
        _undated_note(breaches, start),
        problem(
            ATTENTION,
            [use for use in emotions if use.purpose in SAFETY_OR_MEDICAL],
            ngettext_lazy(
                "%(count)d AI use infers the emotions of cast or crew at work for a medical or safety reason, which"
                " Art. 5(1)(f) allows: check that this is its only purpose, and inform the people exposed"
                " (Art. 50(3)).",
                "%(count)d AI uses infer the emotions of cast or crew at work for medical or safety reasons, which"
                " Art. 5(1)(f) allows: check that this is their only purpose, and inform the people exposed"
                " (Art. 50(3)).",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [use for use in traits if use.purpose == UsePurpose.DATASET_LABELLING],
            ngettext_lazy(
                "%(count)d AI use labels or filters a biometric dataset by sensitive traits, which Art. 5(1)(g)"
                " leaves out only for lawfully acquired datasets: check how the dataset was acquired.",
                "%(count)d AI uses label or filter biometric datasets by sensitive traits, which Art. 5(1)(g)"
                " leaves out only for lawfully acquired datasets: check how the datasets were acquired.",
                "count",
            ),
        ),
        otherwise=met(
            gettext_lazy(
                "No AI use infers emotions of cast or crew at work, infers sensitive traits or scrapes facial images."
            )
        ),
    )
    return _predating_note(finding, [*early_emotions, *early_traits, *early_scraping], start)


@rule(
    "prohibited-intimate-imagery",
    gettext_lazy("No sexual or intimate imagery of an identifiable person generated without their explicit consent"),
    basis=law.AI_ACT_PROHIBITED_INTIMATE_IMAGERY,
    applies_from=law.INTIMATE_IMAGERY_PROHIBITION,
    fine=Fine.PROHIBITED_PRACTICE,
)
def prohibited_intimate_imagery(evidence):
    start = law.INTIMATE_IMAGERY_PROHIBITION
    uses, earlier = _split([use for use in evidence.uses if use.intimate_imagery], start)

    def standing(use, person):
        """The best consent on file to this generation: valid, pending review, or none worth anything."""
        specific = [
            consent
            for consent in consents_of(use, person)
            if consent.intimate_imagery_consent and consent.intimate_imagery_description.strip()
        ]
        if any(valid(consent, evidence.on) for consent in specific):
            return ConsentStatus.COVERED
        if any(consent_validity(consent, evidence.on) == ConsentStatus.PENDING_REVIEW for consent in specific):
            return ConsentStatus.PENDING_REVIEW
        return ConsentStatus.MISSING

    lacking = {
        (use, person) for use in uses for person in people(use) if standing(use, person) == ConsentStatus.MISSING
    }
    pending = {
        (use, person) for use in uses for person in people(use) if standing(use, person) == ConsentStatus.PENDING_REVIEW
    }
    lacking_uses = sorted({use for use, _person in lacking}, key=lambda use: use.id)
    finding = outcome(
        problem(
            NOT_MET,
            lacking_uses,
            ngettext_lazy(
                "%(count)d AI use generates sexual or intimate imagery of a person who gave no valid, explicit and"
                " specific consent to that generation.",
                "%(count)d AI uses generate sexual or intimate imagery of people who gave no valid, explicit and"
                " specific consent to that generation.",
                "count",
            ),
            also=[person for _use, person in sorted(lacking, key=lambda pair: (pair[0].id, pair[1].id))],
        ),
        _undated_note(lacking_uses, start),
        problem(
            ATTENTION,
            sorted({use for use, _person in pending}, key=lambda use: use.id),
            ngettext_lazy(
                "%(count)d AI use generating intimate imagery rests on a consent still awaiting review.",
                "%(count)d AI uses generating intimate imagery rest on consents still awaiting review.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [use for use in uses if not people(use)],
            ngettext_lazy(
                "%(count)d AI use generates sexual or intimate imagery but names nobody it depicts: name the"
                " identifiable person, whose explicit consent it needs.",
                "%(count)d AI uses generate sexual or intimate imagery but name nobody they depict: name the"
                " identifiable people, whose explicit consent they need.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI use that generates intimate imagery rests on the explicit, specific consent of the person"
                " depicted.",
                "Each of the %(count)d AI uses that generate intimate imagery rests on the explicit, specific consent"
                " of the people depicted.",
                "count",
            ),
            uses,
        )
        if uses
        else met(gettext_lazy("No AI use generates sexual or intimate imagery of an identifiable person.")),
    )
    return _predating_note(finding, earlier, start)
