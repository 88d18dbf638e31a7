from django.apps import AppConfig


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = "Classrooms"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from classrooms.signals import close_with_the_classroom
        from podstudio.builder.models import Design

        post_save.connect(close_with_the_classroom, sender=Design, dispatch_uid="close-designs")
