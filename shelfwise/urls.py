from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("shelfwise.core.urls")),
    path("catalog/", include("shelfwise.catalog.urls")),
    path("search/", include("shelfwise.search.urls")),
    path("circulation/", include("shelfwise.circulation.urls")),
    path("people/", include("shelfwise.people.urls")),
    path("people/roster/", include("shelfwise.people.roster_urls")),
    path("instruction/", include("shelfwise.instruction.urls")),
    path("guides/", include("shelfwise.guides.urls")),
    path("collection/", include("shelfwise.collection.urls")),
    path("sip2/", include("shelfwise.sip2.urls")),
    path("learning/", include("shelfwise.learning.urls")),
    path("programs/", include("shelfwise.programs.urls")),
    path("reports/", include("shelfwise.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
