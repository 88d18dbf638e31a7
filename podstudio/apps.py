from django.apps import AppConfig


class PodStudioConfig(AppConfig):
    name = "podstudio"
    verbose_name = "Pod Studio"
