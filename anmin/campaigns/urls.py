from .registries import ALL

app_name = "campaigns"

urlpatterns = [url for registry in ALL for url in registry.urls()]
