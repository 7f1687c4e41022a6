"""The dates and legal references the checklist relies on, kept as data in one place (domain.md §3, §5).

A lawyer checks this file, not the rules: every date an obligation starts and every reference the
documents cite is declared here once. The product cites articles and never quotes them.
"""

import datetime

from django.utils.translation import gettext_lazy as _

# Regulation (EU) 2024/1689, the AI Act (Art. 113).
AI_ACT_IN_FORCE = datetime.date(2024, 8, 1)
PROHIBITIONS_AND_LITERACY = datetime.date(2025, 2, 2)  # Chapters I and II: Art. 4 and 5
GPAI_OBLIGATIONS = datetime.date(2025, 8, 2)  # Chapter V (general-purpose models)
PENALTIES = datetime.date(2025, 8, 2)  # Chapter XII (Art. 99)
TRANSPARENCY_OBLIGATIONS = datetime.date(2026, 8, 2)  # Art. 50 and most of the rest
# The next two dates are those of the amended Act as domain.md §5 gives them.
MARKING_GRACE_FOR_SYSTEMS_ON_MARKET = datetime.date(2026, 12, 2)  # Art. 50(2), systems on the market before 2 Aug 2026
HIGH_RISK_ANNEX_III = datetime.date(2027, 12, 2)

# Other sources.
GDPR_APPLIES = datetime.date(2018, 5, 25)  # Regulation (EU) 2016/679, Art. 99(2)
SAG_AFTRA_2023 = datetime.date(2023, 11, 9)  # 2023 TV/Theatrical Contracts, effective date (term to 30 Jun 2026)
WGA_2023_MBA = datetime.date(2023, 9, 25)  # 2023 Minimum Basic Agreement, effective date (term to 1 May 2026)
ACADEMY_AI_RULE = datetime.date(2025, 4, 21)  # the Academy's rule: AI "neither helps nor harms" a film's chances

# References, as the documents cite them.
AI_ACT_OPERATORS = _("AI Act Art. 3(3)-(4)")
AI_ACT_LITERACY = _("AI Act Art. 4")
AI_ACT_PROHIBITED_PRACTICES = _("AI Act Art. 5(1)(e), (f), (g)")
AI_ACT_HIGH_RISK_EMPLOYMENT = _("AI Act Art. 6(2), Annex III 4(a), Art. 26")
AI_ACT_DEEP_FAKE_DEFINITION = _("AI Act Art. 3(60), Art. 50(4)")
AI_ACT_DEEP_FAKE_DISCLOSURE = _("AI Act Art. 50(4), (5), Recital 134")
AI_ACT_PUBLIC_INTEREST_TEXT = _("AI Act Art. 50(4), second subparagraph")
AI_ACT_EMOTION_BIOMETRIC_INFORMATION = _("AI Act Art. 50(3)")
AI_ACT_OUTPUT_MARKING = _("AI Act Art. 50(2)")
AI_ACT_GPAI_PROVIDER_DOCUMENTS = _("AI Act Art. 53(1)(c)-(d)")
GDPR_BIOMETRIC_CONSENT = _("GDPR Art. 9(2)(a), Art. 35; Recital 27 (deceased persons)")
PERFORMER_CONSENT = _("SAG-AFTRA 2023 TV/Theatrical Agreement; Equity principles on AI")
WRITERS_INFORMED = _("WGA 2023 MBA Art. 72")
HUMAN_AUTHORSHIP = _("Academy Awards rules (99th)")

# Fines under AI Act Art. 99, for context on the documents (they apply from PENALTIES).
PENALTY_PROHIBITED_PRACTICES = _(
    "AI Act Art. 99(3): fines up to EUR 35 million or 7% of worldwide annual turnover, whichever is higher."
)
PENALTY_OPERATOR_DUTIES = _(
    "AI Act Art. 99(4): fines up to EUR 15 million or 3% of worldwide annual turnover, whichever is higher."
)
