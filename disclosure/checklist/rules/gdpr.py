"""GDPR: biometric face or voice data (Art. 9(1)) rests on a valid explicit consent (Art. 9(2)(a)) and a DPIA
where high risk is likely (Art. 35). The dead fall outside the GDPR (Recital 27) but Member States may protect
them: never a silent pass.
"""

from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.evidence import consents_of, covers, people, valid
from disclosure.checklist.findings import ATTENTION, NOT_MET, met, outcome, problem, rule


def _explicit_consents(use, person, on):
    """The person's explicit consents to biometric processing that this use relies on and that are valid."""
    return [
        consent
        for consent in consents_of(use, person)
        if consent.gdpr_explicit_consent and covers(consent, use, on) and valid(consent, on)
    ]


@rule(
    "biometric-consent-dpia",
    gettext_lazy("Biometric face or voice data rests on a valid explicit consent and a DPIA"),
    basis=law.GDPR_BIOMETRIC_CONSENT,
    applies_from=law.GDPR_APPLIES,
)
def biometric_consent_dpia(evidence):
    biometric = [use for use in evidence.uses if use.biometric_data]
    pairs = [(use, person) for use in biometric for person in people(use)]
    living = [(use, person) for use, person in pairs if not person.deceased]
    deceased = sorted({person for _use, person in pairs if person.deceased}, key=lambda person: person.name)
    consents = {(use.id, person.id): _explicit_consents(use, person, evidence.on) for use, person in living}
    lacking = [(use, person) for use, person in living if not consents[use.id, person.id]]
    without_dpia = [
        (use, person)
        for use, person in living
        if consents[use.id, person.id] and not any(consent.dpia_reference for consent in consents[use.id, person.id])
    ]

    def uses_of(found):
        return sorted({use for use, _person in found}, key=lambda use: use.id)

    finding = outcome(
        problem(
            NOT_MET,
            uses_of(lacking),
            ngettext_lazy(
                "%(count)d AI use processes a living person's biometric data without a valid explicit consent"
                " (approved, separately signed, unexpired, unrevoked and covering the use).",
                "%(count)d AI uses process living people's biometric data without a valid explicit consent"
                " (approved, separately signed, unexpired, unrevoked and covering the use).",
                "count",
            ),
            also=[person for _use, person in lacking],
        ),
        problem(
            ATTENTION,
            uses_of(without_dpia),
            ngettext_lazy(
                "%(count)d AI use rests on a valid explicit consent but no DPIA reference is recorded: a DPIA is"
                " required where high risk is likely (Art. 35).",
                "%(count)d AI uses rest on valid explicit consents but no DPIA reference is recorded: a DPIA is"
                " required where high risk is likely (Art. 35).",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [use for use in biometric if not people(use)],
            ngettext_lazy(
                "%(count)d AI use processes biometric data but names nobody it depicts or voices.",
                "%(count)d AI uses process biometric data but name nobody they depict or voice.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            deceased,
            gettext_lazy(
                "The data of deceased persons (%(names)s) is outside the GDPR (Recital 27), but Member States may"
                " protect it (%(france)s, for example): check the national rules where it is processed and the"
                " authority of the estate or union that consented."
            ),
            names=", ".join(person.name for person in deceased),
            france=law.FRANCE_POST_MORTEM,
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI use that processes biometric data rests on a valid explicit consent and a DPIA.",
                "Each of the %(count)d AI uses that process biometric data rests on a valid explicit consent and a"
                " DPIA.",
                "count",
            ),
            biometric,
        )
        if biometric
        else met(gettext_lazy("No AI use processes biometric face or voice data.")),
    )
    if living:
        # Consent is valid only if freely given; the EDPB doubts it can be between employer and employee.
        finding = finding.adding(
            gettext(
                "Cast and crew employed by the production may not be free to refuse: for employees, check that"
                " their consent is freely given or rely on another basis (Recital 43; EDPB Guidelines 05/2020)."
            )
        )
    return finding
