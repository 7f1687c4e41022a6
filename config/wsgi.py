import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# WSGI servers run no system checks: refuse the repository's secret key, and PDFs that would point to a
# loopback address.
from config import checks  # noqa: E402  needs the apps loaded above
from disclosure.checks import refuse_to_start  # noqa: E402

checks.refuse_to_start()
refuse_to_start()
