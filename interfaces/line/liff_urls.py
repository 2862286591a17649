"""LIFF pages (/liff/…): server-rendered, Thai first, signed in by a verified LIFF ID token."""

from django.urls import path

from interfaces.line import session, views, views_claims, views_confirm, views_link

app_name = "liff"

urlpatterns = [
    path("", views.home, name="home"),
    path("session", session.liff_session, name="session"),
    path("link", views_link.link, name="link"),
    path("unlink", views_link.unlink, name="unlink"),
    path("rights", views.rights, name="rights"),
    path("book", views.find_unit, name="find"),
    path("book/<str:hcode>/<str:service_code>", views.pick_time, name="pick_time"),
    path("book/<str:hcode>/<str:service_code>/confirm", views.book_confirm, name="book_confirm"),
    path("bookings", views.bookings, name="bookings"),
    path("bookings/<str:reference>", views.booking_detail, name="booking"),
    path("bookings/<str:reference>/cancel", views.booking_end, {"action": "cancel"}, name="booking_cancel"),
    path("bookings/<str:reference>/decline", views.booking_end, {"action": "decline"}, name="booking_decline"),
    path("bookings/<str:reference>/confirm", views.booking_accept, name="booking_confirm"),
    path("bookings/<str:reference>/move", views.booking_move, name="booking_move"),
    path("bookings/<str:reference>/move/confirm", views.booking_move_confirm, name="booking_move_confirm"),
    path("claims", views_claims.claims, name="claims"),
    path("claims/<int:claim_id>/report", views_claims.claim_report, name="claim_report"),
    path("claims/<int:claim_id>/reported", views_claims.claim_reported, name="claim_reported"),
    path("qr", views.rights_qr, name="qr"),
    path("scan", views_confirm.scan, name="scan"),
    path("confirm", views_confirm.confirm, name="confirm"),
    path("confirm/done/<int:visit_id>", views_confirm.confirm_done, name="confirm_done"),
    path("confirm/declined", views_confirm.confirm_declined, name="confirm_declined"),
]
