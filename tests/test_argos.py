"""The real Argos path: tiny genuine packages, installed from file, run through CTranslate2.

The packages are built at test time (``tests/argos_fixture.py``): a SentencePiece model
and a Transformer with seeded random weights. Their output is nonsense, but it flows
through the code a real model uses: installation, routing, pivoting, batching, bounded
decoding, provenance, refresh and the translation memory.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from translatio import EditionState, ModelError, Project, State
from translatio.catalog.provenance import read_provenance
from translatio.catalog.states import entry_state
from translatio.engines.argos import ArgosEngine, DecodingSettings
from translatio.engines.argos.packages.archive import install_from_file
from translatio.engines.argos.packages.index import available_packages
from translatio.engines.argos.packages.installed import installed_packages, model_checksum
from translatio.engines.argos.sentence_cache import SentenceCache
from translatio.languages import Language

from .argos_fixture import build_package
from .conftest import MakeProject, msgfmt_check, read_po, translatio, user_error

EN, DE, ZH = Language("en"), Language("de"), Language("zh_CN")


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny packages: en→zh (two versions), de→en and en→de for pivoting."""
    directory = tmp_path_factory.mktemp("archives")
    return {
        "en_zh": build_package(directory, "en", "zh", seed=1),
        "en_zh_v2": build_package(directory / "v2", "en", "zh", version="2.0", seed=2),
        "de_en": build_package(directory, "de", "en", seed=3),
        "en_de": build_package(directory, "en", "de", seed=4),
    }


def packages() -> Path:
    return Path(os.environ["ARGOS_PACKAGES_DIR"])


def engine(**options: object) -> ArgosEngine:
    return ArgosEngine(device="cpu", cache=SentenceCache(), threads=2, **options)  # type: ignore[arg-type]


def test_models_install_list_and_remove_through_the_cli(archives: dict[str, Path]) -> None:
    result = translatio("models", "install", str(archives["en_zh"]))
    assert result.exit_code == 0, result.output
    [package] = installed_packages()
    assert result.stdout == f"installed en→zh 1.0: {package.path}\n"
    listed = translatio("models", "list", "--json")
    [row] = json.loads(listed.output)
    assert (row["from"], row["to"], row["version"]) == ("en", "zh", "1.0")
    assert row["size"] == package.size() > 10_000
    assert Path(row["path"]) == package.path and package.path.parent == packages()
    removed = translatio("models", "remove", "en", "zh")
    assert removed.exit_code == 0
    assert removed.stdout == "removed en→zh 1.0\n"
    assert installed_packages() == []


def test_translation_runs_through_ctranslate2(archives: dict[str, Path]) -> None:
    install_from_file(archives["en_zh"])
    argos = engine()
    sentences = ["The régime lied about the virus.", "Few governments can escape criticism."]
    translations = argos.translate(sentences, source=EN, target=ZH)
    assert [t.text for t in translations] != sentences
    assert all(t.text.strip() for t in translations)
    assert all(t.score < 0 for t in translations)
    [package] = installed_packages()
    assert translations[0].model == f"{package.name}@{model_checksum(package)}"
    assert argos.stats.model_loads == 1
    # Random weights never emit </s>: each output stops at its own bound, a multiple of
    # its input length, however long the rest of the batch runs.
    tokenizer = argos.decoder.tokenizer(package)
    lengths = [len(tokenizer.encode(sentence, out_type=str)) for sentence in sentences]
    assert lengths[0] != lengths[1]
    assert argos.stats.target_tokens == sum(argos.output_bound(length) for length in lengths)


def test_same_tokens_as_raw_ctranslate2(archives: dict[str, Path]) -> None:
    import ctranslate2
    import sentencepiece

    [package] = [install_from_file(archives["en_zh"])]
    sentence = "It lied about the coronavirus and silenced whistleblowers."
    ours = engine().translate([sentence], source=EN, target=ZH)[0].text
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer))
    tokens = tokenizer.encode(sentence, out_type=str)
    raw = ctranslate2.Translator(str(package.model_dir), device="cpu").translate_batch(
        [tokens], beam_size=4, length_penalty=0.2, max_decoding_length=len(tokens) * 2 + 8
    )
    # (the same settings as DecodingSettings' defaults: beam 4, penalty 0.2, 2×input + 8)
    assert ours == tokenizer.decode_pieces(raw[0].hypotheses[0]).strip()


def test_pivot_through_english(archives: dict[str, Path]) -> None:
    install_from_file(archives["de_en"])
    install_from_file(archives["en_zh"])
    argos = engine()
    route = argos.route(DE, ZH)
    assert [(p.from_code, p.to_code) for p in route] == [("de", "en"), ("en", "zh")]
    [translation] = argos.translate(["Das Regime hat gelogen."], source=DE, target=ZH)
    assert "+" in translation.model and translation.text
    assert argos.stats.model_loads == 2


def test_missing_pair_names_the_install_command(archives: dict[str, Path]) -> None:
    install_from_file(archives["en_zh"])
    with pytest.raises(ModelError) as raised:
        engine().route(EN, Language("fr"))
    assert "translatio models install en fr" in (raised.value.hint or "")


@pytest.mark.parametrize(
    "long_sentence",
    [" ".join(["persecution of religious groups"] * 20), " ".join(["the"] * 64)],
)
def test_overlong_sentences_are_split_not_truncated(
    archives: dict[str, Path], long_sentence: str
) -> None:
    install_from_file(archives["en_zh"])
    argos = engine(settings=DecodingSettings(max_input_tokens=16))
    [translation] = argos.translate([long_sentence], source=EN, target=ZH)
    assert argos.stats.target_tokens >= 16 * 2 + 8, "every piece was decoded"
    assert argos.stats.sentences_translated == 1
    assert translation.text != long_sentence and translation.score < 0
    if long_sentence.startswith("the the"):
        # Four identical 16-token pieces: decoded once, used four times, and the
        # sentence still completes.
        part = translation.text[: (len(translation.text) - 3) // 4]
        assert translation.text == " ".join([part] * 4)


def _argos_project(make_project: MakeProject) -> Project:
    root = make_project(languages=("zh_CN",), engine="argos", extra='device = "cpu"\n')
    return Project.open(root)


def test_project_translation_provenance_refresh_and_human_work(
    archives: dict[str, Path], make_project: MakeProject
) -> None:
    install_from_file(archives["en_zh"])
    project = _argos_project(make_project)
    project.extract()
    [update] = project.translate()
    assert update.report.filled == 6
    po_path = project.workspace.catalog_path("article", ZH)
    msgfmt_check(po_path)
    catalog = read_po(po_path)
    entries = [entry for entry in catalog if entry.msgid]
    assert all(entry_state(entry) is State.MACHINE for entry in entries)
    provenance = read_provenance(entries[0].tcomment)
    assert provenance is not None and provenance.engine == "argos"
    assert provenance.model.startswith("translate-en_zh-1_0@")

    # A translator edits one entry and approves another.
    entries[0].msgstr = "人工翻译。"
    entries[1].flags.remove("fuzzy")
    approved = entries[1].msgstr
    catalog.save(str(po_path))

    # A new model arrives; --refresh re-translates only untouched machine output.
    install_from_file(archives["en_zh_v2"])
    [update] = project.translate(refresh=True)
    assert update.report.refreshed == 4
    after = read_po(po_path)
    assert after.find(entries[0].msgid).msgstr == "人工翻译。"
    assert after.find(entries[1].msgid).msgstr == approved
    assert not after.find(entries[1].msgid).fuzzy
    refreshed = read_provenance(after.find(entries[2].msgid).tcomment)
    assert refreshed is not None and refreshed.model.startswith("translate-en_zh-2_0@")


def test_incremental_runs(archives: dict[str, Path], make_project: MakeProject) -> None:
    install_from_file(archives["en_zh"])
    project = _argos_project(make_project)
    project.extract()
    first = engine()
    project.translate(engine=first)
    assert first.stats.model_loads == 1 and first.stats.ctranslate2_calls >= 1
    translated_once = first.stats.sentences_translated

    second = engine()
    [update] = project.translate(engine=second)
    assert update.report.filled == 0
    assert (second.stats.model_loads, second.stats.ctranslate2_calls) == (0, 0)

    # Edit one sentence of one paragraph: only that sentence goes to the model.
    source = project.workspace.root / "source" / "article.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace("It lied about", "It lied repeatedly about"), "utf-8")
    project.extract()
    third = engine()
    [update] = project.translate(engine=third)
    assert update.report.refreshed == 1
    assert third.stats.sentences_translated == 1
    assert third.stats.cache_hits >= 1
    assert translated_once > 1


@pytest.mark.parametrize(
    ("languages", "pairs"),
    [
        (("zh_CN", "de"), [("en", "zh"), ("en", "de")]),
        (("de", "fr"), [("en", "de"), ("en", "fr")]),
        (("zh_TW",), [("en", "zt")]),
        (("zh_CN", "zh_TW"), [("en", "zh"), ("en", "zt")]),
    ],
)
def test_run_offline_names_each_missing_pair(
    make_project: MakeProject, languages: tuple[str, ...], pairs: list[tuple[str, str]]
) -> None:
    root = make_project(languages=languages, engine="argos")
    with pytest.raises(ModelError) as raised:
        Project.open(root).run()
    named = ", ".join(f"{a}→{b}" for a, b in pairs)
    assert raised.value.message.startswith(f"missing Argos packages: {named} (cannot download ")
    commands = "; ".join(
        f"translatio models install translate-{a}_{b}.argosmodel" for a, b in pairs
    )
    assert raised.value.hint == f"download them where there is network, then: {commands}"


def _index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, archive: Path) -> None:
    """An Argos index that offers ``archive`` as en→zh 1.0 (a file: URL, no network)."""
    offer = {"from_code": "en", "to_code": "zh", "package_version": "1.0", "type": "translate"}
    index = tmp_path / "index.json"
    index.write_text(json.dumps([{**offer, "links": [archive.as_uri()]}]), "utf-8")
    monkeypatch.setenv("TRANSLATIO_ARGOS_INDEX", index.as_uri())


def test_the_index_lists_what_it_offers(
    archives: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _index(tmp_path, monkeypatch, archives["en_zh"])
    [offer] = available_packages()
    assert (offer.from_code, offer.to_code, offer.version) == ("en", "zh", "1.0")


@pytest.mark.parametrize("codes", [("en", "zh"), ("en", "zh_CN"), ("EN", "zh-Hans")])
def test_models_available_and_install_by_codes_through_the_cli(
    archives: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    codes: tuple[str, str],
) -> None:
    _index(tmp_path, monkeypatch, archives["en_zh"])
    available = translatio("models", "available", "--json")
    assert json.loads(available.output) == [{"from": "en", "to": "zh", "version": "1.0"}]
    result = translatio("models", "install", *codes)
    assert result.exit_code == 0, result.output
    assert [(p.from_code, p.to_code) for p in installed_packages()] == [("en", "zh")]


def test_models_install_with_three_words_is_a_usage_error() -> None:
    result = translatio("models", "install", "en", "zh", "de")
    assert result.exit_code == 2
    assert "give a .argosmodel file or two language codes" in result.stderr
    assert installed_packages() == []


# -- broken archives -----------------------------------------------------------------------


def _rewrite(source: Path, target: Path, transform) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            for name, data, attr in transform(info.filename, original.read(info)):
                member = zipfile.ZipInfo(name)
                member.external_attr = attr
                copy.writestr(member, data)
    return target


def _top(name: str) -> str:
    return name.split("/", 1)[0]


BROKEN = {
    "not a zip": lambda a, t: t.write_bytes(b"not a zip at all") or t,
    "truncated": lambda a, t: t.write_bytes(a.read_bytes()[: a.stat().st_size // 2]) or t,
    "two top directories": lambda a, t: _rewrite(
        a,
        t,
        lambda n, d,: (
            [(n, d, 0), ("other/" + n.split("/", 1)[1], d, 0)]
            if n.endswith("README.md")
            else [(n, d, 0)]
        ),
    ),
    "absolute path": lambda a, t: _rewrite(
        a,
        t,
        lambda n, d: (
            [(n, d, 0), ("/etc/evil", b"x", 0)] if n.endswith("README.md") else [(n, d, 0)]
        ),
    ),
    "parent path": lambda a, t: _rewrite(
        a,
        t,
        lambda n, d: (
            [(n, d, 0), (_top(n) + "/../../evil", b"x", 0)]
            if n.endswith("README.md")
            else [(n, d, 0)]
        ),
    ),
    "symlink": lambda a, t: _rewrite(
        a,
        t,
        lambda n, d: (
            [(n, d, 0), (_top(n) + "/link", b"/etc/passwd", 0o120777 << 16)]
            if n.endswith("README.md")
            else [(n, d, 0)]
        ),
    ),
    "no metadata": lambda a, t: _rewrite(
        a, t, lambda n, d: [] if n.endswith("metadata.json") else [(n, d, 0)]
    ),
    "metadata not json": lambda a, t: _rewrite(
        a, t, lambda n, d: [(n, b"{oops" if n.endswith("metadata.json") else d, 0)]
    ),
    "bad language code": lambda a, t: _rewrite(
        a,
        t,
        lambda n, d: [
            (
                n,
                re.sub(rb'"to_code": "\w+"', b'"to_code": "../x"', d)
                if n.endswith("metadata.json")
                else d,
                0,
            )
        ],
    ),
    "no model": lambda a, t: _rewrite(
        a, t, lambda n, d: [] if n.endswith("model.bin") else [(n, d, 0)]
    ),
    "no tokenizer": lambda a, t: _rewrite(
        a, t, lambda n, d: [] if n.endswith("sentencepiece.model") else [(n, d, 0)]
    ),
}


def _corrupt_crc(archive: Path, target: Path) -> Path:
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as bundle:
        info = bundle.getinfo(next(n for n in bundle.namelist() if n.endswith("model.bin")))
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 40
    data[offset] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def _broken(kind: str, archives: dict[str, Path], tmp_path: Path) -> Path:
    """The en→de archive broken as ``kind`` says (``too large``: as it is)."""
    target = tmp_path / "broken.argosmodel"
    if kind == "corrupt member":
        return _corrupt_crc(archives["en_de"], target)
    if kind == "too large":
        return archives["en_de"]
    BROKEN[kind](archives["en_de"], target)
    return target


@pytest.mark.parametrize("kind", [*BROKEN, "corrupt member", "too large"])
def test_broken_archives_are_rejected_and_nothing_changes(
    kind: str, archives: dict[str, Path], tmp_path: Path
) -> None:
    install_from_file(archives["en_zh"])
    before = _snapshot(packages())
    target = _broken(kind, archives, tmp_path)
    with pytest.raises(ModelError):
        install_from_file(target, max_bytes=1000 if kind == "too large" else 4 * 1024**3)
    assert _snapshot(packages()) == before
    assert not (tmp_path.parent / "evil").exists()


@pytest.mark.parametrize("kind", [*BROKEN, "corrupt member"])
def test_models_install_of_a_broken_archive_is_a_user_error(
    kind: str, archives: dict[str, Path], tmp_path: Path
) -> None:
    install_from_file(archives["en_zh"])
    before = _snapshot(packages())
    [message, *_] = user_error(
        translatio("models", "install", str(_broken(kind, archives, tmp_path)))
    )
    assert message.startswith("error: ")
    assert _snapshot(packages()) == before


def test_run_online_installs_missing_packages_then_translates(
    archives: dict[str, Path],
    make_project: MakeProject,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _index(tmp_path, monkeypatch, archives["en_zh"])
    root = make_project(languages=("zh_CN",), engine="argos")
    _, [translated], [edition] = Project.open(root).run(policy="draft", keep=0)
    assert [(p.from_code, p.to_code) for p in installed_packages()] == [("en", "zh")]
    assert translated.report.filled == 6 and translated.written
    po = read_po(root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po")
    assert all(entry.msgstr and entry.fuzzy for entry in po if entry.msgid)
    assert edition.state is EditionState.WRITTEN
    assert "drafts/zh_CN/article.html" in edition.paths
    assert (root / "drafts" / "zh_CN" / "article.html").is_file()


def test_traditional_chinese_is_derived_with_opencc_without_a_zt_package(
    archives: dict[str, Path], make_project: MakeProject
) -> None:
    import opencc

    install_from_file(archives["en_zh"])
    argos = engine()
    zh_tw = Language("zh_TW")
    assert argos.missing_pairs(EN, [zh_tw]) == []
    sentences = ["The régime lied about the virus.", "Christians face persecution."]
    simplified = argos.translate(sentences, source=EN, target=ZH)
    traditional = argos.translate(sentences, source=EN, target=zh_tw)
    converter = opencc.OpenCC("s2twp")
    assert [t.text for t in traditional] == [converter.convert(s.text) for s in simplified]
    assert all(t.model.endswith("+opencc-s2twp") for t in traditional)
    assert converter.convert("这是一个国家的软件") == "這是一個國家的軟體"

    root = make_project(languages=("zh_TW",), engine="argos", extra='device = "cpu"\n')
    project = Project.open(root)
    _, [translated], _ = project.run()
    assert translated.report.filled == 6
    [status] = project.status()
    assert status.derived == 6 and status.entries[State.MACHINE] == 6
    catalog = read_po(root / "locales" / "zh_TW" / "LC_MESSAGES" / "article.po")
    models = {read_provenance(entry.tcomment).model for entry in catalog if entry.msgid}  # type: ignore[union-attr]
    assert len(models) == 1 and models.pop().endswith("+opencc-s2twp")
