"""The checklist's rules, one module per legal area, in the order the documents list them."""

from disclosure.checklist.rules import (
    ai_act_gpai,
    ai_act_high_risk,
    ai_act_operators,
    ai_act_prohibited,
    ai_act_transparency,
    awards,
    gdpr,
    performers,
    writers,
)

RULES = (
    ai_act_operators.inventory,
    ai_act_operators.ai_literacy,
    ai_act_prohibited.prohibited_practices,
    ai_act_prohibited.prohibited_intimate_imagery,
    ai_act_high_risk.high_risk,
    ai_act_transparency.deep_fake_determination,
    ai_act_transparency.deep_fake_disclosure,
    ai_act_transparency.public_interest_text,
    ai_act_transparency.emotion_biometric_information,
    ai_act_transparency.output_marking,
    ai_act_gpai.gpai_provider_documents,
    gdpr.biometric_consent_dpia,
    performers.performer_consent,
    writers.writers_informed,
    awards.human_authorship,
)
RULES_BY_ID = {checklist_rule.id: checklist_rule for checklist_rule in RULES}
