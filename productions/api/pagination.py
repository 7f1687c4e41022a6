from django.core.paginator import Paginator
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class PaginatorByIds(Paginator):
    """A page found by the ids of its records alone, then only its records read: an offset into the full query reads
    and drops every row before the page with all that it selects and joins (the last page of 50,000 uses)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top:
            # Nearer the end: the same ids counted from the end, in the reverse order, which skips fewer rows.
            ids = self.object_list.reverse().values("pk")[self.count - top : self.count - bottom]
        else:
            ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class PageByIdsPagination(PageNumberPagination):
    """For lists of many records in a total order (ending with the id, so that it reverses exactly): the same pages,
    read by their ids."""

    django_paginator_class = PaginatorByIds
