"""Pages for a person's API tokens: the list, a new token (its secret shown once), revoking."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accountable.tokens import selectors, services
from accountable.tokens.forms import TokenCreateForm
from accountable.tokens.services import TokenError


@require_http_methods(["GET"])
def token_list(request):
    tokens = list(selectors.token_list(request.user))
    context = {
        "mine": [token for token in tokens if token.person_id == request.user.pk],
        "others": [token for token in tokens if token.person_id != request.user.pk],
    }
    return render(request, "tokens/list.html", context)


@require_http_methods(["GET", "POST"])
def token_new(request):
    form = TokenCreateForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.scopes,
                expires_at=form.expires_at,
            )
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            # Rendered, not redirected: the secret is never stored, so this
            # response is the only place it will ever appear.
            response = render(request, "tokens/created.html", {"token": token, "secret": secret})
            response.headers["Cache-Control"] = "no-store"
            return response
    return render(request, "tokens/new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int):
    token = selectors.token_get(request.user, pk)
    if request.method == "POST":
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, f"Revoked “{token.name}”. It no longer opens the API.")
        return redirect("tokens:list")
    return render(request, "tokens/revoke.html", {"token": token})
