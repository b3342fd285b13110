"""Django's makemessages, also extracting ``pgettext_noop(context, text)`` (see ``anmin/core/i18n.py``).

Django's documented way to pass xgettext more options is a makemessages command of one's own.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=pgettext_noop:1c,2"]
