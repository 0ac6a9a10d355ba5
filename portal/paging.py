"""Pagination for long lists: a page of rows, with the count the view already knows.

Lists show their totals for the whole filtered set (computed in the database), so the number
of rows is known before the page is fetched: passing it in saves Paginator's COUNT(*).
The page's links are built here, once, for templates/portal/partials/_pagination.html.
"""

from django.core.paginator import Paginator

from .params import page_number


def get_page(request, queryset, *, per_page, count=None):
    """The page asked for in ?page= (the first or the last if out of range)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set here, never queried
    page = paginator.get_page(page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    prefix = f"?{query.urlencode()}&page=" if query else "?page="

    def href(number):
        return f"{prefix}{number}"

    # 1 2 … 5 6 [7] 8 9 … 19 20
    page.links = [
        {
            "number": n,
            "href": None if n == paginator.ELLIPSIS else href(n),
            "current": n == page.number,
        }
        for n in paginator.get_elided_page_range(page.number, on_each_side=2)
    ]
    page.previous_href = href(page.previous_page_number()) if page.has_previous() else None
    page.next_href = href(page.next_page_number()) if page.has_next() else None
    return page
