from django.urls import include, path
from django.views.generic import RedirectView

from interfaces.api.urls import api
from interfaces.backoffice.site import backoffice_site
from interfaces.ops.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("backoffice/", backoffice_site.urls),
    path("portal/", include("interfaces.portal.urls")),
    path("line/", include("interfaces.line.urls")),
    path("liff/", include("interfaces.line.liff_urls")),
    path("display/", include("interfaces.portal.display_urls")),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
]
