from django.urls import path  # noqa: F401

app_name = "campus"

urlpatterns: list = []
