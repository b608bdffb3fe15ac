"""Hostile and damaged Argos packages: what installing, listing and running must survive.

Each archive here is a genuine tiny package (``tests/argos_fixture.py``) bent one way: a
top directory that names another pair's package, a zip bomb, sizes that lie, metadata
nested too deep, too many members. Whatever the archive, installed packages stay
byte-identical, nothing is written into the packages directory, and a damaged installed
package is reported by name without stopping the others.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from translatio import ModelError
from translatio.engines.argos import ArgosEngine
from translatio.engines.argos.packages.archive import MAX_MEMBERS, install_from_file
from translatio.engines.argos.packages.installed import (
    installed_packages,
    remove_package,
    scan_packages,
)
from translatio.engines.argos.packages.metadata import MAX_METADATA_DEPTH
from translatio.engines.argos.sentence_cache import SentenceCache
from translatio.languages import Language
from translatio.progress import NullProgress

from .argos_fixture import build_package
from .conftest import translatio, user_error

Member = tuple[str, bytes]


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("safety-archives")
    return {
        "en_zh": build_package(directory, "en", "zh", seed=1),
        "en_de": build_package(directory, "en", "de", seed=4),
    }


def packages() -> Path:
    return Path(os.environ["ARGOS_PACKAGES_DIR"])


def snapshot(directory: Path) -> dict[str, bytes | None]:
    """Every entry (hidden ones too): files with their bytes, directories as ``None``."""
    return {
        str(path.relative_to(directory)): path.read_bytes() if path.is_file() else None
        for path in sorted(directory.rglob("*"))
    }


def members(archive: Path) -> list[Member]:
    with zipfile.ZipFile(archive) as bundle:
        return [(info.filename, bundle.read(info)) for info in bundle.infolist()]


def write_zip(target: Path, entries: list[Member]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in entries:
            bundle.writestr(
                zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return target


def renamed(entries: list[Member], top: str) -> list[Member]:
    return [(top + "/" + name.split("/", 1)[1], data) for name, data in entries]


def with_metadata(entries: list[Member], metadata: bytes) -> list[Member]:
    return [(n, metadata if n.endswith("/metadata.json") else d) for n, d in entries]


def top_of(entries: list[Member]) -> str:
    return entries[0][0].split("/", 1)[0]


Archives = dict[str, Path]
Hostile = Callable[[Archives, Path], Path]
"""Builds a hostile archive in a scratch directory (and sets up what it collides with)."""


# -- the hostile archives: each is refused, and the packages directory stays as it was --------
# 1. one pair's archive never touches another pair's package


def _named_like_an_installed_package(archives: Archives, tmp_path: Path) -> Path:
    installed = install_from_file(archives["en_zh"])
    entries = renamed(members(archives["en_de"]), installed.name)
    return write_zip(tmp_path / "hostile.argosmodel", entries)


def _colliding_with_a_neutral_name(archives: Archives, tmp_path: Path) -> Path:
    """Names outside Argos's ``translate-xx_yy`` pattern are checked by the metadata."""
    zh = write_zip(tmp_path / "zh.argosmodel", renamed(members(archives["en_zh"]), "model-a"))
    install_from_file(zh)
    return write_zip(tmp_path / "de.argosmodel", renamed(members(archives["en_de"]), "model-a"))


def _named_for_another_pair(archives: Archives, tmp_path: Path) -> Path:
    entries = renamed(members(archives["en_de"]), "translate-en_fr-1_0")
    return write_zip(tmp_path / "liar.argosmodel", entries)


def _an_unreadable_directory_in_the_way(archives: Archives, tmp_path: Path) -> Path:
    squatter = packages() / top_of(members(archives["en_de"]))
    squatter.mkdir(parents=True)
    (squatter / "notes.txt").write_text("mine", "utf-8")  # kept: the snapshot compares it
    return archives["en_de"]


# 2. zip bombs and sizes that lie


def _a_member_compressed_beyond_the_ratio_limit(archives: Archives, tmp_path: Path) -> Path:
    entries = members(archives["en_de"])
    bomb = [*entries, (f"{top_of(entries)}/padding.bin", bytes(64 * 1024**2))]
    archive = write_zip(tmp_path / "bomb.argosmodel", bomb)
    assert archive.stat().st_size < 1024**2  # 64 MiB of zeros packs into ~64 KiB
    return archive


def _many_small_members_beyond_the_total_ratio(archives: Archives, tmp_path: Path) -> Path:
    """Each member is under the per-member grace size; together they are a bomb."""
    entries = members(archives["en_de"])
    top = top_of(entries)
    padding = [(f"{top}/pad/{index}", bytes(100 * 1024)) for index in range(800)]
    archive = write_zip(tmp_path / "bomb.argosmodel", entries + padding)
    assert sum(len(data) for _, data in padding) > 100 * archive.stat().st_size
    return archive


def _lie_about_size(archive: Path, member: str, declared: bytes) -> None:
    """Make both headers of ``member`` declare ``len(declared)`` bytes and their CRC.

    The deflate stream still holds the whole original data: only reading the stream
    itself, not trusting the headers, shows that more comes out than declared.
    """
    data = bytearray(archive.read_bytes())
    crc, size = zlib.crc32(declared), len(declared)
    with zipfile.ZipFile(archive) as bundle:
        local = bundle.getinfo(member).header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<II", data, local + 14, crc, struct.unpack_from("<I", data, local + 18)[0])
    struct.pack_into("<I", data, local + 22, size)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:  # the central directory entry of this member
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if bytes(data[entry + 46 : entry + 46 + name_length]) == member.encode():
            struct.pack_into("<I", data, entry + 16, crc)
            struct.pack_into("<I", data, entry + 24, size)
            break
        entry = data.find(b"PK\x01\x02", entry + 4)
    else:
        raise AssertionError(f"{member} not in the central directory")
    archive.write_bytes(bytes(data))


def _a_member_that_unpacks_to_more_than_declared(archives: Archives, tmp_path: Path) -> Path:
    entries = members(archives["en_de"])
    readme = f"{top_of(entries)}/README.md"
    original = dict(entries)[readme]
    archive = write_zip(tmp_path / "lying.argosmodel", entries)
    # Headers say: 5 bytes with the CRC of their first 5; the stream holds all of them.
    _lie_about_size(archive, readme, original[:5])
    with zipfile.ZipFile(archive) as bundle:  # zipfile alone would believe the headers
        assert bundle.read(readme) == original[:5]
    return archive


def _a_huge_member_count(archives: Archives, tmp_path: Path) -> Path:
    entries = members(archives["en_de"])
    top = top_of(entries)
    crowd = [(f"{top}/crowd/{index}", b"") for index in range(MAX_MEMBERS)]
    return write_zip(tmp_path / "crowd.argosmodel", entries + crowd)


def _an_encrypted_member(archives: Archives, tmp_path: Path) -> Path:
    archive = write_zip(tmp_path / "locked.argosmodel", members(archives["en_de"]))
    data = bytearray(archive.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        while position != -1:  # set the "encrypted" bit in every header
            data[position + flags] |= 0x01
            position = data.find(signature, position + 4)
    archive.write_bytes(bytes(data))
    return archive


def _a_member_path_that_normalises_to_another(archives: Archives, tmp_path: Path) -> Path:
    """``top/./metadata.json`` after the real one would overwrite what was checked."""
    entries = members(archives["en_de"])
    top = top_of(entries)
    sneaky = (f"{top}/./metadata.json", json.dumps({"from_code": "en", "to_code": "zh"}).encode())
    return write_zip(tmp_path / "sneaky.argosmodel", [*entries, sneaky])


# 3. metadata.json: size, depth, encoding


def nested(levels: int) -> bytes:
    return b'{"from_code": "en", "to_code": "de", "x": ' + b"[" * levels + b"]" * levels + b"}"


HOSTILE_METADATA = {
    "100k levels deep": (nested(100_000), "larger than 64 KiB"),
    "deep but small": (nested(20_000), f"more than {MAX_METADATA_DEPTH} levels"),
    "not UTF-8": (b'{"from_code": "en", "to_code": "de", "from_name": "\xe9"}', "not UTF-8"),
    "target_prefix not text": (
        b'{"from_code": "en", "to_code": "de", "target_prefix": [1, 2]}',
        "target_prefix",
    ),
}


def _with_hostile_metadata(kind: str) -> Hostile:
    def build(archives: Archives, tmp_path: Path) -> Path:
        entries = with_metadata(members(archives["en_de"]), HOSTILE_METADATA[kind][0])
        return write_zip(tmp_path / "meta.argosmodel", entries)

    return build


HOSTILE: dict[str, tuple[Hostile, tuple[str, ...]]] = {
    "named like an installed package": (_named_like_an_installed_package, ("en→de", "en→zh")),
    "neutral name collision": (_colliding_with_a_neutral_name, ("en→de", "en→zh")),
    "named for another pair": (_named_for_another_pair, ("en→fr", "en→de")),
    "unreadable directory in the way": (
        _an_unreadable_directory_in_the_way,
        ("not a readable package",),
    ),
    "member ratio": (_a_member_compressed_beyond_the_ratio_limit, ("compressed more than 100:1",)),
    "total ratio": (_many_small_members_beyond_the_total_ratio, ("more than 100 times its size",)),
    "size lies": (
        _a_member_that_unpacks_to_more_than_declared,
        ("more than its declared 5 bytes",),
    ),
    "member count": (_a_huge_member_count, (f"{MAX_MEMBERS} members",)),
    "encrypted": (_an_encrypted_member, ("encrypted",)),
    "normalising path": (_a_member_path_that_normalises_to_another, ("unsafe member path",)),
    **{
        f"metadata {kind}": (_with_hostile_metadata(kind), (words,))
        for kind, (_, words) in HOSTILE_METADATA.items()
    },
}
"""Hostile archive → the words its refusal must contain."""


def _pairs() -> list[tuple[str, str]]:
    return [(p.from_code, p.to_code) for p in installed_packages()]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_archive_is_refused_and_nothing_changes(
    kind: str, archives: Archives, tmp_path: Path
) -> None:
    build, words = HOSTILE[kind]
    archive = build(archives, tmp_path)
    packages().mkdir(parents=True, exist_ok=True)
    before, pairs = snapshot(packages()), _pairs()
    with pytest.raises(ModelError) as raised:
        install_from_file(archive)
    assert snapshot(packages()) == before and _pairs() == pairs
    for word in words:
        assert word in raised.value.message
    assert raised.value.hint


@pytest.mark.parametrize("kind", HOSTILE)
def test_models_install_refuses_a_hostile_archive_as_a_user_error(
    kind: str, archives: Archives, tmp_path: Path
) -> None:
    archive = HOSTILE[kind][0](archives, tmp_path)
    packages().mkdir(parents=True, exist_ok=True)
    before = snapshot(packages())
    [message, hint] = user_error(translatio("models", "install", str(archive)))
    assert message.startswith("error: ") and hint.startswith("  hint: ")
    assert snapshot(packages()) == before


def test_a_new_version_of_the_same_pair_still_replaces_the_old(
    archives: Archives, tmp_path: Path
) -> None:
    install_from_file(archives["en_zh"])
    again = install_from_file(archives["en_zh"])  # the same directory
    assert [p.path for p in installed_packages()] == [again.path]
    newer = write_zip(
        tmp_path / "v2.argosmodel", renamed(members(archives["en_zh"]), "translate-en_zh-2_0")
    )
    upgraded = install_from_file(newer)
    assert [p.path for p in installed_packages()] == [upgraded.path]
    assert upgraded.name == "translate-en_zh-2_0"


# -- 4. damaged installed packages -------------------------------------------------------------


@pytest.mark.parametrize("kind", HOSTILE_METADATA)
def test_a_damaged_installed_package_is_reported_and_the_others_still_work(
    kind: str, archives: Archives, caplog: pytest.LogCaptureFixture
) -> None:
    good = install_from_file(archives["en_zh"])
    broken = install_from_file(archives["en_de"])  # then damaged by hand
    (broken.path / "metadata.json").write_bytes(HOSTILE_METADATA[kind][0])

    found, damaged = scan_packages()
    assert [p.path for p in found] == [good.path]
    assert [d.path for d in damaged] == [broken.path]
    assert HOSTILE_METADATA[kind][1] in damaged[0].problem
    with caplog.at_level("WARNING", logger="translatio"):
        assert installed_packages() == [good]
    assert str(broken.path) in caplog.text

    # A run that needs only the good pair still finds it; the damaged pair is missing.
    engine = ArgosEngine(device="cpu", cache=SentenceCache(), threads=1)
    assert engine.route(Language("en"), Language("zh_CN")) == [good]
    with pytest.raises(ModelError):
        engine.route(Language("en"), Language("de"))
    # Reinstalling over the damaged directory is refused, not done blindly.
    with pytest.raises(ModelError, match="not a readable package"):
        install_from_file(archives["en_de"])


@pytest.mark.parametrize("kind", HOSTILE_METADATA)
def test_models_list_warns_about_a_damaged_package_and_lists_the_others(
    kind: str, archives: Archives
) -> None:
    good = install_from_file(archives["en_zh"])
    broken = install_from_file(archives["en_de"])
    (broken.path / "metadata.json").write_bytes(HOSTILE_METADATA[kind][0])
    listed = translatio("models", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert [row["path"] for row in json.loads(listed.stdout)] == [str(good.path)]
    [warning] = listed.stderr.splitlines()
    assert warning.startswith("warning: ") and broken.name in warning
    plain = translatio("models", "list")
    assert plain.exit_code == 0 and "en→zh" in plain.stdout and "en→de" not in plain.stdout


def test_a_run_that_needs_a_damaged_package_names_its_directory(
    archives: Archives,
) -> None:
    broken = install_from_file(archives["en_de"])
    (broken.path / "metadata.json").write_bytes(b"{")
    engine = ArgosEngine(device="cpu", cache=SentenceCache(), threads=1)
    with pytest.raises(ModelError) as raised:
        engine.route(Language("en"), Language("de"))
    assert f"the package in {broken.path} is damaged: metadata.json is not JSON" in str(
        raised.value
    )
    assert "translatio models install en de" in (raised.value.hint or "")
    # Offline, the failed download says so too (the index here cannot be reached).
    with pytest.raises(ModelError) as raised:
        engine.prepare(Language("en"), [Language("de")], NullProgress())
    assert "missing Argos packages: en→de" in str(raised.value)
    assert f"the package in {broken.path} is damaged" in str(raised.value)


def test_metadata_that_is_not_a_regular_file_is_never_opened(archives: Archives) -> None:
    good = install_from_file(archives["en_zh"])
    broken = install_from_file(archives["en_de"])
    (broken.path / "metadata.json").unlink()
    os.mkfifo(broken.path / "metadata.json")  # reading it would block forever
    found, damaged = scan_packages()
    assert found == [good]
    assert damaged == []  # not a regular file: not a package at all, and never opened


def test_removing_a_linked_package_leaves_its_target_alone(
    archives: Archives, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    package = install_from_file(archives["en_zh"], elsewhere)
    packages().mkdir(parents=True)
    (packages() / package.name).symlink_to(package.path)
    before = snapshot(elsewhere)
    assert remove_package("en", "zh").name == package.name
    assert list(packages().iterdir()) == []
    assert snapshot(elsewhere) == before


# -- 5. downloads are bounded too ----------------------------------------------------------


def test_a_download_stops_at_the_size_limit(
    archives: Archives, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translatio.engines.argos.packages.index import download_and_install

    offer = {"from_code": "en", "to_code": "de", "package_version": "1.0", "type": "translate"}
    index = tmp_path / "index.json"
    index.write_text(json.dumps([{**offer, "links": [archives["en_de"].as_uri()]}]), "utf-8")
    monkeypatch.setenv("TRANSLATIO_ARGOS_INDEX", index.as_uri())
    limit = archives["en_de"].stat().st_size - 1
    with pytest.raises(ModelError, match="refused to download more than"):
        download_and_install("en", "de", max_bytes=limit)
    assert list(packages().iterdir()) == []  # the scratch download is gone too
    assert download_and_install("en", "de").to_code == "de"
