"""Controlled vocabularies of the field (domain.md §2), declared once.

Every choice list a record uses lives here so that forms, the API, imports and the
disclosure documents speak the same words.
"""

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductionKind(models.TextChoices):
    FEATURE = "feature", _("Feature film")
    SERIES = "series", _("Series")
    EPISODE = "episode", _("Episode")
    DOCUMENTARY = "documentary", _("Documentary")
    SHORT = "short", _("Short film")
    ANIMATION = "animation", _("Animation")


class Role(models.TextChoices):
    PRODUCER = "producer", _("Producer")
    LEGAL = "legal", _("Legal reviewer")
    VIEWER = "viewer", _("Viewer")


class OrganisationRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class ProductionCreation(models.TextChoices):
    """Who in an organisation may start a production in it: the organisation decides."""

    ADMINS = "admins", _("Owners and administrators only")
    MEMBERS = "members", _("Any member")


class Phase(models.TextChoices):
    DEVELOPMENT = "development", _("Development and writing")
    PRE_PRODUCTION = "pre_production", _("Pre-production")
    SET_DESIGN = "set_design", _("Set design")
    CASTING = "casting", _("Casting")
    ON_SET = "on_set", _("On set")
    VFX = "vfx", _("Visual effects")
    POST_PICTURE = "post_picture", _("Post-production (picture)")
    SOUND_MUSIC = "sound_music", _("Sound and music")
    VOICE_DUBBING = "voice_dubbing", _("Voice and dubbing")
    SUBTITLES_ACCESSIBILITY = "subtitles_accessibility", _("Subtitles and accessibility")
    RESTORATION = "restoration", _("Restoration")
    MARKETING = "marketing", _("Marketing and distribution")


class Department(models.TextChoices):
    DIRECTION = "direction", _("Direction")
    WRITING = "writing", _("Writing")
    PRODUCTION_OFFICE = "production_office", _("Production office")
    CASTING = "casting", _("Casting")
    ART = "art", _("Art department")
    CAMERA = "camera", _("Camera")
    VFX = "vfx", _("Visual effects")
    ANIMATION = "animation", _("Animation")
    EDITORIAL = "editorial", _("Editorial")
    COLOUR = "colour", _("Colour grading")
    SOUND = "sound", _("Sound")
    MUSIC = "music", _("Music")
    LOCALISATION = "localisation", _("Localisation and dubbing")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    ARCHIVE = "archive", _("Archive and restoration")
    MARKETING = "marketing", _("Marketing and distribution")


class DigitalSourceType(models.TextChoices):
    """IPTC NewsCodes digital source types (http://cv.iptc.org/newscodes/digitalsourcetype/)."""

    DIGITAL_CAPTURE = "digitalCapture", _("Original digital capture")
    COMPUTATIONAL_CAPTURE = "computationalCapture", _("Computational capture")
    NEGATIVE_FILM = "negativeFilm", _("Digitised from a negative")
    POSITIVE_FILM = "positiveFilm", _("Digitised from a transparency")
    PRINT = "print", _("Digitised from a print")
    HUMAN_EDITS = "humanEdits", _("Human-edited media")
    COMPOSITE_CAPTURE = "compositeCapture", _("Composite of captured elements")
    ALGORITHMICALLY_ENHANCED = "algorithmicallyEnhanced", _("Algorithmically enhanced")
    DIGITAL_CREATION = "digitalCreation", _("Digital creation")
    DATA_DRIVEN_MEDIA = "dataDrivenMedia", _("Data-driven media")
    TRAINED_ALGORITHMIC_MEDIA = "trainedAlgorithmicMedia", _("Trained algorithmic media (generative AI)")
    COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA = (
        "compositeWithTrainedAlgorithmicMedia",
        _("Composite with generative AI elements"),
    )
    COMPOSITE_SYNTHETIC = "compositeSynthetic", _("Composite of synthetic elements")
    ALGORITHMIC_MEDIA = "algorithmicMedia", _("Algorithmic media (not trained)")
    SCREEN_CAPTURE = "screenCapture", _("Screen capture")
    VIRTUAL_RECORDING = "virtualRecording", _("Virtual recording")
    COMPOSITE = "composite", _("Composite")


IPTC_DIGITAL_SOURCE_TYPE_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"

# What the IPTC definitions (2024-10 revision) say of each code, for the statement's "generated or
# modified" and for Art. 50(2): only trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia and
# compositeSynthetic involve a model trained on sampled content (generative AI). algorithmicMedia (an
# algorithm with no training data), dataDrivenMedia (data rendered by human programming), humanEdits
# (non-generative tools) and algorithmicallyEnhanced (sharpening, noise reduction) do not.
AI_GENERATED_SOURCE_TYPES = frozenset({DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA})
AI_MODIFIED_SOURCE_TYPES = frozenset(
    {
        DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        DigitalSourceType.COMPOSITE_SYNTHETIC,
    }
)
# Enhanced by an algorithm, not generated: the assistive editing Art. 50(2) exempts from marking.
ALGORITHMICALLY_ENHANCED_SOURCE_TYPES = frozenset({DigitalSourceType.ALGORITHMICALLY_ENHANCED})
GENERATIVE_SOURCE_TYPES = AI_GENERATED_SOURCE_TYPES | AI_MODIFIED_SOURCE_TYPES


class OutputType(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    TEXT = "text", _("Text")
    MODEL_3D = "3d", _("3D asset")
    ANALYSIS = "analysis", _("Analysis or data")


# Outputs the audience sees or hears, which need a deep-fake determination (AI Act Art. 3(60), 50(4)); a 3D
# double is rendered into picture, so it counts as image or video.
AUDIOVISUAL_OUTPUT_TYPES = frozenset({OutputType.IMAGE, OutputType.VIDEO, OutputType.AUDIO, OutputType.MODEL_3D})


class DeepFake(models.TextChoices):
    NOT_DETERMINED = "not_determined", _("Not yet determined")
    YES = "yes", _("Yes: deep fake")
    NO = "no", _("No")


class DisclosureMethod(models.TextChoices):
    NONE = "none", _("No audience disclosure")
    END_CREDITS = "end_credits", _("End credits")
    ON_SCREEN_LABEL = "on_screen_label", _("On-screen label")
    ON_SCREEN_LABEL_AUDIO_DESCRIBED = "on_screen_label_audio", _("On-screen label, audio-described")
    OPENING_CARD = "opening_card", _("Opening card")
    OPENING_CARD_AUDIO_DESCRIBED = "opening_card_audio", _("Opening card, audio-described")
    AUDIO_DISCLAIMER = "audio_disclaimer", _("Audio disclaimer")
    AUDIO_DISCLAIMER_SUBTITLED = "audio_disclaimer_subtitled", _("Audio disclaimer, subtitled")
    MARKETING_NOTICE = "marketing_notice", _("Marketing notice")


class DisclosureTiming(models.TextChoices):
    """When a disclosure reaches the audience, against Art. 50(5): at the latest at the first exposure."""

    AT_OR_BEFORE_EXPOSURE = "at_or_before_exposure", _("at or before the first exposure")
    AFTER_EXPOSURE = "after_exposure", _("after the exposure")
    OUTSIDE_THE_WORK = "outside_the_work", _("outside the work")
    NONE = "none", _("never")


class Sense(models.TextChoices):
    SIGHT = "sight", _("sight")
    HEARING = "hearing", _("hearing")


class DisclosureForm(NamedTuple):
    timing: str
    senses: frozenset  # who perceives it: a form that reaches both sight and hearing is accessible (Art. 50(5))


BOTH_SENSES = frozenset({Sense.SIGHT, Sense.HEARING})

# Each method's timing and the senses it reaches: data the deep-fake and public-interest rules read.
DISCLOSURE_FORMS = {
    DisclosureMethod.NONE: DisclosureForm(DisclosureTiming.NONE, frozenset()),
    DisclosureMethod.END_CREDITS: DisclosureForm(DisclosureTiming.AFTER_EXPOSURE, frozenset({Sense.SIGHT})),
    DisclosureMethod.ON_SCREEN_LABEL: DisclosureForm(DisclosureTiming.AT_OR_BEFORE_EXPOSURE, frozenset({Sense.SIGHT})),
    DisclosureMethod.ON_SCREEN_LABEL_AUDIO_DESCRIBED: DisclosureForm(
        DisclosureTiming.AT_OR_BEFORE_EXPOSURE, BOTH_SENSES
    ),
    DisclosureMethod.OPENING_CARD: DisclosureForm(DisclosureTiming.AT_OR_BEFORE_EXPOSURE, frozenset({Sense.SIGHT})),
    DisclosureMethod.OPENING_CARD_AUDIO_DESCRIBED: DisclosureForm(DisclosureTiming.AT_OR_BEFORE_EXPOSURE, BOTH_SENSES),
    DisclosureMethod.AUDIO_DISCLAIMER: DisclosureForm(
        DisclosureTiming.AT_OR_BEFORE_EXPOSURE, frozenset({Sense.HEARING})
    ),
    DisclosureMethod.AUDIO_DISCLAIMER_SUBTITLED: DisclosureForm(DisclosureTiming.AT_OR_BEFORE_EXPOSURE, BOTH_SENSES),
    DisclosureMethod.MARKETING_NOTICE: DisclosureForm(DisclosureTiming.OUTSIDE_THE_WORK, frozenset({Sense.SIGHT})),
}


class PublishedIn(models.TextChoices):
    """Published material outside the final work where an output appears (deep fakes there count too)."""

    TRAILER = "trailer", _("Trailer or teaser")
    POSTER = "poster", _("Poster or key art")
    EPK = "epk", _("Electronic press kit")
    SOCIAL = "social", _("Social media")


class Determination(models.TextChoices):
    """A determination someone makes and records: never defaulted to the convenient answer."""

    NOT_DETERMINED = "not_determined", _("Not determined")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class CompanySize(models.TextChoices):
    """The size class the AI Act's fines turn on (Art. 99(6), 99(6a))."""

    NOT_STATED = "", _("Not stated")
    SME = "sme", _("SME (including start-ups)")
    SMALL_MID_CAP = "small_mid_cap", _("Small mid-cap")
    OTHER = "other", _("Larger company")


class UsePurpose(models.TextChoices):
    """Why a use is made, where the law turns on it (Art. 5(1)(f) and (g))."""

    NOT_STATED = "", _("Not stated")
    MEDICAL = "medical", _("Medical reasons")
    SAFETY = "safety", _("Safety reasons (e.g. stunt or fatigue monitoring)")
    DATASET_LABELLING = "dataset_labelling", _("Labelling or filtering a lawfully acquired dataset")
    OTHER = "other", _("Another purpose")


class EmotionRecognition(models.TextChoices):
    """Whose emotions an AI use infers: on cast or crew at work it is prohibited (AI Act Art. 5(1)(f))."""

    NONE = "none", _("None")
    CAST_CREW_AT_WORK = "cast_crew_at_work", _("Cast or crew, at work")
    AUDIENCE = "audience", _("Test audiences")
    OTHER = "other", _("Other people")


class InputRights(models.TextChoices):
    OWN_MATERIAL = "own_material", _("Production's own material")
    LICENSED = "licensed", _("Licensed")
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    UNCLEAR = "unclear", _("Unclear")
    NONE = "none", _("No inputs (prompt only)")


class Union(models.TextChoices):
    SAG_AFTRA = "sag_aftra", _("SAG-AFTRA")
    EQUITY = "equity", _("Equity")
    NONE = "none", _("None")
    OTHER = "other", _("Other")


class ConsentKind(models.TextChoices):
    """Kinds of consent following SAG-AFTRA's terms. A digital replica is of the voice and/or the likeness: the
    voice is inside the replica kinds (what a consent covers says which), not a kind of its own."""

    EMPLOYMENT_REPLICA = "employment_replica", _("Employment-based digital replica")
    INDEPENDENT_REPLICA = "independent_replica", _("Independently created digital replica")
    BACKGROUND_REPLICA = "background_replica", _("Background actor digital replica")
    DIGITAL_ALTERATION = "digital_alteration", _("Digital alteration")
    SYNTHETIC_PERFORMER = "synthetic_performer", _("Synthetic performer notice")


class PerformerUse(models.TextChoices):
    """What an AI use does to the people it depicts; decides which consent it needs."""

    NONE = "none", _("Does not depict or voice a person")
    ALTERATION_EXEMPT = (
        "alteration_exempt",
        _("Alteration that stays substantially as scripted, performed or recorded"),
    )
    DIGITAL_ALTERATION = "digital_alteration", _("Digital alteration of a performance")
    EMPLOYMENT_REPLICA = "employment_replica", _("Employment-based digital replica")
    INDEPENDENT_REPLICA = "independent_replica", _("Independently created digital replica")
    BACKGROUND_REPLICA = "background_replica", _("Background actor digital replica")
    VOICE_CLONE = "voice_clone", _("Voice clone or synthesis")
    SYNTHETIC_PERFORMER = (
        "synthetic_performer",
        _("Synthetic performer made with a performer's recognisable features"),
    )


# Digital replicas under SAG-AFTRA: a replica is of the voice and/or the likeness, so a replica consent whose
# described use includes the voice covers a voice use.
REPLICA_CONSENT_KINDS = frozenset(
    {ConsentKind.EMPLOYMENT_REPLICA, ConsentKind.INDEPENDENT_REPLICA, ConsentKind.BACKGROUND_REPLICA}
)

# The consent kinds each performer use can rest on; uses absent from this map need no consent. A voice clone is
# a digital replica of the voice: it rests on a replica consent whose scope includes the voice.
CONSENT_KINDS_FOR_PERFORMER_USE = {
    PerformerUse.DIGITAL_ALTERATION: frozenset({ConsentKind.DIGITAL_ALTERATION}),
    PerformerUse.EMPLOYMENT_REPLICA: frozenset({ConsentKind.EMPLOYMENT_REPLICA}),
    PerformerUse.INDEPENDENT_REPLICA: frozenset({ConsentKind.INDEPENDENT_REPLICA}),
    PerformerUse.BACKGROUND_REPLICA: frozenset({ConsentKind.BACKGROUND_REPLICA}),
    PerformerUse.VOICE_CLONE: REPLICA_CONSENT_KINDS,
    PerformerUse.SYNTHETIC_PERFORMER: frozenset({ConsentKind.SYNTHETIC_PERFORMER}),
}


# Performances that are not a human's performance, and those a human gave but AI altered beyond what was
# performed: the exceptions to "performed by humans" that the authorship statement names.
SYNTHETIC_PERFORMANCES = frozenset(
    {
        PerformerUse.EMPLOYMENT_REPLICA,
        PerformerUse.INDEPENDENT_REPLICA,
        PerformerUse.BACKGROUND_REPLICA,
        PerformerUse.VOICE_CLONE,
        PerformerUse.SYNTHETIC_PERFORMER,
    }
)
AUTHORSHIP_EXCEPTIONS = SYNTHETIC_PERFORMANCES | {PerformerUse.DIGITAL_ALTERATION}


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class ToolKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO_VOICE = "audio_voice", _("Audio and voice")
    TEXT = "text", _("Text")
    MODEL_3D = "3d", _("3D")
    ANALYSIS = "analysis", _("Analysis")


class OperatorRole(models.TextChoices):
    """Our role under the AI Act (Art. 3(3)-(4))."""

    DEPLOYER = "deployer", _("Deployer")
    PROVIDER = "provider", _("Provider (built or fine-tuned by us)")


class ConsentMedium(models.TextChoices):
    """Where a consented use may be shown: a consent's media are part of its scope."""

    THEATRICAL = "theatrical", _("Theatrical")
    TELEVISION = "television", _("Television")
    STREAMING = "streaming", _("Streaming")
    HOME_VIDEO = "home_video", _("Home video")
    FESTIVALS = "festivals", _("Festivals")
    MARKETING = "marketing", _("Marketing and promotion")


class Permission(models.TextChoices):
    """What a performer allowed, as the signed document says: "not stated" is never read as a yes."""

    NOT_STATED = "not_stated", _("Not stated")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class CoverageDecisionKind(models.TextChoices):
    COVERS = "covers", _("Covers this use")
    DOES_NOT_COVER = "does_not_cover", _("Does not cover this use")


class NotificationEvent(models.TextChoices):
    CONSENT_SUBMITTED = "consent_submitted", _("Consent submitted for review")
    CONSENT_APPROVED = "consent_approved", _("Consent approved")
    CONSENT_REJECTED = "consent_rejected", _("Consent rejected")
    CONSENT_CHANGES_REQUESTED = "consent_changes_requested", _("Changes requested on a consent")
    CONSENT_REVOKED = "consent_revoked", _("Consent revoked")
    CONSENT_EXPIRING = "consent_expiring", _("Consent expiring")
    CONSENT_EXPIRED = "consent_expired", _("Consent expired")
    USE_BLOCKED = "use_blocked", _("AI use blocked")
    COVERAGE_AWAITED = "coverage_awaited", _("Coverage decision awaited")
    REVIEW_ASSIGNED = "review_assigned", _("Review assigned to you")
    REVIEW_OVERDUE = "review_overdue", _("Review overdue")


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    NEVER = "never", _("Never (inbox only)")


class TriState(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class TrainingDataProvenance(models.TextChoices):
    LICENSED = "licensed", _("Licensed")
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    OWN_DATA = "own_data", _("Own or production data")
    SCRAPED_WEB = "scraped_web", _("Scraped from the web")
    UNDISCLOSED = "undisclosed", _("Undisclosed")


class OutputMarking(models.TextChoices):
    """Machine-readable marking of outputs (AI Act Art. 50(2))."""

    C2PA = "c2pa", _("C2PA content credentials")
    WATERMARK = "watermark", _("Watermark")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Unknown")


class LiteracyMeasureKind(models.TextChoices):
    TRAINING = "training", _("Training session")
    GUIDANCE = "guidance", _("Written guidance")
    WORKSHOP = "workshop", _("Workshop")
    BRIEFING = "briefing", _("Briefing")


class ImportSource(models.TextChoices):
    """Where an imported spreadsheet comes from; decides which header names are recognised."""

    REELPROOF = "reelproof", _("Reelproof template or export")
    KITSU = "kitsu", _("Kitsu shot list")
    SHOTGRID = "shotgrid", _("ShotGrid (Flow Production Tracking)")
    FTRACK = "ftrack", _("ftrack")
    OTHER = "other", _("Other spreadsheet")


class ImportAction(models.TextChoices):
    """What an import does with one row of the file."""

    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("Unchanged")
    ERROR = "error", _("Error")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ToolPolicyStatus(models.TextChoices):
    """What an organisation says of a tool for its productions."""

    APPROVED = "approved", _("Approved")
    RESTRICTED = "restricted", _("Restricted")
    BLOCKED = "blocked", _("Blocked")
