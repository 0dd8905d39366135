"""WSGI entry point for Self-Assess."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.settings")
application = get_wsgi_application()
