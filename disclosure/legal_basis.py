"""The dates and legal references the checklist relies on, kept as data in one place (domain.md §3, §5).

A lawyer checks this file, not the rules: every date an obligation starts and every reference the
documents cite is declared here once, with the source it comes from and whether that source was checked
in the primary text (the Official Journal, the agreement or the rules themselves) or rests on secondary
sources only (law-firm notes, trade press, union summaries). `SOURCES` lists them all; a test checks that
nothing is declared without one. The product cites articles and never quotes them.

The AI Act is Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744 (the "Digital Omnibus on
AI", OJ 24 Jul 2026, in force 27 Jul 2026).
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    citation: str
    verified: bool  # checked in the primary text; False: secondary sources only, re-check before relying on it
    note: str = ""


class LegalDate(datetime.date):
    """A date an obligation or agreement starts, carrying its source."""

    def __new__(cls, year, month, day, *, source):
        date = super().__new__(cls, year, month, day)
        date.source = source
        return date


@dataclass(frozen=True)
class Reference:
    """A legal basis as the documents print it, with its source."""

    text: str  # lazily translated
    source: Source

    def __str__(self):
        return str(self.text)


# Dates of the AI Act (Art. 113, as amended).
AI_ACT_IN_FORCE = LegalDate(2024, 8, 1, source=Source("AI Act Art. 113, first paragraph", verified=True))
PROHIBITIONS_AND_LITERACY = LegalDate(
    2025, 2, 2, source=Source("AI Act Art. 113(a): Chapters I and II (Art. 4 and 5)", verified=True)
)
GPAI_OBLIGATIONS = LegalDate(2025, 8, 2, source=Source("AI Act Art. 113(b): Chapter V", verified=True))
PENALTIES = LegalDate(
    2025,
    8,
    2,
    source=Source(
        "AI Act Art. 113(b): Chapter XII (Art. 99)",
        verified=True,
        note="Art. 101 (fines on general-purpose model providers) applies from 2 August 2026.",
    ),
)
GPAI_LEGACY_MODELS = LegalDate(
    2027,
    8,
    2,
    source=Source("AI Act Art. 111(3): models placed on the market before 2 August 2025", verified=True),
)
TRANSPARENCY_OBLIGATIONS = LegalDate(
    2026, 8, 2, source=Source("AI Act Art. 113, second paragraph (general application): Art. 50", verified=True)
)
MARKING_GRACE_FOR_SYSTEMS_ON_MARKET = LegalDate(
    2026,
    12,
    2,
    source=Source(
        "AI Act Art. 111(4) as inserted by Regulation (EU) 2026/1744: Art. 50(2) for generative systems placed"
        " on the market before 2 August 2026",
        verified=False,
        note="Quoted from the amending act in secondary sources; the Commission's proposal had 2 February 2027.",
    ),
)
INTIMATE_IMAGERY_PROHIBITION = LegalDate(
    2026,
    12,
    2,
    source=Source(
        "AI Act Art. 5(1)(ba)-(bb) and Art. 113(a) as amended by Regulation (EU) 2026/1744",
        verified=False,
        note="Inserted in trilogue; wording and date from consolidated-text quotations and law-firm notes.",
    ),
)
HIGH_RISK_ANNEX_III = LegalDate(
    2027,
    12,
    2,
    source=Source("AI Act Art. 113(c) as amended by Regulation (EU) 2026/1744: Annex III", verified=False),
)

# Other sources.
GDPR_APPLIES = LegalDate(2018, 5, 25, source=Source("GDPR (Regulation (EU) 2016/679) Art. 99(2)", verified=True))
SAG_AFTRA_2023 = LegalDate(
    2023,
    11,
    9,
    source=Source(
        "SAG-AFTRA 2023 TV/Theatrical Contracts: effective on the end of the strike, ratified 5 December 2023,"
        " term to 30 June 2026",
        verified=False,
        note="From SAG-AFTRA's summaries and trade press; the contract text was not read.",
    ),
)
SAG_AFTRA_2026 = LegalDate(
    2026,
    7,
    1,
    source=Source(
        "SAG-AFTRA 2026 TV/Theatrical Contracts: ratified 4 June 2026, term 1 July 2026 to 30 June 2030",
        verified=False,
        note="From trade press and SAG-AFTRA's FAQ; the contract text was not read.",
    ),
)
WGA_2023_MBA = LegalDate(
    2023,
    9,
    25,
    source=Source("WGA 2023 Minimum Basic Agreement, Art. 72: term 25 September 2023 to 1 May 2026", verified=False),
)
ACADEMY_99TH_RULES = LegalDate(
    2026,
    5,
    1,
    source=Source(
        "Academy of Motion Picture Arts and Sciences, 99th Academy Awards rules, released 1 May 2026",
        verified=False,
        note="Wording quoted from the Academy's release in the press; the rules document was not read.",
    ),
)

# References, as the documents cite them.
AI_ACT_OPERATORS = Reference(
    _("AI Act Art. 26, Art. 50; definitions in Art. 3(3)-(4)"),
    Source("AI Act Art. 3(3)-(4) (definitions), Art. 26 (deployers), Art. 50", verified=True),
)
AI_ACT_LITERACY = Reference(
    _("AI Act Art. 4, as amended by Regulation (EU) 2026/1744"),
    Source(
        "AI Act Art. 4 as amended: providers and deployers take measures to support AI literacy",
        verified=False,
        note="No fine attaches: Art. 4 is not among the provisions of Art. 99(4).",
    ),
)
AI_ACT_PROHIBITED_PRACTICES = Reference(
    _("AI Act Art. 5(1)(e), (f), (g)"), Source("AI Act Art. 5(1)(e)-(g)", verified=True)
)
AI_ACT_PROHIBITED_INTIMATE_IMAGERY = Reference(
    _("AI Act Art. 5(1)(ba)-(bb), 5(1a), as inserted by Regulation (EU) 2026/1744"),
    INTIMATE_IMAGERY_PROHIBITION.source,
)
AI_ACT_HIGH_RISK = Reference(
    _("AI Act Art. 6(2), Annex III 1(b), 1(c), 4(a); deployers: Art. 26"),
    Source("AI Act Art. 6(2), Annex III points 1(b), 1(c) and 4(a), Art. 26", verified=True),
)
AI_ACT_DEEP_FAKE_DEFINITION = Reference(
    _("AI Act Art. 3(60), Art. 50(4)"), Source("AI Act Art. 3(60), Art. 50(4)", verified=True)
)
AI_ACT_DEEP_FAKE_DISCLOSURE = Reference(
    _("AI Act Art. 50(4), (5), Recital 134"), Source("AI Act Art. 50(4), 50(5), Recital 134", verified=True)
)
AI_ACT_PUBLIC_INTEREST_TEXT = Reference(
    _("AI Act Art. 50(4), second subparagraph; Art. 50(5)"),
    Source("AI Act Art. 50(4) second subparagraph, Art. 50(5)", verified=True),
)
AI_ACT_EMOTION_BIOMETRIC_INFORMATION = Reference(_("AI Act Art. 50(3)"), Source("AI Act Art. 50(3)", verified=True))
AI_ACT_OUTPUT_MARKING = Reference(
    _("AI Act Art. 50(2) (providers), Art. 111(4)"),
    Source("AI Act Art. 50(2) (a provider duty); Art. 111(4) as amended", verified=False),
)
AI_ACT_GPAI_PROVIDER_DOCUMENTS = Reference(
    _("AI Act Art. 53(1)(c)-(d), Art. 111(3)"), Source("AI Act Art. 53(1)(c)-(d), Art. 111(3)", verified=True)
)
GDPR_BIOMETRIC_CONSENT = Reference(
    _("GDPR Art. 9(1), 9(2)(a), Art. 7(3), Art. 35; Recital 27 (deceased persons)"),
    Source(
        "GDPR Art. 9(1), 9(2)(a), 7(3), 35, Recital 27; on employees' consent: Recital 43 and EDPB Guidelines 05/2020",
        verified=True,
    ),
)
FRANCE_POST_MORTEM = Reference(
    _("France: Loi n° 78-17 (Informatique et Libertés), art. 85"),
    Source(
        "Loi n° 78-17 du 6 janvier 1978, art. 85 (directives on personal data after death; art. 40-1 before 2018)",
        verified=False,
    ),
)
PERFORMER_CONSENT_2023 = Reference(
    _("SAG-AFTRA 2023 TV/Theatrical Agreement (digital replicas and alterations); Equity guidance on AI"),
    SAG_AFTRA_2023.source,
)
PERFORMER_CONSENT_2026 = Reference(
    _("SAG-AFTRA 2026 TV/Theatrical Agreement (digital replicas, alterations, synthetic performers); Equity guidance"),
    SAG_AFTRA_2026.source,
)
PERFORMER_CONSENT_UNKNOWN_AGREEMENT = Reference(
    _("SAG-AFTRA TV/Theatrical Agreement (2023 or 2026, by the dates of photography); Equity guidance on AI"),
    SAG_AFTRA_2023.source,
)
WRITERS_INFORMED = Reference(
    _("WGA Minimum Basic Agreement Art. 72 (2023; 2026 MBA)"),
    Source(
        "WGA 2023 MBA Art. 72; the 2026 MBA was agreed in April 2026",
        verified=False,
        note="The 2026 MBA's ratification and AI wording were not found.",
    ),
)
HUMAN_AUTHORSHIP = Reference(_("Academy Awards rules (99th)"), ACADEMY_99TH_RULES.source)

# Fines under AI Act Art. 99, printed only where the duty is the production's own.
FINE_PROHIBITED = Source("AI Act Art. 99(3): EUR 35 million or 7% of worldwide annual turnover", verified=True)
FINE_OPERATOR = Source("AI Act Art. 99(4): EUR 15 million or 3% of worldwide annual turnover", verified=True)
FINE_SME = Source("AI Act Art. 99(6): for SMEs, including start-ups, whichever amount is lower", verified=True)
FINE_SMALL_MID_CAP = Source(
    "AI Act Art. 99(6a) as inserted by Regulation (EU) 2026/1744: for small mid-caps, the lower amount of the"
    " fines of Art. 99(4) and (5), not of Art. 99(3)",
    verified=False,
)


def _declared(kind):
    return {name: value for name, value in globals().items() if name.isupper() and isinstance(value, kind)}


def sources():
    """Every declared date, reference and fine with its source: what a lawyer checks, and what the note lists."""
    declared = {name: date.source for name, date in _declared(LegalDate).items()}
    declared.update({name: reference.source for name, reference in _declared(Reference).items()})
    declared.update(_declared(Source))
    return declared
