from django.contrib.auth import views as auth_views
from django.urls import path

from interfaces.portal import views
from interfaces.portal.forms import PortalLoginForm

app_name = "portal"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=PortalLoginForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("registration/", views.registration, name="registration"),
    path("unit/switch/", views.switch_unit, name="switch_unit"),
]
