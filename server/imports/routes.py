"""`POST /v1/imports/{provider}` (the export as the body, or multipart `file`) and `GET /v1/imports/{id}`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from models.db_imports import ExternalIngestionRun
from models.imports import ImportRunOut
from server.auth import CurrentUser
from server.errors import BadInput, DomainError, NotFound
from server.imports.confirm import ConfirmIn, confirm_names
from server.imports.health_service import STREAMED
from server.imports.health_service import import_file as import_streamed
from server.imports.rows import ImportFormatError
from server.imports.service import PARSERS, ImportResult, ImportService
from server.services import Services
from server.store.workouts import iso

__all__ = ["IMPORT_HANDLERS"]

# A CSV export of years of training is a few MB; the app's JSON body limit is far lower. Apple Health
# exports are streamed to a temporary file, never held in memory, so they may be far larger.
MAX_IMPORT_BYTES = 32 * 1024 * 1024
MAX_STREAMED_BYTES = 2 * 1024 * 1024 * 1024


class MalformedImport(DomainError):
    status = 422
    code = "malformed_file"


class TooLarge(DomainError):
    status = 413
    code = "body_too_large"


def _out(run: ExternalIngestionRun) -> ImportRunOut:
    summary = dict(run.summary or {})
    return ImportRunOut(
        id=run.id,
        provider=run.provider,
        filename=run.filename,
        status=run.status,
        error=run.error,
        started_at=iso(run.started_at) or "",
        finished_at=iso(run.finished_at),
        workouts=int(summary.get("workouts", 0)),
        sets=int(summary.get("sets", 0)),
        unresolved=int(summary.get("unresolved", 0)),
        skipped=int(summary.get("skipped", 0)),
        unresolved_names=list(run.unresolved or []),
        summary=summary,
    )


async def _spool(request: Request, target: Path) -> str | None:
    """The body (or its multipart `file`) into `target`, a chunk at a time."""
    written, name = 0, None
    with target.open("wb") as out:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            form = await request.form()
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise MalformedImport("a multipart body needs a `file` field", code="missing_file")
            name = upload.filename
            while chunk := await upload.read(1 << 20):
                written += len(chunk)
                out.write(chunk)
        else:
            async for chunk in request.stream():
                written += len(chunk)
                if written > MAX_STREAMED_BYTES:
                    raise TooLarge(f"the export is over {MAX_STREAMED_BYTES} bytes")
                out.write(chunk)
    if written == 0:
        raise MalformedImport("the body is empty: send the export", code="empty_file")
    return name


async def _file(request: Request) -> tuple[bytes, str | None]:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_IMPORT_BYTES:
        raise TooLarge(f"the export is {declared} bytes; at most {MAX_IMPORT_BYTES}")
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise MalformedImport(
                "a multipart body needs a `file` field holding the export", code="missing_file"
            )
        data, name = await upload.read(), upload.filename
    else:
        parts, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_IMPORT_BYTES:
                raise TooLarge(f"the export is over {MAX_IMPORT_BYTES} bytes")
            parts.append(chunk)
        data, name = b"".join(parts), None
    if len(data) > MAX_IMPORT_BYTES:
        raise TooLarge(f"the export is {len(data)} bytes; at most {MAX_IMPORT_BYTES}")
    if not data.strip():
        raise MalformedImport("the body is empty: send the exported CSV", code="empty_file")
    return data, name


async def _run(
    provider: str, unit: str | None, request: Request, user: CurrentUser, services: Services, dry_run: bool
) -> ImportRunOut:
    if provider not in PARSERS and provider not in STREAMED:
        raise NotFound(f"no importer for {provider!r}; one of {sorted([*PARSERS, *STREAMED])}")
    if dry_run and provider not in PARSERS:
        raise BadInput(
            f"dry_run previews a CSV export ({sorted(PARSERS)}), not {provider}", code="no_dry_run"
        )
    if provider in STREAMED:
        with tempfile.TemporaryDirectory(prefix="voicelog-import-") as tmp:
            path = Path(tmp) / "export"
            name = await _spool(request, path)
            try:
                result = await import_streamed(services.sessionmaker, user.id, provider, path, filename=name)
            except ImportFormatError as exc:
                raise MalformedImport(f"{exc.message}; nothing was imported") from exc
        return await _run_out(services, result.run_id)
    data, name = await _file(request)
    from matcher.parser import CONFIDENCE_THRESHOLD

    service = ImportService(services.sessionmaker, services.matcher, threshold=CONFIDENCE_THRESHOLD)
    try:
        result = await service.import_bytes(
            user.id, provider, data, unit=unit or user.default_unit, filename=name, dry_run=dry_run
        )
    except ImportFormatError as exc:
        raise MalformedImport(f"{exc.message}; nothing was imported") from exc
    if dry_run:
        return _preview(result, name)
    return await _run_out(services, result.run_id)


def _preview(result: ImportResult, filename: str | None) -> ImportRunOut:
    summary = msgspec.to_builtins(result)
    return ImportRunOut(
        id="",
        provider=result.provider,
        filename=filename,
        status="preview",
        error=None,
        started_at="",
        finished_at=None,
        workouts=result.workouts,
        sets=result.sets,
        unresolved=result.unresolved,
        skipped=result.skipped,
        unresolved_names=result.unresolved_names,
        summary=summary,
    )


async def _run_out(services: Services, run_id: str) -> ImportRunOut:
    async with services.sessionmaker() as session:
        run = await session.get(ExternalIngestionRun, run_id)
        assert run is not None
        return _out(run)


Unit = Annotated[Literal["lb", "kg"] | None, Parameter(description="the export's weight unit")]
DryRun = Annotated[bool, Parameter(description="read, resolve and count; write nothing")]


@post(
    "/v1/imports/{provider:str}",
    status_code=HTTP_201_CREATED,
    tags=["imports"],
    summary="Import an export of another app (strong): raw CSV body or multipart `file`",
    request_max_body_size=MAX_STREAMED_BYTES,
)
async def import_file(
    provider: str,
    request: Request,
    user: CurrentUser,
    services: Services,
    unit: Unit = None,
    dry_run: DryRun = False,
) -> Response[ImportRunOut]:
    return _answer(await _run(provider, unit, request, user, services, dry_run))


@post(
    "/v1/imports",
    status_code=HTTP_201_CREATED,
    tags=["imports"],
    summary="As /v1/imports/{provider}, the provider as a query parameter",
    request_max_body_size=MAX_STREAMED_BYTES,
)
async def import_file_query(
    provider: str,
    request: Request,
    user: CurrentUser,
    services: Services,
    unit: Unit = None,
    dry_run: DryRun = False,
) -> Response[ImportRunOut]:
    return _answer(await _run(provider, unit, request, user, services, dry_run))


def _answer(run: ImportRunOut) -> Response[ImportRunOut]:
    """201 for a run that was kept; 200 for a preview, which made nothing."""
    return Response(run, status_code=HTTP_200_OK if run.status == "preview" else HTTP_201_CREATED)


@post(
    "/v1/imports/{run_id:str}/confirm",
    status_code=HTTP_200_OK,
    tags=["imports"],
    summary="Say which exercise each unresolved name meant; its rows become sets",
)
async def confirm_import(run_id: str, data: ConfirmIn, user: CurrentUser, services: Services) -> ImportRunOut:
    async with services.sessionmaker() as session, session.begin():
        run = await confirm_names(session, user.id, run_id, data.names, user.default_unit)
        return _out(run)


@get("/v1/imports/{run_id:str}", tags=["imports"], summary="One import: counts, and names to confirm")
async def import_run(run_id: str, user: CurrentUser, services: Services) -> ImportRunOut:
    if "\x00" in run_id:  # no id holds one (and PostgreSQL refuses it)
        raise NotFound(f"no import {run_id!r}")
    async with services.sessionmaker() as session:
        run = (
            await session.execute(
                select(ExternalIngestionRun).where(
                    ExternalIngestionRun.id == run_id, ExternalIngestionRun.user_id == user.id
                )
            )
        ).scalar_one_or_none()
    if run is None:
        raise NotFound(f"no import {run_id}")
    return _out(run)


IMPORT_HANDLERS = [import_file, import_file_query, import_run, confirm_import]
