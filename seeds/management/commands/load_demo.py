from django.core.management.base import BaseCommand

from seeds.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo users, AI tool catalogue and productions; loading again creates nothing twice."

    def handle(self, *args, verbosity, **options):
        result = load_demo()
        if verbosity == 0:
            return
        created = [f"{count} {label}" for label, count in result.created.items() if count]
        if created:
            self.stdout.write(self.style.SUCCESS("Demo data created: " + ", ".join(created) + "."))
        else:
            self.stdout.write("Demo data already loaded: nothing created.")
        self.stdout.write(self.logins_block(result.logins))

    def logins_block(self, logins):
        lines = ["", self.style.MIGRATE_HEADING("Demo logins (demo data only, never on a real server)")]
        for login in logins:
            lines.append(f"  {login.username} / {login.password}")
            memberships = [f"{role} on {production}" for production, role in login.roles]
            memberships += [f"{role} of {organisation}" for organisation, role in login.organisation_roles]
            if login.superuser:
                memberships = ["Django admin at /admin/: every record of every production"]
            lines.extend(f"      {membership}" for membership in memberships or ["Member of no production"])
        return "\n".join(lines)
