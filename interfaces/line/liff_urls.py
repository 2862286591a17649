"""LIFF pages (/liff/…): server-rendered, Thai first, signed in by a verified LIFF ID token."""


app_name = "liff"

urlpatterns: list = []
