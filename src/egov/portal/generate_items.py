"""Portal items of a generated province-year: news articles and directive items (Wagtail pages) under the demo
portal's news and directive sections (``portal_load_demo`` makes them).

Wagtail pages go through treebeard's ``add_child`` one by one (each computes its tree path and updates the
parent's child count); a bulk path would have to re-derive paths, depths, url paths and the search index, so
the generator creates a modest number this way (``--scale province``: 1,200 news and 800 directive items; about
25 pages a second here) and says so. Pages are live without a revision history. Slugs ``sinh-<n>`` make a
rerun continue after the last page made (one transaction per page).
"""

import datetime as dt
import logging
import random

from django.db import transaction
from django.utils import timezone

from egov.core.generate import Progress
from egov.directory.models import Agency, AgencyKind
from egov.documents.generate import text
from egov.portal.models import ArticlePage, DirectiveItemPage, SectionPage
from egov.portal.models.sections import Section

PREFIX = "sinh-"
LEADS = ["Sáng ngày {date}, {agency} tổ chức hội nghị {what} {topic}.",
         "Ngày {date}, {agency} đã {what} {topic} với sự tham dự của đại diện các sở, ngành và địa phương.",
         "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, ngày {date}, {agency} {what} {topic}."]
WHATS = ["sơ kết", "triển khai", "tổng kết", "kiểm tra tiến độ", "tập huấn"]


def sections() -> tuple[SectionPage | None, SectionPage | None]:
    news = SectionPage.objects.filter(section=Section.NEWS).order_by("depth", "path").first()
    directive = SectionPage.objects.filter(section=Section.DIRECTIVE).order_by("depth", "path").first()
    return news, directive


def portal_items_generate(*, news: int, directives: int, year: int, seed: int, now=None, progress: bool = True,
                          stop_after: int | None = None) -> dict:
    """Create up to ``news`` articles and ``directives`` directive items (those missing)."""
    news_section, directive_section = sections()
    if news_section is None or directive_section is None:
        return {"news": 0, "directives": 0, "note": "no portal sections"}
    agencies = list(Agency.objects.filter(is_active=True).exclude(kind__in=(AgencyKind.OTHER, "huyen"))
                    .order_by("code"))
    committee = next((a for a in agencies if a.kind == AgencyKind.PROVINCE_COMMITTEE), agencies[0])
    now = now or timezone.now()
    last = min(dt.date(year, 12, 31), timezone.localdate(now))
    span = max((last - dt.date(year, 1, 1)).days, 0)
    bar = Progress("Trang cổng", news + directives, enabled=progress)
    made = {"news": 0, "directives": 0}
    wagtail_log = logging.getLogger("wagtail")
    level, wagtail_log.level = wagtail_log.level, logging.WARNING  # not a log line per generated page
    try:
        _pages(made, bar, news_section, directive_section, news, directives, agencies, committee, year, seed, now,
               span, stop_after)
    finally:
        wagtail_log.setLevel(level)
    made["seconds"] = bar.close()
    return made


def _pages(made, bar, news_section, directive_section, news, directives, agencies, committee, year, seed, now, span,
           stop_after) -> None:
    for kind, parent, total in (("news", news_section, news), ("directives", directive_section, directives)):
        existing = set(parent.get_children().filter(slug__startswith=f"{PREFIX}{kind}-")
                       .values_list("slug", flat=True))
        for index in range(1, total + 1):
            slug = f"{PREFIX}{kind}-{index}"
            if slug in existing:
                bar.skip(1)
                continue
            if stop_after is not None and sum(made.values()) >= stop_after:
                break
            rng = random.Random(f"{seed}:portal:{slug}")
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span))
            agency = rng.choice(agencies)
            topic = rng.choice(text.TOPICS)
            with transaction.atomic():
                parent = SectionPage.objects.get(pk=parent.pk)  # fresh numchild after the last insert
                if kind == "news":
                    lead = rng.choice(LEADS).format(date=day.strftime("%d/%m/%Y"), agency=agency.name,
                                                    what=rng.choice(WHATS), topic=topic)
                    page = ArticlePage(title=f"{agency.name}: {rng.choice(WHATS)} {topic}"[:255], slug=slug,
                                       date=day, summary=lead, agency=agency, live=True,
                                       body=[("paragraph", f"<p>{lead}</p>"),
                                             ("paragraph", f"<p>{text.summary(rng, 'bao-cao', year)}.</p>")])
                else:
                    number = f"{rng.randint(1, 3000)}/{rng.choice(['QĐ', 'CT', 'TB', 'KH'])}-UBND"
                    summary = text.summary(rng, "chi-thi", year)
                    page = DirectiveItemPage(title=summary[:255], slug=slug, summary=summary, live=True,
                                             number_notation=number, document_type_name="Chỉ thị",
                                             issued_date=day, issuer=committee, issuer_name=committee.name,
                                             signer="Phó Chủ tịch Ủy ban nhân dân tỉnh",
                                             body=f"<p>{summary}.</p>")
                moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, 0))
                page.first_published_at = page.last_published_at = min(moment, now)
                parent.add_child(instance=page)
            made[kind] += 1
            bar.update(1)
