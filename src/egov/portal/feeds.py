"""RSS 2.0 feeds of the portal (issue 5, point 6): news and events, directive and executive information."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from egov.portal import selectors

FEED_SIZE = 20


class _PortalFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "vi"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        section = selectors.section_by_kind(self.section_kind)
        return section.get_url(self.request) if section else "/"

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.get_meta_description()

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        day = selectors.item_date(item)
        published = item.first_published_at
        if day is None:
            return published
        if published is not None and timezone.localdate(published) == day:
            return published
        return timezone.make_aware(datetime.combine(day, time(8, 0)))

    def item_updateddate(self, item):
        return item.last_published_at


class NewsFeed(_PortalFeed):
    title = "Tin tức, sự kiện — Cổng thông tin điện tử tỉnh Cà Mau"
    description = "Tin tức, sự kiện mới nhất trên Cổng thông tin điện tử tỉnh Cà Mau"
    section_kind = "news"

    def items(self):
        return selectors.latest_news(FEED_SIZE)


class DirectiveFeed(_PortalFeed):
    title = "Thông tin chỉ đạo, điều hành — Cổng thông tin điện tử tỉnh Cà Mau"
    description = "Thông tin chỉ đạo, điều hành của Ủy ban nhân dân tỉnh Cà Mau"
    section_kind = "directive"

    def items(self):
        return selectors.latest_directive_items(FEED_SIZE)

    def item_description(self, item):
        facts = " · ".join(part for part in [
            f"Số {item.number_notation}" if item.number_notation else "",
            f"ngày {item.issued_date:%d/%m/%Y}" if item.issued_date else "",
            item.issuer_name, item.signer and f"người ký: {item.signer}",
        ] if part)
        return f"{facts}. {item.summary}" if item.summary else facts
