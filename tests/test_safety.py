"""Nothing lost, no one in the way: the project lock and the mass-obsolescence guard."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from typer.testing import CliRunner

from translatio.cli import app

from .conftest import MakeProject, read_po

runner = CliRunner()


def _holder(root: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that takes the project lock and keeps it."""
    code = textwrap.dedent(
        f"""
        import time
        from translatio.engines import register_engine
        from translatio.workspace import Workspace
        register_engine("machine", lambda device: None)  # the suite's stand-in engine
        with Workspace.open({str(root)!r}).lock():
            print("locked", flush=True)
            time.sleep({seconds})
        """
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    process.stdout.close()
    return process


def test_a_second_run_fails_clearly_while_the_first_holds_the_project(
    make_project: MakeProject,
) -> None:
    root = make_project()
    holder = _holder(root, 30)
    try:
        result = runner.invoke(app, ["extract", "--project", str(root)])
        assert result.exit_code == 1
        assert "another translatio process is working on this project" in result.stderr
        assert "--wait" in result.stderr
        assert not (root / "locales").exists()
    finally:
        holder.kill()
        holder.wait()


def test_wait_lets_the_second_run_go_after_the_first(make_project: MakeProject) -> None:
    root = make_project()
    holder = _holder(root, 1.0)
    started = time.monotonic()
    result = runner.invoke(app, ["extract", "--wait", "30", "--project", str(root)])
    assert result.exit_code == 0, result.stderr
    assert "waiting up to 30 s" in result.stderr
    assert time.monotonic() - started >= 0.5
    holder.wait()


def test_a_killed_holder_never_blocks(make_project: MakeProject) -> None:
    root = make_project()
    holder = _holder(root, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 0, result.stderr
    assert not list(root.glob(".*lock*")), "no lock file is left behind"


def _translated_project(make_project: MakeProject) -> Path:
    root = make_project(languages=("fr",))
    runner.invoke(app, ["extract", "--project", str(root)])
    po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    catalog = read_po(po)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr = "FR " + entry.msgid[:30]
    catalog.save(str(po))
    return root


def test_emptied_source_stops_before_anything_is_written(make_project: MakeProject) -> None:
    root = _translated_project(make_project)
    po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    pot = root / "locales" / "article.pot"
    before = po.read_bytes(), pot.read_bytes()
    (root / "source" / "article.txt").write_text("Something else entirely.\n", "utf-8")
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 1
    assert "would make 6 of 6 fr translations obsolete" in result.stderr
    assert "source/article.txt" in result.stderr and "--force" in result.stderr
    assert (po.read_bytes(), pot.read_bytes()) == before

    forced = runner.invoke(app, ["extract", "--force", "--project", str(root)])
    assert forced.exit_code == 0, forced.stderr
    kept = {e.msgstr for e in read_po(po) if e.obsolete}
    assert len(kept) == 6, "forced: every translation is kept as an obsolete entry"


def test_small_edits_pass_the_guard(make_project: MakeProject) -> None:
    root = _translated_project(make_project)
    source = root / "source" / "article.txt"
    source.write_text(source.read_text("utf-8").replace("pandemic", "epidemic"), "utf-8")
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 0, result.stderr


def test_an_empty_catalog_file_is_an_error(make_project: MakeProject) -> None:
    root = _translated_project(make_project)
    po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    po.write_bytes(b"")
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 1
    assert "the catalog is empty" in result.stderr
    assert po.read_bytes() == b""


def test_a_source_symlink_leaving_the_project_is_refused(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project()
    outside = tmp_path / "outside.md"
    outside.write_text("# Secret\n", "utf-8")
    (root / "source" / "leak.md").symlink_to(outside)
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 1
    assert "the source leaves the project directory" in result.stderr
    assert "source/leak.md" in result.stderr
    assert not (root / "locales" / "leak.pot").exists()


def test_language_codes_come_from_settings_only(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    runner.invoke(app, ["extract", "--project", str(root)])
    po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    text = po.read_text("utf-8").replace("Language: fr", "Language: ../../evil")
    po.write_text(text, "utf-8")
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 0, result.stderr
    assert "Language: fr\\n" in po.read_text("utf-8")
    assert not (root / "evil").exists() and not (root.parent / "evil").exists()


def test_a_catalog_cut_at_an_entry_boundary_is_caught_against_the_template(
    make_project: MakeProject,
) -> None:
    root = _translated_project(make_project)
    po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    text = po.read_text("utf-8")
    cut = text[: text.index("\n\n#. type: paragraph\n#: source/article.txt:7") + 1]
    po.write_text(cut, "utf-8")  # well-formed, but the last three entries are gone
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 1
    assert "3 entries of the template are missing from the catalog" in result.stderr
    assert "locales/fr/LC_MESSAGES/article.po" in result.stderr
    assert po.read_text("utf-8") == cut


def test_a_catalog_left_behind_by_an_older_template_is_not_mistaken_for_a_cut(
    make_project: MakeProject,
) -> None:
    root = make_project(languages=("fr", "de"))
    runner.invoke(app, ["extract", "--project", str(root)])
    source = root / "source" / "article.txt"
    source.write_text(source.read_text("utf-8") + "\nA new closing paragraph.\n", "utf-8")
    # (all within one minute: the POT-Creation-Date alone could not tell the templates apart)
    assert runner.invoke(app, ["extract", "-l", "fr", "--project", str(root)]).exit_code == 0
    result = runner.invoke(app, ["extract", "-l", "de", "--project", str(root)])
    assert result.exit_code == 0, result.stderr
