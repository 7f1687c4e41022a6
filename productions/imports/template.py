"""Our template's columns: their order, which are required, joined or written by exports only, and their labels."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from productions.models import AIUse

# Our template's columns, in the order exports write them. "id" is a use's Reelproof id: a row that
# has one updates that use (so uses without a tracker id survive a round trip); empty, a new use.
TEMPLATE_COLUMNS = (
    "id", "external_id", "title", "phase", "department", "description", "shots", "timecode_in",
    "timecode_out", "frame_in", "frame_out", "used_from", "used_until", "tool", "output_type",
    "digital_source_type", "is_final", "human_contribution", "performer_use", "deep_fake", "disclosure_method",
    "published_in", "marking_kept_in_master", "public_interest_text", "human_editorial_responsibility",
    "handed_to_writers", "writers_informed", "inputs_description", "inputs_rights", "biometric_data",
    "emotion_recognition", "purpose", "biometric_categorisation", "sensitive_traits_inferred",
    "untargeted_face_scraping", "intimate_imagery", "people_informed", "screens_casting_or_hiring",
)  # fmt: skip
# Written by exports for people to read; imports ignore them (people and consents are linked in the app).
EXPORT_ONLY_COLUMNS = ("people", "consent_status")
REQUIRED_FIELDS = ("title", "phase", "department", "output_type", "digital_source_type")
# Fields several columns may fill together, joined in the file's column order (Kitsu: Episode, Sequence, Name).
JOINED_FIELDS = {
    "external_id": "/",
    "shots": " / ",
    "description": "\n",
    "human_contribution": "\n",
    "inputs_description": "\n",
}


def field_label(name):
    if name == "id":
        return _("Reelproof id")
    try:
        return str(AIUse._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
