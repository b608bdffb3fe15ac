"""One engine per language (``engines``), with real Apertium pairs found by their modes.

A project with Apertium for Spanish and Valencian and another engine for Chinese runs in
one command; a language its engine cannot serve is named with a hint that names only
packages Debian has, the other languages are written, and the exit status says one
failed. .ci/run installs apertium-eng-spa, apertium-eng-cat and apertium-en-gl.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from translatio import Project
from translatio.config import load_settings
from translatio.engines.apertium import ApertiumEngine
from translatio.engines.apertium_pairs import (
    DEBIAN_PAIRS,
    debian_package,
    find_mode,
    installed_modes,
)
from translatio.errors import ConfigError, EngineError
from translatio.languages import Language, parse_language
from translatio.progress import NullProgress

from .argos_fixture import build_package
from .conftest import MakeProject, cli, msgfmt_check, read_po

EN = Language("en")
SOURCES = {"doc.md": "# The children\n\nThese children are here.\n\nI have to go out.\n"}


@pytest.fixture(autouse=True)
def _apertium_installed() -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-spa (.ci/run does)")


def _catalog(root: Path, language: str) -> Path:
    return root / "locales" / language / "LC_MESSAGES" / "doc.po"


def _texts(root: Path, language: str) -> list[str]:
    return [entry.msgstr for entry in read_po(_catalog(root, language)) if entry.msgid]


def _engines_of(root: Path, language: str) -> set[str]:
    """The engines the catalog's provenance comments name."""
    return {
        word.removeprefix("engine=")
        for entry in read_po(_catalog(root, language))
        for word in entry.tcomment.split()
        if word.startswith("engine=")
    }


def test_the_engines_setting_is_read_beside_engine(make_project: MakeProject) -> None:
    root = make_project(
        languages=("es", "zh_CN", "ca@valencia"),
        engine="pseudo",
        extra='engines = { es = "apertium", "ca-valencia" = "apertium" }\n',
    )
    settings = load_settings(root)
    assert settings.engine_for(Language("es")) == "apertium"
    assert settings.engine_for(Language("ca@valencia")) == "apertium"
    assert settings.engine_for(Language("zh_CN")) == "pseudo"


@pytest.mark.parametrize(
    ("engines", "problem"),
    [
        ('{ de = "apertium" }', "engines names de, which is not in languages"),
        ('{ es = "moses" }', "engines gives es 'moses', not "),
        ("{ es = 3 }", "engines gives es 3, not "),
        ('{ "e s" = "apertium" }', "engines has 'e s', which is not a language code"),
    ],
)
def test_a_wrong_engines_table_names_the_file_and_line(
    make_project: MakeProject, engines: str, problem: str
) -> None:
    root = make_project(languages=("es", "zh_CN"), extra=f"engines = {engines}\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(root)
    assert raised.value.message.startswith(problem), raised.value.message
    assert raised.value.path == root / "translatio.toml" and raised.value.line == 4


def test_each_language_is_translated_by_its_own_engine(make_project: MakeProject) -> None:
    root = make_project(
        SOURCES,
        languages=("es", "zh_CN", "ca@valencia"),
        engine="pseudo",
        extra='engines = { es = "apertium", "ca@valencia" = "apertium" }\n',
    )
    assert cli(root, "extract").exit_code == 0
    result = cli(root, "translate", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    # Document order, languages as configured, although the engines ran one after the other.
    assert [(row["language"], row["unserved"]) for row in rows] == [
        ("es", None),
        ("zh_CN", None),
        ("ca@valencia", None),
    ]
    assert _engines_of(root, "es") == _engines_of(root, "ca@valencia") == {"apertium"}
    assert _engines_of(root, "zh_CN") == {"pseudo"}
    assert "Estos niños son aquí." in _texts(root, "es")
    # Valencian comes from Apertium's own mode for it, not from central Catalan's.
    assert "Aquests xiquets són ací." in _texts(root, "ca@valencia")
    assert "He d'eixir." in _texts(root, "ca@valencia")
    assert all(text.startswith("⟦") for text in _texts(root, "zh_CN"))
    for language in ("es", "zh_CN", "ca@valencia"):
        msgfmt_check(_catalog(root, language))


def test_apertium_for_spanish_and_argos_for_chinese_in_one_run(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The issue's project: ``run`` translates both; ``--engine apertium`` still serves es."""
    from translatio.engines.argos.packages.archive import install_from_file

    install_from_file(build_package(tmp_path / "archives", "en", "zh", seed=1))
    root = make_project(
        SOURCES,
        languages=("es", "zh_CN"),
        engine="argos",
        extra='device = "cpu"\nengines = { es = "apertium" }\n',
    )
    result = cli(root, "run", "--draft", "--keep", "0")
    assert result.exit_code == 0, result.output
    assert _engines_of(root, "es") == {"apertium"} and _engines_of(root, "zh_CN") == {"argos"}
    assert all(_texts(root, "zh_CN")) and "Estos niños son aquí." in _texts(root, "es")
    (root / "source" / "more.md").write_text("A new sentence.\n", encoding="utf-8")
    override = cli(root, "run", "--engine", "apertium", "--draft", "--keep", "0")
    assert override.exit_code == 1, override.output
    assert "error: zh_CN (apertium): no Apertium pair for en → zh_CN" in override.stderr
    spanish = read_po(root / "locales" / "es" / "LC_MESSAGES" / "more.po")
    assert [entry.msgstr for entry in spanish] == ["Una frase nueva."]
    chinese = read_po(root / "locales" / "zh_CN" / "LC_MESSAGES" / "more.po")
    assert [entry.msgstr for entry in chinese] == [""]


def test_engine_on_the_command_line_overrides_the_setting_for_one_run(
    make_project: MakeProject,
) -> None:
    root = make_project(
        SOURCES, languages=("es", "ja"), engine="apertium", extra='engines = { ja = "pseudo" }\n'
    )
    assert cli(root, "extract").exit_code == 0
    japanese = _catalog(root, "ja").read_bytes()
    result = cli(root, "translate", "--engine", "apertium")
    # ja is named with its hint, es is translated and written, and the status says one failed.
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "error: ja (apertium): no Apertium pair for en → ja" in result.stderr
    assert "hint: Debian has no Apertium package for en and ja: choose another engine" in (
        result.stderr
    )
    assert "locales/es/LC_MESSAGES/doc.po: 3 filled" in result.stdout
    assert _engines_of(root, "es") == {"apertium"}
    assert _catalog(root, "ja").read_bytes() == japanese
    # Without --engine, the setting holds again: everything served, exit 0.
    again = cli(root, "translate")
    assert again.exit_code == 0, again.output
    assert _engines_of(root, "ja") == {"pseudo"}


def test_run_goes_on_for_the_languages_served_and_exits_1(make_project: MakeProject) -> None:
    root = make_project(SOURCES, languages=("gl", "ja", "es"), engine="apertium")
    result = cli(root, "run", "--draft", "--keep", "0")
    assert result.exit_code == 1, result.output
    assert "error: ja (apertium): no Apertium pair for en → ja" in result.stderr
    assert _texts(root, "ja") == ["", "", ""]
    assert "machine-translated 6 entries in 2 catalogs" in result.stdout, "ja got none"
    # Galician comes from Debian's apertium-en-gl, whose mode is en-gl (not eng-glg).
    assert _texts(root, "gl") == ["Os nenos", "Estes nenos son aquí.", "Teño que saír."]
    assert _engines_of(root, "gl") == {"apertium"}
    models = {
        word
        for entry in read_po(_catalog(root, "gl"))
        for word in entry.tcomment.split()
        if word.startswith("model=")
    }
    assert models == {f"model=apertium-en-gl-{_version('apertium-en-gl')}"}
    assert (root / "drafts" / "es" / "doc.md").is_file()
    scripted = cli(root, "run", "--draft", "--keep", "0", "--json")
    assert scripted.exit_code == 1
    reasons = {item["language"]: item["unserved"] for item in json.loads(scripted.stdout)}
    assert reasons == {"gl": None, "ja": "apertium: no Apertium pair for en → ja", "es": None}


def test_a_one_engine_run_that_serves_no_language_fails_as_before(
    make_project: MakeProject,
) -> None:
    root = make_project(SOURCES, languages=("ja",), engine="apertium")
    project = Project.open(root)
    project.extract()
    before = _catalog(root, "ja").read_bytes()
    with pytest.raises(EngineError, match="no Apertium pair for en → ja"):
        project.translate()
    assert _catalog(root, "ja").read_bytes() == before


def test_the_api_reports_an_unserved_language_on_its_updates(make_project: MakeProject) -> None:
    root = make_project(SOURCES, languages=("es", "zh_TW"), engine="apertium")
    project = Project.open(root)
    project.extract()
    updates = project.translate()
    served, unserved = updates
    assert served.language == "es" and served.written and served.unserved is None
    assert unserved.language == "zh_TW" and not unserved.written
    assert unserved.unserved is not None and unserved.unserved.engine == "apertium"
    assert unserved.unserved.message == "no Apertium pair for en → zh_TW"
    assert 'engines = { "zh_TW" = "argos" }' in (unserved.unserved.hint or "")


def test_modes_are_found_whatever_their_names() -> None:
    modes = installed_modes()
    assert {"en-gl", "eng-spa", "eng-cat", "eng-cat_valencia"} <= set(modes), sorted(modes)
    engine = ApertiumEngine()
    assert engine.mode(EN, Language("gl")) == "en-gl"
    assert engine.mode(EN, Language("es")) == "eng-spa"
    assert engine.mode(EN, Language("ca")) == "eng-cat"
    assert engine.mode(EN, Language("ca@valencia")) == "eng-cat_valencia"
    engine.prepare(EN, [Language("gl"), Language("ca@valencia")], NullProgress())


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("en", "gl", "en-gl"),
        ("gl", "en", "gl-en"),
        ("en", "ca", "eng-cat"),
        ("en", "ca@valencia", "eng-cat_valencia"),
        ("en", "ca_ES@valencia", "eng-cat_valencia"),
        ("en", "sr@latin", "eng-hbs_SR"),
        ("en", "hr", "eng-hbs_HR"),
        ("en", "bs", "eng-hbs_BS"),
        ("en", "sr", None),  # Apertium writes Serbo-Croatian in Latin script
        ("sr@latin", "en", "hbs-eng"),
        ("es", "pt_BR", "es-pt_BR"),
        ("es", "pt", "es-pt"),
        ("es", "en_US", "spa-eng_US"),
        ("es", "en_GB", "spa-eng"),
        ("en", "eo", "en-eo"),
        ("en", "uz@cyrillic", None),
        ("en", "ca@balear", None),  # a variety without its mode is not served by another's
        ("en", "zh_CN", None),
    ],
)
def test_a_mode_is_chosen_by_what_its_name_says(
    source: str, target: str, expected: str | None
) -> None:
    # Mode names as Debian's packages install them (dpkg -c of each .deb).
    modes = [
        "Cyrl-Latn", "en-eo", "en-eo-bytecode", "en-gl", "eng-cat", "eng-cat_iec2017",
        "eng-cat_valencia", "eng-cat_valencia_uni", "eng-hbs", "eng-hbs_BS", "eng-hbs_HR",
        "eng-hbs_SR", "es-pt", "es-pt_BR", "gl-en", "hbs-eng", "spa-eng", "spa-eng_US",
    ]  # fmt: skip
    assert find_mode(parse_language(source), parse_language(target), modes) == expected


@pytest.mark.parametrize(
    ("target", "package"),
    [
        ("gl", "apertium-en-gl"),
        ("ca@valencia", "apertium-eng-cat"),
        ("es", "apertium-eng-spa"),
        ("sr@latin", "apertium-hbs-eng"),
        ("eo", "apertium-eo-en"),
        ("zh_CN", None),
        ("ja", None),
        ("sr", None),
    ],
)
def test_hints_name_debian_packages(target: str, package: str | None) -> None:
    assert debian_package(EN, parse_language(target)) == package


def test_every_package_a_hint_can_name_exists_in_debian() -> None:
    apt_cache = shutil.which("apt-cache")
    if apt_cache is None:
        pytest.fail("apt-cache not found: this check needs Debian's apt (.ci/run runs on Debian)")
    names = [f"apertium-{pair}" for pair in DEBIAN_PAIRS]
    result = subprocess.run(
        [apt_cache, "policy", *names], capture_output=True, text=True, check=True, timeout=60
    )
    candidates = {}
    current = None
    for line in result.stdout.splitlines():
        if not line.startswith(" "):
            current = line.rstrip(":")
        elif line.strip().startswith("Candidate:"):
            candidates[current] = line.split(":", 1)[1].strip()
    missing = [name for name in names if candidates.get(name, "(none)") == "(none)"]
    assert not missing, f"not in Debian's package lists (apt-get update?): {missing}"
    assert "apertium-eng-zh" not in names


def _version(package: str) -> str:
    completed = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout
