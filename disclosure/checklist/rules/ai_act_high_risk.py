"""AI Act high-risk uses (Art. 6(2), Annex III, from 2 December 2027 as amended): flagged, per use by its dates."""

from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.evidence import ended_before
from disclosure.checklist.findings import ATTENTION, Fine, long_date, met, outcome, problem, rule
from productions.vocabularies import EmotionRecognition


@rule(
    "high-risk",
    gettext_lazy("High-risk AI uses (casting and hiring, emotion recognition, biometric categorisation) are flagged"),
    basis=law.AI_ACT_HIGH_RISK,
    applies_from=law.HIGH_RISK_ANNEX_III,
    fine=Fine.OPERATOR_DUTY,
)
def high_risk(evidence):
    start = law.HIGH_RISK_ANNEX_III
    current = [use for use in evidence.uses if not ended_before(use, start)]
    earlier = [
        use
        for use in evidence.uses
        if ended_before(use, start)
        and (
            use.screens_casting_or_hiring
            or use.emotion_recognition != EmotionRecognition.NONE
            or use.biometric_categorisation
        )
    ]
    finding = outcome(
        problem(
            ATTENTION,
            [use for use in current if use.screens_casting_or_hiring],
            ngettext_lazy(
                "%(count)d AI use screens or ranks people for casting or hiring (Annex III 4(a)).",
                "%(count)d AI uses screen or rank people for casting or hiring (Annex III 4(a)).",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [use for use in current if use.emotion_recognition != EmotionRecognition.NONE],
            ngettext_lazy(
                "%(count)d AI use recognises emotions, for example of test audiences (Annex III 1(c)).",
                "%(count)d AI uses recognise emotions, for example of test audiences (Annex III 1(c)).",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [use for use in current if use.biometric_categorisation],
            ngettext_lazy(
                "%(count)d AI use categorises people from biometric data (Annex III 1(b)).",
                "%(count)d AI uses categorise people from biometric data (Annex III 1(b)).",
                "count",
            ),
        ),
        otherwise=met(
            gettext_lazy(
                "No AI use screens people for casting or hiring, recognises emotions or categorises people"
                " biometrically."
            )
        ),
    )
    if finding.status == ATTENTION:
        finding = finding.adding(
            gettext(
                "High-risk uses need the deployer's duties of Art. 26: use as instructed, human oversight,"
                " monitoring, logs kept, and informing the people concerned. Check whether Art. 6(3) exempts them."
            )
        )
    if earlier:
        finding = finding.adding(
            ngettext(
                "%(count)d such use ended before %(start)s and is not subject to these duties.",
                "%(count)d such uses ended before %(start)s and are not subject to these duties.",
                len(earlier),
            )
            % {"count": len(earlier), "start": long_date(start)}
        )
    return finding
