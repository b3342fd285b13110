from .registries import ALL

app_name = "prevention"

urlpatterns = [url for registry in ALL for url in registry.urls()]
