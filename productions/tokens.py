"""Personal API tokens: issued once, stored as a SHA-256 hash, revoked for good.

The secret is returned to the caller exactly once, at issue; the database keeps its hash
(for lookup) and its first characters (so people can tell their tokens apart).
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from productions.audit import save_audited
from productions.models import ApiToken

PREFIX_LENGTH = 8
# Recording every call would write on every request; once a minute is precise enough for "last used".
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user):
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def issue_token(*, user, name):
    """Create a token for `user`; returns (token, secret). The secret is not kept anywhere."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=secret[:PREFIX_LENGTH], secret_hash=hash_secret(secret))
    token.full_clean()
    save_audited(token, user, reason="created")
    return token, secret


@transaction.atomic
def revoke_token(*, user, pk):
    """Revoke one of the user's own tokens (404 for anyone else's); revoking twice changes nothing."""
    token = get_object_or_404(tokens_of(user).select_for_update(), pk=pk)
    return revoke(token, user, reason="revoked")


def revoke(token, actor, *, reason):
    """Revoke a token, audited with who and why; a token already revoked stays as it was."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_audited(token, actor, reason=reason)
    return token


def user_for_secret(secret):
    """The active token and its user for a presented secret, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
