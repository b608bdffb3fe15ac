"""The review desk under load: 20 editors saving at once for 60 s, every edit kept.

A project with one 300-paragraph article, machine-translated into French, is served by
``translatio serve`` started as a user starts it (a separate process, uvicorn, loopback).
Each editor is a thread with its own cookies (so its own CSRF token): it loads the queue
once, then saves a new text into a random entry, again and again, as a browser posts
the page's form. A 303 is a saved edit; a 409 (someone changed the entry since the
editor saw it) makes the editor save over it deliberately from the conflict page's form,
as a person would after reading both texts; a 503 ("busy, try again") waits the
Retry-After and posts again.

Checked at the end: the review log has one line per saved edit, and every entry's text
in the catalog is the last text the log records for it, so no saved edit was lost or
overwritten unseen. Reported: edits saved per second, conflicts, busy answers, and the
latency of a save (median, 95th percentile).

Run:  uv run python benchmarks/bench_serve.py [--editors 20] [--seconds 60] [--paragraphs 300]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

import polib

from translatio.catalog.provenance import text_hash
from translatio.project import Project

_FORM = re.compile(r'<form method="post" action="/edit">(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _forms(page: str) -> list[dict[str, str]]:
    return [
        {name: unescape(value) for name, value in _HIDDEN.findall(match.group(1))}
        for match in _FORM.finditer(page)
    ]


def _project(folder: Path, paragraphs: int) -> Path:
    root = folder / "project"
    (root / "source").mkdir(parents=True)
    (root / "translatio.toml").write_text(
        'languages = ["fr"]\nengine = "pseudo"\n', encoding="utf-8"
    )
    rng = random.Random(5)
    words = ["reader", "library", "council", "budget", "street", "school", "river", "night"]
    text = "\n\n".join(
        f"Paragraph {n}: the {rng.choice(words)} and the {rng.choice(words)} met again."
        for n in range(paragraphs)
    )
    (root / "source" / "article.md").write_text(text + "\n", encoding="utf-8")
    project = Project.open(root)
    project.run(engine="pseudo")
    return root


def _editor(
    number: int, address: str, until: float, results: dict[str, list[float]], lock: threading.Lock
) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(address + "/queue/fr", timeout=60).read().decode("utf-8")
    forms = _forms(page)
    rng = random.Random(number)
    saved: list[float] = []
    conflicts = busy = 0
    while time.monotonic() < until:
        form = rng.choice(forms)
        text = f"Texte de l'éditeur {number}, modification {len(saved)}."
        data = dict(form, text=text, reviewer=f"Editor {number}", action="save")
        started = time.monotonic()
        while True:
            body = urllib.parse.urlencode(data).encode()
            try:
                answer = opener.open(address + "/edit", data=body, timeout=60)
                status, content = answer.status, answer.read().decode("utf-8")
            except urllib.error.HTTPError as error:
                status, content = error.code, error.read().decode("utf-8")
            if status == 303:
                saved.append(time.monotonic() - started)
                form["base"] = f"{text_hash(text)}:1"
                break
            if status == 409:
                conflicts += 1
                [retry] = _forms(content)
                data = dict(retry, text=text, reviewer=f"Editor {number}", action="save")
                form["base"] = retry["base"]
                continue
            if status == 503:
                busy += 1
                time.sleep(2)
                continue
            raise RuntimeError(f"editor {number}: HTTP {status}: {content[:300]}")
    with lock:
        results["saved"].extend(saved)
        results["conflicts"].append(conflicts)
        results["busy"].append(busy)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--paragraphs", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRANSLATIO_CACHE_DIR"] = str(Path(folder) / "cache")
        root = _project(Path(folder), arguments.paragraphs)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "translatio", "serve", "-C", str(root), "--port", str(port)],
            stdout=subprocess.DEVNULL,
        )
        address = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(address + "/", timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            results: dict[str, list[float]] = {"saved": [], "conflicts": [], "busy": []}
            lock = threading.Lock()
            until = time.monotonic() + arguments.seconds
            threads = [
                threading.Thread(target=_editor, args=(n, address, until, results, lock))
                for n in range(arguments.editors)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=10)
        log = root / "locales" / "fr" / "review.log"
        records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
        last = {record["entry"]: record["text"] for record in records}
        catalog = polib.pofile(str(root / "locales" / "fr" / "LC_MESSAGES" / "article.po"))
        from translatio.steps.edit import entry_key

        now = {entry_key(entry): entry.msgstr for entry in catalog if entry.msgid}
        lost = [key for key, text in last.items() if now.get(key) != text]
    saved = results["saved"]
    print(
        f"{arguments.editors} editors, {arguments.seconds:g} s, "
        f"{arguments.paragraphs} paragraphs (2 cores, `uv run python benchmarks/bench_serve.py`)"
    )
    print(f"edits saved: {len(saved)} ({len(saved) / elapsed:.1f}/s)")
    print(f"review log lines: {len(records)} (one per saved edit: {len(records) == len(saved)})")
    print(f"conflicts shown and saved over: {sum(results['conflicts']):.0f}")
    print(f"busy answers (waited and posted again): {sum(results['busy']):.0f}")
    if saved:
        ordered = sorted(saved)
        print(
            f"save latency: median {statistics.median(ordered) * 1000:.0f} ms, "
            f"95th percentile {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f} ms"
        )
    print(f"entries whose catalog text is not their last logged edit: {len(lost)}")
    return 1 if lost or len(records) != len(saved) else 0


if __name__ == "__main__":
    raise SystemExit(main())
