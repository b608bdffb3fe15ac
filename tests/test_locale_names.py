"""Every locale name the ecosystem uses: gettext modifiers, script forms, Django's names.

``sr@latin``, ``ca@valencia`` and ``uz@cyrillic`` (GNU gettext, GNOME, KDE, Debian) and
``sr_Latn``, ``zh_Hant`` (Django, BCP 47) are languages: catalogs under the gettext name,
HTML under the BCP 47 tag, each engine under its own codes. A memory import of a catalog
whose plural entry has more forms than its header allows (as 11 of Django's do) leaves
that entry out, with a count, and imports the rest.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from translatio import Project
from translatio.config import load_settings
from translatio.engines.argos.engine import ArgosEngine
from translatio.engines.argos.sentence_cache import SentenceCache
from translatio.errors import ConfigError, ModelError
from translatio.languages import Language, parse_language
from translatio.progress import NullProgress

from .conftest import MakeProject, cli, gettext_tool, msgfmt_check, read_po

NAMES = [
    # as written, gettext name on disk, BCP 47, Plural-Forms's nplurals
    ("sr@latin", "sr@latin", "sr-Latn", 3),
    ("sr_Latn", "sr@latin", "sr-Latn", 3),  # Django's name
    ("sr-Latn", "sr@latin", "sr-Latn", 3),
    ("sr-Latn-RS", "sr_RS@latin", "sr-Latn-RS", 3),
    ("sr_Cyrl", "sr", "sr", 3),  # the usual script of Serbian: no modifier
    ("sr", "sr", "sr", 3),
    ("ca@valencia", "ca@valencia", "ca-valencia", 2),
    ("ca-valencia", "ca@valencia", "ca-valencia", 2),
    ("ca-ES-valencia", "ca_ES@valencia", "ca-ES-valencia", 2),
    ("uz@cyrillic", "uz@cyrillic", "uz-Cyrl", 2),
    ("uz_Cyrl", "uz@cyrillic", "uz-Cyrl", 2),
    ("uz_Latn", "uz", "uz", 2),
    ("be@tarask", "be@tarask", "be-tarask", 3),
    ("zh_Hans", "zh_CN", "zh-Hans", 1),  # Django's names
    ("zh_Hant", "zh_TW", "zh-Hant", 1),
    ("zh-Hant-TW", "zh_TW", "zh-Hant", 1),
    ("pt-BR", "pt_BR", "pt-BR", 2),
    ("DE", "de", "de", 2),
]


@pytest.mark.parametrize(("written", "code", "bcp47", "forms"), NAMES)
def test_a_locale_name_is_read_as_its_gettext_name(
    written: str, code: str, bcp47: str, forms: int
) -> None:
    language = parse_language(written)
    assert language.code == code
    assert language.bcp47 == bcp47
    assert language.plural_forms.startswith(f"nplurals={forms};")
    assert parse_language(language.code) == language
    assert parse_language(language.bcp47) == language


@pytest.mark.parametrize(
    "written", ["sr@", "sr_Xyzw", "en-US-GB", "sr@latin@x", "es-419", "../x", "sr@lat/in", ""]
)
def test_what_is_no_locale_name_is_refused(written: str) -> None:
    if written == "sr@":  # an empty modifier is no modifier
        assert parse_language(written).code == "sr"
        return
    with pytest.raises(ConfigError, match="is not a language code"):
        parse_language(written)


def test_argos_is_asked_for_the_script_and_says_it_has_none() -> None:
    assert Language("sr@latin").argos_codes == ("sr-Latn",)
    assert Language("ca@valencia").argos_codes == ("ca-valencia",)
    assert Language("pt_BR").argos_codes == ("pb", "pt")
    engine = ArgosEngine(device="cpu", cache=SentenceCache(), threads=1)
    with pytest.raises(ModelError, match=r"no Argos package for en→sr-Latn \(en → sr@latin\)"):
        engine.route(Language("en"), Language("sr@latin"))
    # Nothing to download: no index offers a script or variety of a language.
    with pytest.raises(ModelError, match=r"^Argos has no package for sr-Latn$") as raised:
        engine.prepare(Language("en"), [Language("sr@latin")], NullProgress())
    assert '"sr@latin" = "apertium"' in (raised.value.hint or "")


def test_catalogs_and_editions_use_gettext_names_and_bcp47(make_project: MakeProject) -> None:
    root = make_project(
        {"doc.md": "# The title\n\nThese children are here.\n"},
        languages=("sr_Latn", "ca-valencia", "uz@cyrillic", "zh_Hant"),
        engine="pseudo",
    )
    settings = load_settings(root)
    assert [language.code for language in settings.languages] == [
        "sr@latin",
        "ca@valencia",
        "uz@cyrillic",
        "zh_TW",
    ]
    result = cli(root, "run", "--draft", "--keep", "0")
    assert result.exit_code == 0, result.output
    for code, bcp47 in (("sr@latin", "sr-Latn"), ("ca@valencia", "ca-valencia"),
                        ("uz@cyrillic", "uz-Cyrl"), ("zh_TW", "zh-Hant")):  # fmt: skip
        path = root / "locales" / code / "LC_MESSAGES" / "doc.po"
        catalog = read_po(path)
        assert catalog.metadata["Language"] == code
        msgfmt_check(path)
        html = (root / "drafts" / code / "doc.html").read_text("utf-8")
        assert f'<html lang="{bcp47}"' in html
        assert f'hreflang="{bcp47}"' in html
    serbian = read_po(root / "locales" / "sr@latin" / "LC_MESSAGES" / "doc.po")
    assert serbian.metadata["Plural-Forms"].startswith("nplurals=3;")
    # The CLI takes any spelling of the language: sr-Latn is the catalog sr@latin.
    status = cli(root, "status", "-l", "sr-Latn", "--json")
    assert status.exit_code == 0, status.output
    assert [row["language"] for row in json.loads(status.stdout)] == ["sr@latin"]


def test_apertium_translates_valencian_with_its_own_mode(make_project: MakeProject) -> None:
    root = make_project(
        {"doc.md": "These children are here.\n"}, languages=("ca@valencia", "ca"), engine="apertium"
    )
    project = Project.open(root)
    project.extract()
    project.translate()
    texts = {
        code: [e.msgstr for e in read_po(root / "locales" / code / "LC_MESSAGES" / "doc.po")]
        for code in ("ca@valencia", "ca")
    }
    assert texts == {"ca@valencia": ["Aquests xiquets són ací."], "ca": ["Aquests nens són aquí."]}
    comment = read_po(root / "locales" / "ca@valencia" / "LC_MESSAGES" / "doc.po")[0].tcomment
    assert "model=apertium-eng-cat_valencia-" in comment


_BROKEN_PLURALS = """\
msgid ""
msgstr ""
"Project-Id-Version: Django\\n"
"Language: fr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Enter a valid value."
msgstr "Saisissez une valeur valide."

#, python-format
msgid "Ensure this value has at least %(limit_value)d character."
msgid_plural "Ensure this value has at least %(limit_value)d characters."
msgstr[0] "Au moins %(limit_value)d caractère."
msgstr[1] "Au moins %(limit_value)d caractères."
msgstr[2] "Au moins %(limit_value)d caractères."

msgid "This field is required."
msgstr "Ce champ est obligatoire."
"""


def test_a_memory_import_leaves_out_an_entry_that_breaks_plural_forms(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """As in Django's fr, it, pt, es_AR … catalogs: msgstr[2] under nplurals=2 (line 18)."""
    root = make_project(languages=("fr",))
    po = tmp_path / "django.po"
    po.write_text(_BROKEN_PLURALS, encoding="utf-8")
    checked = subprocess.run(
        [gettext_tool("msgfmt"), "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert checked.returncode != 0 and "3 plural forms" in checked.stderr  # the real case
    result = cli(root, "tm", "import", str(po))
    assert result.exit_code == 0, result.output
    assert "fr: 2 units from" in result.stdout
    assert (
        "1 entries left out: more plural forms than the header's Plural-Forms allows, "
        "the first at line 18" in result.stdout
    )
    report = Project.open(root).tm_import(po)
    assert (report.broken_plurals, report.first_broken_plural) == (1, 18)
    assert [units for _, _, units in report.stored] == [2]
    # A catalog of translatio's own is still refused whole for the same fault.
    (root / "locales" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (root / "source" / "doc.txt").write_text("Enter a valid value.\n", encoding="utf-8")
    (root / "locales" / "fr" / "LC_MESSAGES" / "doc.po").write_text(_BROKEN_PLURALS, "utf-8")
    refused = cli(root, "extract")
    assert refused.exit_code == 1
    assert "msgstr[2] but Plural-Forms allows 2 forms" in refused.stderr
