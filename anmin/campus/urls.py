from .registries import ALL

app_name = "campus"

urlpatterns = [url for registry in ALL for url in registry.urls()]
