from django.urls import path

from . import views
from .registries import ALL

app_name = "campus"

urlpatterns = [
    *(url for registry in ALL for url in registry.urls()),
    path("posts/<int:pk>/checkin/", views.CheckinView.as_view(), name="post_checkin"),
]
