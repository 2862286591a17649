"""The queue display board, mounted at /display/ by config/urls.py (no login: a signed unit link)."""

from django.urls import path

from interfaces.portal import views_display

app_name = "display"
urlpatterns = [
    path("<str:token>/", views_display.board, name="board"),
    path("<str:token>/live/", views_display.live, name="live"),
]
