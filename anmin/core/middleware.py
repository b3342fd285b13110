"""Login is required everywhere except where a view says otherwise; the API authenticates itself."""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware


class AnminLoginRequiredMiddleware(LoginRequiredMiddleware):
    # DRF authenticates (session or token) inside the view and answers 401/403 as JSON,
    # so a redirect to the login page would be wrong for API clients.
    exempt_prefixes = ("/api/", "/static/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
