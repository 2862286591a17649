"""The README and docs/ stand on their own: nothing points outside the repository, every relative link
reaches a file (and a heading, when it names one), and the port override they document is what
`make run` does."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
DOCUMENTS = [README, *sorted(DOCS.glob("*.md"))]

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_SCHEMES = ("http://", "https://", "mailto:")


def _without_code_blocks(text: str) -> str:
    return _FENCE.sub("", text)


def links(text: str) -> list[str]:
    """Markdown link targets outside code (code may show link syntax as an example)."""
    return _LINK.findall(_INLINE_CODE.sub("", _without_code_blocks(text)))


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped (letters, combining marks
    such as Thai vowels, digits, spaces, hyphens and underscores kept), spaces become hyphens."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    kept = "".join(c for c in heading if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for heading in _HEADING.findall(_without_code_blocks(path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def test_the_design_documents_are_in_the_repository():
    for name in ("README.md", "people-and-flows.md", "domain-rules.md", "architecture.md"):
        assert (DOCS / name).is_file(), name
    assert "docs/README.md" in links(README.read_text(encoding="utf-8"))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_outside_the_repository(document):
    text = document.read_text(encoding="utf-8")
    for outside in ("../shared", "/work/"):
        assert outside not in text, f"{document.name} mentions {outside}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_reaches_a_file_and_its_heading(document):
    broken = []
    for target in links(document.read_text(encoding="utf-8")):
        if target.startswith(_SCHEMES):
            continue
        path_part, _, anchor = target.partition("#")
        path = (document.parent / path_part).resolve() if path_part else document
        if not path.exists() or not path.is_relative_to(ROOT):
            broken.append(f"{target}: no such file in the repository")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no heading #{anchor} in {path.relative_to(ROOT)}")
    assert not broken, f"{document.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_docs_index_links_every_document():
    linked = {target.partition("#")[0] for target in links((DOCS / "README.md").read_text(encoding="utf-8"))}
    missing = [p.name for p in DOCS.glob("*.md") if p.name != "README.md" and p.name not in linked]
    assert not missing, f"docs/README.md does not link {missing}"


def test_anchors_are_made_as_github_makes_them():
    assert slug("Decisions (and why)") == "decisions-and-why"
    assert slug("Benchmarks (`make bench`)") == "benchmarks-make-bench"
    assert slug("Personal data (PDPA) — Built") == "personal-data-pdpa--built"
    assert slug("The seed: the flow chart in words") == "the-seed-the-flow-chart-in-words"
    assert slug("ผู้ป่วยนอก (outpatient)") == "ผู้ป่วยนอก-outpatient"


def test_link_checking_sees_links_but_not_code():
    text = "[a](docs/a.md) `[b](b.md)`\n```\n[c](c.md)\n```\n[d](https://example.org) [e](#x \"title\")"
    assert links(text) == ["docs/a.md", "https://example.org", "#x"]


def test_make_run_serves_and_announces_the_port_the_readme_documents():
    assert "make run PORT=8080" in README.read_text(encoding="utf-8")
    # -n: print the commands without running them; -o: never (re)install the environment for this.
    dry_run = subprocess.run(["make", "-n", "-o", ".venv/.installed", "run", "PORT=8080"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, check=True).stdout
    banner = [line for line in dry_run.splitlines() if "demo_banner" in line]
    server = [line for line in dry_run.splitlines() if "granian" in line]
    assert banner and all("--port 8080" in line for line in banner), dry_run
    assert server and all("--port 8080" in line for line in server), dry_run
