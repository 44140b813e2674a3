from django.http import HttpResponsePermanentRedirect

from articles.models import Redirect


class RedirectFallbackMiddleware:
    """On a 404, answer 301 when the path is a known old address (legacy or renamed).

    Only 404s pay for the lookup, so normal pages run no extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or "\x00" in request.path:  # no old address has a NUL
            return response
        # Generators such as Hugo lower-case addresses, old links may not: the exact path wins,
        # then its lower-case spelling (one query either way; only 404s pay for it).
        path = Redirect.normalize_path(request.path)
        candidates = Redirect.objects.select_related("article").filter(old_path__in={path, path.lower()})
        redirect = min(candidates, key=lambda candidate: candidate.old_path != path, default=None)
        if redirect is None or redirect.target_url == request.path or not redirect.goes_to_live_page():
            return response
        return HttpResponsePermanentRedirect(redirect.target_url)
