from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "jaring.regions"
    label = "regions"
    verbose_name = "Wilayah dan kantor"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .codes import clear_caches
        from .models import RegionCodeChange

        post_save.connect(clear_caches, sender=RegionCodeChange, dispatch_uid="region-code-change-save")
        post_delete.connect(clear_caches, sender=RegionCodeChange, dispatch_uid="region-code-change-delete")
