"""The portal's HomePage becomes the default Site's root, replacing Wagtail's "Welcome" page.

Idempotent: where a HomePage already exists (a database set up before this migration, or by the demo loader), it is
only made the default site's root. Wagtail's welcome page is deleted only while it has no children.
"""

from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's base 36, 4 characters per level
TITLE = "Cổng thông tin điện tử tỉnh Cà Mau"


def _next_child_path(root, Page) -> str:
    last = Page.objects.filter(depth=root.depth + 1, path__startswith=root.path).order_by("-path").first()
    number = 0
    if last is not None:
        number = 0
        for char in last.path[-4:]:
            number = number * 36 + ALPHABET.index(char)
    number += 1
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return root.path + digits


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("portal.HomePage")

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return  # no Wagtail tree at all (should not happen after wagtailcore's migrations)
    home = HomePage.objects.order_by("path").first()
    if home is None:
        page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
        welcome = Page.objects.filter(depth=2, slug="home", content_type=page_type, numchild=0).first()
        if welcome is not None:
            Site.objects.filter(root_page=welcome).update(root_page=root)
            welcome.delete()
            root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
        locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="vi")
        slug = "home" if not Page.objects.filter(depth=2, slug="home").exists() else "cong-thong-tin"
        content_type, _ = ContentType.objects.get_or_create(app_label="portal", model="homepage")
        now = timezone.now()
        home = HomePage.objects.create(
            title=TITLE, draft_title=TITLE, slug=slug, content_type=content_type, path=_next_child_path(root, Page),
            depth=2, numchild=0, url_path=f"/{slug}/", live=True, locale=locale, first_published_at=now,
            last_published_at=now, summary="Thông tin chính thức của Ủy ban nhân dân tỉnh Cà Mau",
            search_text="cong thong tin dien tu tinh ca mau",
        )
        root.numchild += 1
        root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True,
                            site_name=TITLE)
    elif site.root_page_id != home.pk or not site.is_default_site:
        site.root_page_id = home.pk
        site.is_default_site = True
        site.site_name = site.site_name or TITLE
        site.save()


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
