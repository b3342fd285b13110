"""API pagination (its own module: DRF imports it while loading the viewset base classes)."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """50 a page, ``?page_size=`` 1 … 1000. A ``page_size`` that is not such a number is a 400 naming
    it (DRF would silently fall back to 50); a page that does not exist is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        value = raw[-1]
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            message = f"page_size：应为 1 至 {self.max_page_size} 之间的整数"
            raise ValidationError({self.page_size_query_param: [message]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
            elif param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return params
