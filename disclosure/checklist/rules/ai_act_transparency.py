"""AI Act Art. 50 (from 2 August 2026): deep fakes, public-interest text, emotion recognition, output marking.

Art. 50(4) and (5): a deep fake is disclosed clearly and distinguishably at the latest at the audience's first
exposure, in an accessible form; each disclosure method's timing and the senses it reaches are data in
productions.vocabularies.DISCLOSURE_FORMS. For an evidently artistic, creative, satirical or fictional work
(Recital 134) the duty is limited to disclosing the existence of such content without hampering enjoyment:
only when the production has determined that it is one. Consent never replaces disclosure: the two stack.
"""

from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.evidence import ended_before, provided_by_us
from disclosure.checklist.findings import ATTENTION, NOT_MET, Fine, long_date, met, outcome, problem, rule
from productions.vocabularies import (
    AUDIOVISUAL_OUTPUT_TYPES,
    BOTH_SENSES,
    DISCLOSURE_FORMS,
    GENERATIVE_SOURCE_TYPES,
    DeepFake,
    Determination,
    DisclosureTiming,
    EmotionRecognition,
    OutputMarking,
    OutputType,
    TriState,
)


def timing(use):
    return DISCLOSURE_FORMS[use.disclosure_method].timing


def accessible(use):
    return DISCLOSURE_FORMS[use.disclosure_method].senses == BOTH_SENSES


@rule(
    "deep-fake-determination",
    gettext_lazy("Deep-fake determination made for every image, video or audio output the audience sees or hears"),
    basis=law.AI_ACT_DEEP_FAKE_DEFINITION,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
)
def deep_fake_determination(evidence):
    audiovisual = [use for use in evidence.exposed_uses if use.output_type in AUDIOVISUAL_OUTPUT_TYPES]
    return outcome(
        problem(
            ATTENTION,
            [use for use in audiovisual if use.deep_fake == DeepFake.NOT_DETERMINED],
            ngettext_lazy(
                "%(count)d image, video or audio output in the final work or in published material has no deep-fake"
                " determination: decide whether it resembles existing persons, objects, places, entities or events"
                " and would falsely appear authentic.",
                "%(count)d image, video or audio outputs in the final work or in published material have no"
                " deep-fake determination: decide for each whether it resembles existing persons, objects, places,"
                " entities or events and would falsely appear authentic.",
                "count",
            ),
        ),
        otherwise=met(
            gettext_lazy(
                "Every image, video and audio output in the final work or in published material (%(count)d) has"
                " a determination."
            ),
            count=len(audiovisual),
        )
        if audiovisual
        else met(gettext_lazy("The final work and its published material have no AI image, video or audio output.")),
    )


@rule(
    "deep-fake-disclosure",
    gettext_lazy("Every deep fake is disclosed to the audience at the latest at its first exposure"),
    basis=law.AI_ACT_DEEP_FAKE_DISCLOSURE,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    fine=Fine.OPERATOR_DUTY,
)
def deep_fake_disclosure(evidence):
    artistic = evidence.production.evidently_artistic
    deep_fakes = [use for use in evidence.exposed_uses if use.deep_fake == DeepFake.YES]
    undetermined = [
        use
        for use in evidence.exposed_uses
        if use.output_type in AUDIOVISUAL_OUTPUT_TYPES and use.deep_fake == DeepFake.NOT_DETERMINED
    ]
    late = [use for use in deep_fakes if timing(use) == DisclosureTiming.AFTER_EXPOSURE]
    outside = [use for use in deep_fakes if timing(use) == DisclosureTiming.OUTSIDE_THE_WORK]
    # Only a recorded determination that the work is evidently artistic limits the duty (Recital 134).
    carve_out = artistic == Determination.YES
    finding = outcome(
        problem(
            NOT_MET,
            [use for use in deep_fakes if timing(use) == DisclosureTiming.NONE],
            ngettext_lazy(
                "%(count)d deep fake has no audience disclosure.",
                "%(count)d deep fakes have no audience disclosure.",
                "count",
            ),
        ),
        problem(
            ATTENTION if carve_out else NOT_MET,
            late,
            ngettext_lazy(
                "%(count)d deep fake is disclosed only in the end credits, after the audience has seen or heard it;"
                " Art. 50(5) asks for disclosure at the latest at the first exposure (an opening card or an"
                " on-screen label).",
                "%(count)d deep fakes are disclosed only in the end credits, after the audience has seen or heard"
                " them; Art. 50(5) asks for disclosure at the latest at the first exposure (an opening card or an"
                " on-screen label).",
                "count",
            ),
        ),
        problem(
            ATTENTION if carve_out else NOT_MET,
            outside,
            ngettext_lazy(
                "%(count)d deep fake is disclosed only outside the work, in marketing, not to the audience at its"
                " first exposure.",
                "%(count)d deep fakes are disclosed only outside the work, in marketing, not to the audience at their"
                " first exposure.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            undetermined,
            ngettext_lazy(
                "%(count)d image, video or audio output has no deep-fake determination, so whether it must be"
                " disclosed is unknown.",
                "%(count)d image, video or audio outputs have no deep-fake determination, so whether they must be"
                " disclosed is unknown.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The deep fake is disclosed at or before the audience's first exposure.",
                "Each of the %(count)d deep fakes is disclosed at or before the audience's first exposure.",
                "count",
            ),
            deep_fakes,
        )
        if deep_fakes
        else met(gettext_lazy("No deep fakes in the final work or in published material.")),
    )
    if not deep_fakes:
        return finding
    published = [use for use in deep_fakes if use.published_in]
    if published:
        finding = finding.adding(
            ngettext(
                "%(count)d of them appears in published material outside the work (trailer, poster, press kit or"
                " social media), where the same duty applies.",
                "%(count)d of them appear in published material outside the work (trailer, poster, press kit or"
                " social media), where the same duty applies.",
                len(published),
            )
            % {"count": len(published)}
        )
    if carve_out:
        finding = finding.adding(
            gettext(
                "The production determined the work is evidently artistic, creative, satirical or fictional: it may"
                " disclose the existence of such content in a way that does not hamper enjoyment of the work."
            )
        )
    elif artistic == Determination.NOT_DETERMINED:
        finding = finding.adding(
            gettext("Whether the work is evidently artistic is not determined: no carve-out applies.")
        )
        if late or outside:
            finding = finding.adding(
                gettext(
                    "Record the determination: for an evidently artistic work, end credits or marketing alone would"
                    " need attention rather than fail."
                )
            )
    timely = [use for use in deep_fakes if timing(use) == DisclosureTiming.AT_OR_BEFORE_EXPOSURE]
    inaccessible = [use for use in timely if not accessible(use)]
    if inaccessible:
        finding = finding.adding(
            ngettext(
                "%(count)d disclosure reaches only sight or only hearing: Art. 50(5) asks for an accessible form"
                " (subtitle an audio disclaimer, audio-describe a card or label).",
                "%(count)d disclosures reach only sight or only hearing: Art. 50(5) asks for an accessible form"
                " (subtitle an audio disclaimer, audio-describe a card or label).",
                len(inaccessible),
            )
            % {"count": len(inaccessible)}
        )
    return finding


@rule(
    "public-interest-text",
    gettext_lazy("AI text published to inform the public is disclosed or under human editorial responsibility"),
    basis=law.AI_ACT_PUBLIC_INTEREST_TEXT,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    fine=Fine.OPERATOR_DUTY,
)
def public_interest_text(evidence):
    texts = [use for use in evidence.uses if use.public_interest_text]
    unreviewed = [use for use in texts if not use.human_editorial_responsibility]
    return outcome(
        problem(
            NOT_MET,
            [use for use in unreviewed if timing(use) == DisclosureTiming.NONE],
            ngettext_lazy(
                "%(count)d AI text published on a matter of public interest is neither disclosed nor under human"
                " editorial responsibility.",
                "%(count)d AI texts published on matters of public interest are neither disclosed nor under human"
                " editorial responsibility.",
                "count",
            ),
        ),
        problem(
            NOT_MET,
            [
                use
                for use in unreviewed
                if timing(use) in (DisclosureTiming.AFTER_EXPOSURE, DisclosureTiming.OUTSIDE_THE_WORK)
            ],
            ngettext_lazy(
                "%(count)d AI text published on a matter of public interest is disclosed only after or outside the"
                " reading, not at the latest at the first exposure (Art. 50(5)).",
                "%(count)d AI texts published on matters of public interest are disclosed only after or outside the"
                " reading, not at the latest at the first exposure (Art. 50(5)).",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI text published on a matter of public interest is disclosed or under human editorial"
                " responsibility.",
                "Each of the %(count)d AI texts published on matters of public interest is disclosed or under"
                " human editorial responsibility.",
                "count",
            ),
            texts,
        )
        if texts
        else met(gettext_lazy("No AI text is published to inform the public on matters of public interest.")),
    )


@rule(
    "emotion-biometric-information",
    gettext_lazy("People exposed to emotion recognition or biometric categorisation are informed"),
    basis=law.AI_ACT_EMOTION_BIOMETRIC_INFORMATION,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    fine=Fine.OPERATOR_DUTY,
)
def emotion_biometric_information(evidence):
    start = law.TRANSPARENCY_OBLIGATIONS

    def exposes(use):
        # Every such use, a prohibited one included: the duty to inform stacks with the prohibition.
        return use.emotion_recognition != EmotionRecognition.NONE or use.biometric_categorisation

    exposing = [use for use in evidence.uses if exposes(use) and not ended_before(use, start)]
    earlier = [use for use in evidence.uses if exposes(use) and ended_before(use, start)]
    finding = outcome(
        problem(
            NOT_MET,
            [use for use in exposing if not use.people_informed],
            ngettext_lazy(
                "%(count)d AI use recognises emotions or categorises people without informing them.",
                "%(count)d AI uses recognise emotions or categorise people without informing them.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The people exposed to emotion recognition or biometric categorisation were informed.",
                "The people exposed were informed in each of the %(count)d uses of emotion recognition or"
                " biometric categorisation.",
                "count",
            ),
            exposing,
        )
        if exposing
        else met(gettext_lazy("No AI use recognises emotions or categorises people biometrically.")),
    )
    if earlier:
        finding = finding.adding(
            ngettext(
                "%(count)d such use ended before %(start)s, when Art. 50(3) began to apply.",
                "%(count)d such uses ended before %(start)s, when Art. 50(3) began to apply.",
                len(earlier),
            )
            % {"count": len(earlier), "start": long_date(start)}
        )
    return finding


@rule(
    "output-marking",
    gettext_lazy("AI outputs are machine-readably marked, and the marking survives into the master"),
    basis=law.AI_ACT_OUTPUT_MARKING,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    fine=Fine.OPERATOR_DUTY,
)
def output_marking(evidence):
    # Art. 50(2) covers generative outputs; it exempts assistive editing that does not substantially alter the
    # input, which is what the other source types record (enhanced, edited or composited captures).
    # The provider marks every output of its system; for a vendor's tool the production's concern is what
    # reaches the audience (the final work and published material).
    generated = [
        use
        for use in evidence.uses
        if use.tool
        and use.output_type != OutputType.ANALYSIS
        and use.digital_source_type in GENERATIVE_SOURCE_TYPES
        and (use.exposed or provided_by_us(use.tool))
    ]

    def unmarked(use):
        return use.tool.output_marking == OutputMarking.NONE or use.marking_kept_in_master == TriState.NO

    def unknown(use):
        return not unmarked(use) and (
            use.tool.output_marking == OutputMarking.UNKNOWN or use.marking_kept_in_master == TriState.UNKNOWN
        )

    def in_grace(tool):
        on_market = tool.on_market_since
        return evidence.on < law.MARKING_GRACE_FOR_SYSTEMS_ON_MARKET and bool(on_market) and on_market < start

    start = law.TRANSPARENCY_OBLIGATIONS
    ours = [use for use in generated if provided_by_us(use.tool)]
    vendors = [use for use in generated if not provided_by_us(use.tool)]
    ours_unmarked = [use for use in ours if unmarked(use)]
    lapsed = [use for use in ours_unmarked if not in_grace(use.tool)]
    in_grace_period = [use for use in ours_unmarked if in_grace(use.tool)]
    finding = outcome(
        problem(
            NOT_MET,
            lapsed,
            ngettext_lazy(
                "%(count)d output of a system the production provides is not machine-readably marked, or loses its"
                " marking before the master: marking is the production's duty as provider.",
                "%(count)d outputs of systems the production provides are not machine-readably marked, or lose"
                " their marking before the master: marking is the production's duty as provider.",
                "count",
            ),
            also=[use.tool for use in lapsed],
        ),
        problem(
            ATTENTION,
            [use for use in lapsed if use.tool.on_market_since is None],
            ngettext_lazy(
                "For %(count)d of them the system's date on the market is not recorded: systems placed before"
                " %(start)s have until %(grace)s (Art. 111(4)); record it.",
                "For %(count)d of them the systems' dates on the market are not recorded: systems placed before"
                " %(start)s have until %(grace)s (Art. 111(4)); record them.",
                "count",
            ),
            start=long_date(start),
            grace=long_date(law.MARKING_GRACE_FOR_SYSTEMS_ON_MARKET),
        ),
        problem(
            ATTENTION,
            in_grace_period,
            ngettext_lazy(
                "%(count)d output of a system the production provides is not marked, but the system was on the"
                " market before %(start)s and has until %(grace)s (Art. 111(4)).",
                "%(count)d outputs of systems the production provides are not marked, but the systems were on the"
                " market before %(start)s and have until %(grace)s (Art. 111(4)).",
                "count",
            ),
            also=[use.tool for use in in_grace_period],
            start=long_date(start),
            grace=long_date(law.MARKING_GRACE_FOR_SYSTEMS_ON_MARKET),
        ),
        problem(
            ATTENTION,
            [use for use in ours if unknown(use)],
            ngettext_lazy(
                "For %(count)d output of a system the production provides, it is unknown whether it is marked and"
                " keeps the marking in the master.",
                "For %(count)d outputs of systems the production provides, it is unknown whether they are marked"
                " and keep the marking in the master.",
                "count",
            ),
        ),
        problem(
            ATTENTION,
            [use for use in vendors if unmarked(use) or unknown(use)],
            ngettext_lazy(
                "%(count)d output of a vendor's tool is not known to be marked, or to keep its marking in the"
                " master. Marking is the provider's duty, not the production's: ask the vendor, and keep the marking"
                " through the pipeline.",
                "%(count)d outputs of vendors' tools are not known to be marked, or to keep their marking in the"
                " master. Marking is the providers' duty, not the production's: ask the vendors, and keep the"
                " marking through the pipeline.",
                "count",
            ),
            also=sorted({use.tool for use in vendors if unmarked(use) or unknown(use)}, key=lambda tool: tool.id),
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI output is marked and keeps the marking in the master.",
                "Each of the %(count)d AI outputs is marked and keeps the marking in the master.",
                "count",
            ),
            generated,
        )
        if generated
        else met(gettext_lazy("The final work and its published material have no generative AI output.")),
    )
    return finding.but(own_duty=bool(ours))
