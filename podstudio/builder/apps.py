from django.apps import AppConfig


class BuilderConfig(AppConfig):
    name = "podstudio.builder"
    label = "builder"
