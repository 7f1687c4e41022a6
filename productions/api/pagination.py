from rest_framework import pagination

from productions.paging import Paginator, PaginatorByIds


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class PageByIdsPagination(PageNumberPagination):
    """For lists of many records in a total order (ending with the id, so that it reverses exactly): the same pages,
    found by their ids, then read by them from the view's queryset before its filters. The count is the filterset's
    when it knows it without counting (`known_count`, productions.api.filters.AIUseFilter)."""

    view = None

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, page_size):
        filterset = getattr(self.view, "filterset", None)
        count = filterset.known_count() if filterset is not None else None
        if self.view is None:
            return PaginatorByIds(queryset, page_size, count=count)

        def records(ids):
            # Unordered: the paginator puts them in the page's order.
            return self.view.get_queryset().filter(pk__in=ids).order_by()

        return PaginatorByIds(queryset, page_size, count=count, records=records)

    def restore(self, request, count, number):
        """The page `number` of a list of `count` records kept for this request (productions.kept_pages), as
        paginate_queryset would have found it: the links of get_paginated_response are written from it."""
        self.request = request
        paginator = Paginator((), self.get_page_size(request), count=count)
        self.page = paginator.page(number)
        self.display_page_controls = paginator.num_pages > 1 and self.template is not None
