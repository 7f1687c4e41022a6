"""Paginators of long lists of uses: a count known beforehand, and a page found by its ids alone."""

from django.core import paginator


class Paginator(paginator.Paginator):
    """Django's, given the count when it is known more cheaply than by counting the list (`count`)."""

    def __init__(self, object_list, per_page, *, count=None, **options):
        super().__init__(object_list, per_page, **options)
        if count is not None:
            self.count = count  # what the cached property would have stored


class PaginatorByIds(Paginator):
    """A page found by the ids of its records alone, then only its records read, by `records(ids)` (the list itself
    filtered on them by default): an offset into the full query reads and drops every row before the page with all
    that it selects and joins (the last page of 50,000 uses), and reading the page's records through the list's
    filters plans and runs them a second time. For lists in a total order that ends with the id, so that it
    reverses exactly."""

    def __init__(self, object_list, per_page, *, records=None, **options):
        super().__init__(object_list, per_page, **options)
        self.records = records or (lambda ids: self.object_list.filter(pk__in=ids))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top:
            # Nearer the end: the same ids counted from the end, in the reverse order, which skips fewer rows.
            ids = list(self.object_list.reverse().values_list("pk", flat=True)[self.count - top : self.count - bottom])
            ids.reverse()
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        position = {pk: index for index, pk in enumerate(ids)}
        records = sorted(self.records(ids), key=lambda record: position[record.pk])
        return self._get_page(records, number, self)
