"""The viewer's pages and files, and the users a visitor adds."""

from line_standin.demo_users import DEMO_USERS


def test_the_viewer_and_its_files_are_served_without_external_assets(line_standin):
    page = line_standin.get("/")
    shim = line_standin.get("/static/liff-shim.js")

    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    html = page.body.decode()
    assert "LINE จำลอง" in html and 'lang="th"' in html
    assert "https://" not in html and "http://" not in html.replace('xmlns="http://www.w3.org', "")
    assert shim.status == 200 and shim.headers["content-type"].startswith("text/javascript")
    for call in ("init", "isLoggedIn", "login", "getIDToken", "getDecodedIDToken", "getProfile", "isInClient",
                 "closeWindow", "scanCodeV2", "openWindow", "ready"):
        assert f"{call}:" in shim.body.decode()
    assert line_standin.get("/liff-login?redirect_uri=http://127.0.0.1:8000/liff/").status == 200
    assert line_standin.get("/static/..%2Fapp.py").status == 404
    assert line_standin.get("/static/nothing.js").status == 404


def test_the_viewer_moves_to_raksas_host_name_so_liff_cookies_stay_same_site(line_standin_factory):
    standin = line_standin_factory(raksa_url="http://127.0.0.1:8000")

    moved = standin.get("/", headers={"Host": f"localhost:{standin.port}"})

    assert moved.status == 302 and moved.headers["location"] == f"http://127.0.0.1:{standin.port}/"


def test_a_visitor_adds_a_user_with_a_line_shaped_id_and_an_avatar(line_standin):
    added = line_standin.post("/_standin/users", {"display_name": " ป้าแดง "})
    too_long = line_standin.post("/_standin/users", {"display_name": "ก" * 21})

    assert added.status == 201
    user = added.json()
    assert user["displayName"] == "ป้าแดง" and user["following"] is False
    assert user["userId"].startswith("U") and len(user["userId"]) == 33
    assert [u["userId"] for u in line_standin.users()] == [u.user_id for u in DEMO_USERS] + [user["userId"]]
    avatar = line_standin.get(user["pictureUrl"].removeprefix(line_standin.base_url))
    assert avatar.headers["content-type"] == "image/svg+xml" and "ป" in avatar.body.decode()
    assert too_long.status == 400 and too_long.json()["details"][0]["property"] == "display_name"
