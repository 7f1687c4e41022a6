"""The user's API tokens: create (the secret is shown once, in the answer to the POST), list, revoke.

Tokens belong to a person, not to a production: what a token can reach is what its owner can.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from productions import tokens as api_tokens
from productions.forms.tokens import ApiTokenForm


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        created, secret = api_tokens.issue_token(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": api_tokens.tokens_of(request.user),
        "created": created,
        # Only in this response: the database keeps a hash, the session nothing.
        "secret": secret,
    }
    return render(request, "productions/tokens/list.html", context)


@require_POST
@login_required
def token_revoke(request, pk):
    token = api_tokens.revoke_token(user=request.user, pk=pk)
    messages.success(request, _("Token “%(name)s” is revoked; it no longer opens the API.") % {"name": token.name})
    return redirect("productions:tokens")


urlpatterns = [
    path("account/tokens/", token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke", token_revoke, name="token-revoke"),
]
