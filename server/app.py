"""The app factory: settings in, a Litestar app out; backends are built once in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin

from server.errors import exception_handlers
from server.routes import ROUTE_HANDLERS
from server.routes.deps import DEPENDENCIES, before_request
from server.services import Services, build_services
from server.settings import Settings

__all__ = ["create_app"]

log = logging.getLogger("voicelog")


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> Litestar:
    """`services` lets a caller that already built them (tests, benchmarks) share them; else the lifespan
    builds them from `settings` and closes them on shutdown."""
    settings = settings or (services.settings if services else Settings.from_env())

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if services is not None:
            app.state.services = services
            yield
            return
        built = await build_services(settings)
        app.state.services = built
        from server.training.schedule import start_schedule

        stop_schedule = start_schedule(
            built.sessionmaker,
            settings.analytics_interval_s,
            retention_days=settings.instrument_retention_days,
        )
        try:
            yield
        finally:
            await stop_schedule()
            await built.close()

    return Litestar(
        route_handlers=ROUTE_HANDLERS,
        dependencies=DEPENDENCIES,
        before_request=before_request,
        lifespan=[lifespan],
        exception_handlers=exception_handlers,  # type: ignore[arg-type]
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="voicelog",
            version="0.1.0",
            description="Voice-first workout logging. Every /v1 route needs `Authorization: Bearer <token>`.",
            path="/schema",
            render_plugins=[JsonRenderPlugin(), SwaggerRenderPlugin()],
        ),
        debug=False,
    )
