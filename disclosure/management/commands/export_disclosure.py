"""Render a draft disclosure document to a PDF file from the command line, through the app's own code path."""

import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from disclosure.documents import building, jobs, requests
from disclosure.models import DocumentKind, DocumentStatus
from productions.models import Production


class Command(BaseCommand):
    help = (
        "Render a draft of the transparency statement or the AI Act checklist of a production to a PDF file. The"
        " draft is recorded like one requested in the app (and reused when nothing changed) and verifies as a"
        " draft; issuing an edition is done in the app or the API, with a named signatory."
    )

    def add_arguments(self, parser):
        parser.add_argument("production", help="The production's id or its exact title.")
        parser.add_argument("--kind", choices=DocumentKind.values, default=DocumentKind.STATEMENT)
        parser.add_argument("--lang", choices=[code for code, _name in settings.LANGUAGES], default="en")
        parser.add_argument("--date", help="Assessment date, YYYY-MM-DD (default: the EU release date, else today).")
        parser.add_argument("-o", "--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--user", help="Username recorded as the requester (default: none, the command line).")

    def handle(self, *args, production, kind, lang, date, output, user, **options):
        production = self._production(production)
        on = self._date(date) if date else building.default_assessment_date(production)
        requester = self._user(user) if user else None

        document, created = requests.request_document(
            production=production, kind=kind, language=lang, on=on, requested_by=requester, queue=False
        )
        if document.status != DocumentStatus.READY:
            document = jobs.render(document.id)
        if document.status == DocumentStatus.FAILED:
            raise CommandError(f"Rendering failed: {document.error}")
        if document.status != DocumentStatus.READY:
            raise CommandError(f"Document {document.id} is being rendered by a worker; run the command again shortly.")

        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        with document.file.open("rb") as source, target.open("wb") as destination:
            shutil.copyfileobj(source, destination)
        how = "rendered" if created else "reused, nothing changed since it was made"
        self.stdout.write(f"Wrote {target} ({document.size} bytes, {how})")
        self.stdout.write(f"Document id: {document.id}")
        self.stdout.write(f"SHA-256: {document.sha256}")

    def _production(self, reference):
        if reference.isdigit():
            found = Production.objects.filter(pk=int(reference)).first()
            if found:
                return found
        matches = list(Production.objects.filter(title=reference)[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise CommandError(f"Several productions are titled {reference!r}: give the id instead.")
        raise CommandError(f"No production has the id or the exact title {reference!r}.")

    def _date(self, text):
        try:
            on = parse_date(text)
        except ValueError:
            on = None
        if on is None:
            raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.")
        return on

    def _user(self, username):
        found = get_user_model().objects.filter(username=username).first()
        if found is None:
            raise CommandError(f"No user is named {username!r}.")
        return found
