import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# WSGI servers run no system checks: refuse to serve PDFs that would point to a loopback address.
from disclosure.checks import refuse_to_start  # noqa: E402  needs the apps loaded above

refuse_to_start()
