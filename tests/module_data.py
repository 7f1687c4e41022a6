"""Records written once for a test module, as Django's TestCase.setUpTestData: in a transaction kept open until the
module's last test and then rolled back, so that each test's own transaction (the `db` fixture) is a savepoint
inside it and no test sees another's writes. Their files are written to a folder each test copies them from."""

import shutil

from django.db import transaction
from django.test import override_settings


def kept_for_module(django_db_blocker, folder, build, **settings):
    """For a module-scoped fixture (`yield from`): `build()` run once with its files under `folder` and the settings
    tests/conftest.py gives each test (and `settings`); yields (folder, what `build` returned)."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with override_settings(
                MEDIA_ROOT=folder / "media",
                PRIVATE_MEDIA_ROOT=folder / "private",
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                **settings,
            ):
                result = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield folder, result
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def signed_as_in_tests(signing_credentials):
    """The signing settings tests/conftest.py gives each test, for documents that `build` renders and signs."""
    return {
        "REELPROOF_SIGNING_KEY_FILE": str(signing_credentials.key_file),
        "REELPROOF_SIGNING_CERT_FILE": str(signing_credentials.cert_file),
    }


def copy_files(folder, settings):
    """This test's own copy of the module's files, where its settings point."""
    for name, destination in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        if (folder / name).exists():
            shutil.copytree(folder / name, destination, dirs_exist_ok=True)
