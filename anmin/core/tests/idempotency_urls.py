"""Test-only views for the idempotency tests: an API create endpoint and a form page that create
code tables (a small core model), mounted in front of the platform's own URLs."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import include, path
from django.views.generic import CreateView
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from anmin.core.idempotency import IdempotentCreateMixin, IdempotentFormMixin, idempotent_post
from anmin.core.models import CodeTable


class CodeTableSerializer(serializers.ModelSerializer):
    class Meta:
        model = CodeTable
        fields = ["id", "key", "name", "source"]


class CodeTableCreateViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = CodeTable.objects.all()
    serializer_class = CodeTableSerializer


class UploadSerializer(serializers.Serializer):
    key = serializers.SlugField()
    photo = serializers.FileField()

    def create(self, validated_data):
        photo = validated_data["photo"]
        return CodeTable.objects.create(key=validated_data["key"], name=f"{photo.name}:{photo.size}")

    def to_representation(self, instance):
        return {"id": instance.pk, "key": instance.key, "name": instance.name}


class UploadViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A multipart create (like a grid event with its photos)."""

    queryset = CodeTable.objects.all()
    serializer_class = UploadSerializer


class CodeTableCreatePage(IdempotentFormMixin, CreateView):
    model = CodeTable
    fields = ["key", "name"]
    template_name = "anmin/form.html"
    success_url = "/test-idem/done/{id}/"


@idempotent_post
def create_code_table(request):
    if request.method == "POST":
        table = CodeTable.objects.create(key=request.POST["key"], name=request.POST["name"])
        return HttpResponseRedirect(f"/test-idem/done/{table.pk}/")
    return render(request, "anmin/form.html", {"title": "新增"})


router = SimpleRouter()
router.register("api/codes", CodeTableCreateViewSet, basename="test-codes")
router.register("api/uploads", UploadViewSet, basename="test-uploads")

test_patterns = [
    path("", include(router.urls)),
    path("codes/new/", CodeTableCreatePage.as_view(), name="test-code-new"),
    path("codes/new-fn/", create_code_table, name="test-code-new-fn"),
]

# The platform's own URLs by name (core must not import the top layer; see the import contracts).
urlpatterns = [path("test-idem/", include(test_patterns)), path("", include("anmin.urls"))]
