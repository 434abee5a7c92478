"""CLI: `voicelog search reindex|query` and `voicelog llm register|list` (registered in server.commands)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from server.commands.registry import command
from server.settings import Settings

__all__: list[str] = []


def _search_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="search_command", required=True)
    reindex = sub.add_parser("reindex", help="upload the catalog to the search backend (Upstash Search)")
    reindex.add_argument(
        "--index",
        choices=("exercises", "exercise_cues", "knowledge_base", "all"),
        default="all",
        help="which index to rebuild",
    )
    query = sub.add_parser("query", help="show what the configured search backend returns for a phrase")
    query.add_argument("phrase")
    query.add_argument("--limit", type=int, default=10)


@command("search", _search_args)
def _search(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from matcher.resolver import ExerciseMatcher
    from server.backends.factory import build_search
    from server.backends.search import SearchUnavailable
    from server.backends.search.documents import (
        CUES_INDEX,
        EXERCISES_INDEX,
        KNOWLEDGE_INDEX,
        cue_documents,
        exercise_documents,
        knowledge_documents,
        load_sources,
    )

    async def run() -> int:
        backend = build_search(settings, ExerciseMatcher.from_fixtures())
        try:
            if args.search_command == "query":
                for hit in await backend.search(args.phrase, limit=args.limit):
                    print(f"{hit.score:.3f}  {hit.id}")
                return 0
            if not backend.remote:
                print(
                    "search backend is the embedded index (UPSTASH_SEARCH_REST_URL is unset): it is built "
                    "in-process at start-up, nothing to upload"
                )
                return 0
            catalog, aliases = load_sources()
            plan = {
                EXERCISES_INDEX: exercise_documents(catalog, aliases),
                CUES_INDEX: cue_documents(catalog),
                KNOWLEDGE_INDEX: knowledge_documents(),
            }
            for name, docs in plan.items():
                if args.index not in ("all", name):
                    continue
                with tqdm(total=len(docs), unit="doc", desc=f"reindex {name}", file=sys.stderr) as bar:

                    def progress(done: int, total: int, bar: tqdm = bar) -> None:
                        bar.update(done - bar.n)

                    count = await backend.reindex(name, docs, progress=progress)
                print(f"{name}: {count} documents in {backend.name}")
            return 0
        except SearchUnavailable as exc:
            print(f"voicelog: search backend unavailable: {exc}", file=sys.stderr)
            return 1
        finally:
            await backend.aclose()

    return asyncio.run(run())


def _llm_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="llm_command", required=True)
    reg = sub.add_parser(
        "register", help="register a fine-tuned model; active ones replace VOICELOG_LLM_MODEL"
    )
    reg.add_argument("model", help="the provider's model id, e.g. ft:gpt-4o-mini-2024-07-18:org::abc")
    reg.add_argument("--base", required=True, help="the model it was fine-tuned from")
    reg.add_argument("--inactive", action="store_true", help="record it without switching to it")
    reg.add_argument("--notes")
    sub.add_parser("list", help="list registered fine-tuned models")


@command("llm", _llm_args)
def _llm(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import select

    from models.db_llm import FineTunedModel
    from server.backends.llm.registry import register_fine_tuned
    from server.services import open_database

    async def run() -> int:
        engine, sessions = await open_database(settings)
        try:
            async with sessions() as session, session.begin():
                if args.llm_command == "register":
                    exists = await session.scalar(
                        select(FineTunedModel).where(FineTunedModel.model == args.model)
                    )
                    if exists is not None:
                        print(f"voicelog: {args.model} is already registered", file=sys.stderr)
                        return 1
                    row = await register_fine_tuned(
                        session,
                        args.model,
                        base_model=args.base,
                        activate=not args.inactive,
                        notes=args.notes,
                    )
                    state = "active" if row.active else "inactive"
                    print(f"registered {row.model} (base {row.base_model}), {state}")
                    return 0
                rows = (
                    await session.scalars(select(FineTunedModel).order_by(FineTunedModel.created_at))
                ).all()
                for r in rows:
                    print(f"{'*' if r.active else ' '} {r.model}  base={r.base_model}  task={r.task}")
                if not rows:
                    print(f"no fine-tuned models; the LLM fallback uses {settings.llm_model}")
                return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())
