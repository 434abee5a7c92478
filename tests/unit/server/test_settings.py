from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import Settings, SettingsError, default_data_dir


def test_defaults_follow_xdg() -> None:
    s = Settings.from_env({"XDG_DATA_HOME": "/srv/xdg"})
    assert s.data_dir == Path("/srv/xdg/voicelog")
    assert s.database_url == "sqlite+aiosqlite:////srv/xdg/voicelog/voicelog.db"
    assert (s.host, s.port, s.default_unit, s.max_body_bytes) == ("127.0.0.1", 8000, "lb", 65536)
    assert s.openai_api_key is None and s.redis_url is None and s.keep_audio is False


def test_home_fallback_without_xdg() -> None:
    assert default_data_dir({}) == Path.home() / ".local" / "share" / "voicelog"


def test_environment_overrides_and_types() -> None:
    s = Settings.from_env(
        {
            "VOICELOG_DATA_DIR": "/tmp/vl-here",
            "VOICELOG_PORT": "9001",
            "VOICELOG_DEFAULT_UNIT": "kg",
            "VOICELOG_KEEP_AUDIO": "true",
            "VOICELOG_LLM_TIMEOUT_S": "2.5",
            "VOICELOG_DATABASE_URL": "postgresql+asyncpg://u@h/db",
            "OPENAI_API_KEY": "sk-x",
            "UPSTASH_SEARCH_REST_URL": "https://search.example",
            "VOICELOG_STT_MODEL_DIR": "~/models/whisper",
        }
    )
    assert s.data_dir == Path("/tmp/vl-here") and s.port == 9001 and s.default_unit == "kg"
    assert s.keep_audio is True and s.llm_timeout_s == 2.5
    assert s.database_url == "postgresql+asyncpg://u@h/db" and not s.is_sqlite
    assert s.openai_api_key == "sk-x" and s.upstash_search_rest_url == "https://search.example"
    assert s.stt_model_dir == Path.home() / "models" / "whisper"


def test_empty_values_mean_unset() -> None:
    assert Settings.from_env({"VOICELOG_PORT": "", "OPENAI_API_KEY": ""}).port == 8000


@pytest.mark.parametrize(
    ("key", "value"),
    [("VOICELOG_PORT", "eighty"), ("VOICELOG_DEFAULT_UNIT", "stone"), ("VOICELOG_KEEP_AUDIO", "perhaps")],
)
def test_bad_values_name_the_setting(key: str, value: str) -> None:
    with pytest.raises(SettingsError) as err:
        Settings.from_env({key: value})
    assert key.removeprefix("VOICELOG_").lower() in str(err.value)


def test_every_field_is_documented() -> None:
    source = Path(__file__).resolve().parents[3].joinpath("server", "settings.py").read_text()
    for name in Settings.__struct_fields__:
        env = name.upper() if name.startswith(("upstash_", "openai_")) else f"VOICELOG_{name.upper()}"
        assert f'"""{env}:' in source, f"{name} has no docstring naming {env}"
