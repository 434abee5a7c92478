"""How the page is served: `/` and `/static/*` without a token, right media types, revalidated by
browsers, and nothing outside the static directory reachable. Fast (no browser, no speech)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from server.errors import exception_handlers
from server.routes import ROUTE_HANDLERS
from server.routes.web import STATIC_DIR, WEB_HANDLERS


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = Litestar(route_handlers=WEB_HANDLERS, exception_handlers=exception_handlers)  # type: ignore[arg-type]
    with TestClient(app) as c:
        yield c


def test_the_app_registers_the_page() -> None:
    for handler in WEB_HANDLERS:
        assert handler in ROUTE_HANDLERS


def test_index_is_the_page_and_needs_no_token(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "no-cache" in r.headers["cache-control"]
    assert r.text == (STATIC_DIR / "index.html").read_text()


def test_every_asset_the_page_names_is_served(client: TestClient) -> None:
    html = (STATIC_DIR / "index.html").read_text()
    named = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    # modules pull in their siblings; the worklet is loaded by URL from mic.js
    for js in STATIC_DIR.glob("*.js"):
        named += [f"/static/{m}" for m in re.findall(r'from "\./([\w.-]+)"', js.read_text())]
        named += [f"/static/{m}" for m in re.findall(r'new URL\("\./([\w.-]+)"', js.read_text())]
    assert "/static/pcm-worklet.js" in named and "/static/style.css" in named
    for path in set(named):
        r = client.get(path)
        assert r.status_code == 200, path
        kind = "text/css" if path.endswith(".css") else "javascript"
        assert kind in r.headers["content-type"], path


@pytest.mark.parametrize(
    "path", ["/static/nope.js", "/static/../routes/web.py", "/static/%2e%2e/routes/web.py"]
)
def test_missing_or_outside_files_are_a_clean_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert "WEB_HANDLERS" not in r.text
