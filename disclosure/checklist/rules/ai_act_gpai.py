"""AI Act Art. 53(1)(c)-(d): general-purpose model providers publish a training-content summary and a copyright
policy (from 2 August 2025; models placed on the market before then have until 2 August 2027, Art. 111(3)).

A model provider's duty: for the tools the production only deploys, the checklist records whether the
provider's documents are published, and a gap is attention, never the production's breach.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.evidence import provided_by_us
from disclosure.checklist.findings import ATTENTION, NOT_MET, long_date, met, outcome, problem, rule


@rule(
    "gpai-provider-documents",
    gettext_lazy("Provider documents on file for tools built on general-purpose AI models"),
    basis=law.AI_ACT_GPAI_PROVIDER_DOCUMENTS,
    applies_from=law.GPAI_OBLIGATIONS,
)
def gpai_provider_documents(evidence):
    general_purpose = [tool for tool in evidence.tools if tool.general_purpose_model]
    missing = [
        tool for tool in general_purpose if not (tool.training_content_summary_url and tool.copyright_policy_url)
    ]

    def legacy(tool):
        placed = tool.on_market_since
        return bool(placed) and placed < law.GPAI_OBLIGATIONS and evidence.on < law.GPAI_LEGACY_MODELS

    dates = {"start": long_date(law.GPAI_OBLIGATIONS), "until": long_date(law.GPAI_LEGACY_MODELS)}
    ours = [tool for tool in missing if provided_by_us(tool)]
    finding = outcome(
        problem(
            NOT_MET,
            [tool for tool in ours if not legacy(tool)],
            ngettext_lazy(
                "%(count)d general-purpose model the production provides lacks its published training-content"
                " summary or copyright policy.",
                "%(count)d general-purpose models the production provides lack their published training-content"
                " summary or copyright policy.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [tool for tool in ours if legacy(tool)],
            ngettext_lazy(
                "%(count)d general-purpose model the production provides lacks its documents, but was placed on the"
                " market before %(start)s and has until %(until)s.",
                "%(count)d general-purpose models the production provides lack their documents, but were placed on"
                " the market before %(start)s and have until %(until)s.",
                "count",
            ),
            **dates,
        ),
        problem(
            ATTENTION,
            [tool for tool in missing if not provided_by_us(tool) and not legacy(tool)],
            ngettext_lazy(
                "For %(count)d tool built on a general-purpose model, the provider's training-content summary or"
                " copyright policy is not on file: record whether the provider publishes them.",
                "For %(count)d tools built on general-purpose models, the providers' training-content summaries or"
                " copyright policies are not on file: record whether the providers publish them.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [tool for tool in missing if not provided_by_us(tool) and legacy(tool)],
            ngettext_lazy(
                "%(count)d tool's general-purpose model was placed on the market before %(start)s: its provider has"
                " until %(until)s to publish its documents (Art. 111(3)), which are not both on file yet.",
                "%(count)d tools' general-purpose models were placed on the market before %(start)s: their providers"
                " have until %(until)s to publish their documents (Art. 111(3)), which are not all on file yet.",
                "count",
            ),
            **dates,
        ),
        otherwise=met(
            ngettext_lazy(
                "The training-content summary and copyright policy are on file for the tool built on a"
                " general-purpose AI model.",
                "The training-content summary and copyright policy are on file for each of the %(count)d tools"
                " built on general-purpose AI models.",
                "count",
            ),
            general_purpose,
        )
        if general_purpose
        else met(gettext_lazy("No tool built on a general-purpose AI model is used.")),
    )
    return finding.but(own_duty=any(provided_by_us(tool) for tool in general_purpose))
