from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    """Not a feature: the project's own deployment checks, registered once the apps are loaded."""

    name = "config"
    verbose_name = "Deployment"

    def ready(self):
        from config import checks  # noqa: F401  registers the secret key check
