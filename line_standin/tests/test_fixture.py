"""The ``line_standin`` fixture (raksa/testing/line_standin.py) wires the stand-in and Django together."""

from django.conf import settings

from line_standin.demo_users import DEMO_USERS
from raksa.testing.line_standin import NOWHERE


def test_without_a_live_server_django_points_at_the_stand_in_and_webhooks_go_nowhere(line_standin):
    assert line_standin.raksa_url == NOWHERE
    assert settings.LINE_API_BASE_URL == settings.LINE_API_DATA_BASE_URL == line_standin.base_url
    assert settings.LINE_JWKS_URL == f"{line_standin.base_url}/oauth2/v2.1/certs"
    assert settings.LINE_LIFF_SDK_URL == f"{line_standin.base_url}/static/liff-shim.js"
    assert line_standin.channel_secret == settings.LINE_CHANNEL_SECRET
    assert line_standin.login_channel_id == settings.LINE_LOGIN_CHANNEL_ID
    assert line_standin.webhook(DEMO_USERS[0].user_id, "follow").status == 502


def test_with_a_live_server_the_stand_ins_webhooks_reach_it(live_server, line_standin):
    answer = line_standin.webhook(DEMO_USERS[0].user_id, "follow")

    assert line_standin.raksa_url == live_server.url
    # The same host name as Raksa's (localhost here): the viewer, the phone frame and Raksa's frame-ancestors
    # policy (settings.LINE_STANDIN_URL) name one site.
    assert line_standin.base_url.split(":")[1] == live_server.url.split(":")[1]
    assert settings.LINE_STANDIN_URL == line_standin.base_url
    assert answer.json()["status"] is not None  # Raksa answered (what it answers is the webhook's business)
    assert line_standin.get("/_standin/config").json()["liffUrl"] == f"{live_server.url}/liff/"
