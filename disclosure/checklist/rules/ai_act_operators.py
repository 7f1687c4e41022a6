"""AI Act: knowing your systems (Art. 26, 50; roles defined in Art. 3(3)-(4)) and AI literacy (Art. 4)."""

from django.utils.translation import gettext_lazy, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.findings import ATTENTION, NOT_MET, met, outcome, problem, rule
from productions.vocabularies import Department


@rule(
    "inventory",
    gettext_lazy("Every AI use names its tool; every tool names its vendor, model and our role"),
    basis=law.AI_ACT_OPERATORS,
    applies_from=law.AI_ACT_IN_FORCE,
)
def inventory(evidence):
    without_tool = [use for use in evidence.uses if use.tool is None]
    unnamed_tools = [tool for tool in evidence.tools if not (tool.vendor and tool.model_name and tool.our_role)]
    return outcome(
        problem(
            NOT_MET,
            without_tool,
            ngettext_lazy(
                "%(count)d AI use names no tool: no other duty can be checked for it.",
                "%(count)d AI uses name no tool: no other duty can be checked for them.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            unnamed_tools,
            ngettext_lazy(
                "%(count)d tool lacks its vendor, model name or our role in the catalogue.",
                "%(count)d tools lack their vendor, model name or our role in the catalogue.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI use recorded names its tool, with vendor, model and our role.",
                "Each of the %(count)d AI uses recorded names its tool, with vendor, model and our role.",
                "count",
            ),
            count=len(evidence.uses),
        )
        if evidence.uses
        else met(gettext_lazy("No AI use is recorded for this production.")),
    )


@rule(
    "ai-literacy",
    gettext_lazy("Measures to support AI literacy for every department that uses AI"),
    basis=law.AI_ACT_LITERACY,
    applies_from=law.PROHIBITIONS_AND_LITERACY,
)
def ai_literacy(evidence):
    # Art. 4 as amended asks operators to take measures to support literacy, sets no level and carries no
    # fine: a department with none recorded is attention, never not met.
    held = [measure for measure in evidence.measures if measure.held_on <= evidence.on]
    covered = {department for measure in held for department in measure.departments}
    uncovered = [use for use in evidence.uses if use.department not in covered]
    missing = {use.department for use in uncovered}
    return outcome(
        problem(
            ATTENTION,
            uncovered,
            gettext_lazy(
                "No measure to support AI literacy is recorded on or before the assessment date for: %(departments)s."
                " Record the training or guidance they had."
            ),
            departments=", ".join(str(d.label) for d in Department if d in missing),
        ),
        otherwise=met(
            gettext_lazy(
                "Every department that uses AI had a measure to support AI literacy on or before the assessment date."
            ),
            held,
        )
        if evidence.uses
        else met(gettext_lazy("No department uses AI.")),
    )
