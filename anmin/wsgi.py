import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anmin.settings")
application = get_wsgi_application()

from anmin.core.serving import settle  # noqa: E402  (after Django is set up)

settle()
