"""The form of a person's notification settings (kept beside the notifications it configures)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from productions.models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email", "language"]
        labels = {"email": _("E-mail me"), "language": _("Language of the e-mails")}
        help_texts = {
            "email": _(
                "Your inbox in Reelproof always has every notification; this only says when they are also e-mailed."
            ),
        }
        widgets = {"email": forms.RadioSelect}
