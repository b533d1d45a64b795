"""`ckaquiz check --facts`: known misconceptions in a learner's notes, by file and line, notes untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, run_cli

SEED = SHARED / "seed" / "2025-03-19.md"
CORRECT_NOTES = FIXTURES / "notes_correct"

# Every line of the seed note that states a known misconception, and nothing else: the other
# lines were read one by one and are correct (or opinions, or plans), so they must stay quiet.
SEED_HITS = [
    (19, "node-affinity-evicts-running-pods"),  # node affinity evicting a running Pod
    (23, "scheduling-by-post-to-pod"),
    (40, "datasync-real-time-replication"),
    (41, "ebs-fast-snapshot-restore-speeds-snapshots"),
    (46, "secret-tls-base64-by-hand"),  # the line after `kubectl create secret tls`
    (54, "static-pods-scanned-by-cron"),
    (73, "memory-limit-evicts-pod"),
    (97, "daemonset-pods-bypass-scheduler"),  # the table row "both ignored", under a DaemonSets header
    (138, "namespace-plugins-deprecated"),
]


def _facts(*paths: Path, json_output: bool = True) -> tuple[int, list[dict[str, object]], str]:
    arguments = ["check", "--facts", *(str(path) for path in paths)]
    result = run_cli(*arguments, "--json") if json_output else run_cli(*arguments)
    return result.returncode, json.loads(result.stdout) if json_output else [], result.stdout + result.stderr


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed note is not here")
def test_the_seed_note_gets_exactly_its_wrong_lines(tmp_path: Path) -> None:
    note = tmp_path / "2025-03-19.md"
    shutil.copyfile(SEED, note)
    before = note.read_bytes(), note.stat().st_mtime_ns
    code, hits, _ = _facts(note)
    assert code == 1
    assert [(hit["line"], hit["id"]) for hit in hits] == SEED_HITS
    assert (note.read_bytes(), note.stat().st_mtime_ns) == before
    lines = note.read_text(encoding="utf-8").splitlines()
    for hit in hits:
        assert str(hit["said"]) in " ".join(lines[int(str(hit["line"])) - 1].strip().strip("|").split())
        assert str(hit["reference"]).startswith("https://")
        assert hit["language"] in {"en", "ko"}


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed note is not here")
def test_each_hit_is_one_line_naming_the_note_the_claim_and_the_documentation() -> None:
    result = run_cli("check", "--facts", str(SEED))
    assert result.returncode == 1
    printed = result.stdout.splitlines()
    assert len(printed) == len(SEED_HITS)
    memory = next(line for line in printed if line.startswith(f"{SEED}:73: "))
    assert memory.startswith(f"{SEED}:73: memory limit를 초과하면 Pod가 제거된다. — ")
    assert "OOM" in memory and memory.endswith(
        "(https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
        "#how-pods-with-resource-limits-are-run)"
    )
    assert result.stderr.strip().splitlines()[-1] == f"1 note, {len(SEED_HITS)} misconceptions"


def test_correct_notes_give_no_hit_and_exit_zero() -> None:
    code, hits, _ = _facts(CORRECT_NOTES)
    assert (code, hits) == (0, [])
    plain = run_cli("check", "--facts", str(CORRECT_NOTES))
    assert (plain.returncode, plain.stdout) == (0, "")
    assert plain.stderr.strip() == "2 notes, 0 misconceptions"


def test_a_vault_folder_is_walked_and_code_and_frontmatter_are_not_claims(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "hidden.md").write_text("Exceeding the memory limit evicts the pod.\n", encoding="utf-8")
    (vault / "notes").mkdir()
    (vault / "notes" / "a.md").write_text(
        "---\nsummary: exceeding the memory limit evicts the pod\n---\n"
        "```\nexceeding the memory limit evicts the pod\n```\n"
        "RBAC rules can deny a verb.\n",
        encoding="utf-8",
    )
    (vault / "notes" / "b.txt").write_text("RBAC rules can deny a verb.\n", encoding="utf-8")
    code, hits, _ = _facts(vault)
    assert code == 1
    assert [(Path(str(hit["path"])).name, hit["line"], hit["id"]) for hit in hits] == [("a.md", 7, "rbac-can-deny")]


def test_bad_paths_and_unreadable_notes_are_one_line_each(tmp_path: Path) -> None:
    missing = run_cli("check", "--facts", str(tmp_path / "nowhere"))
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [f"error: {tmp_path / 'nowhere'}: no such file or folder"]
    nothing = run_cli("check", "--facts")
    assert nothing.returncode == 1 and "needs one or more notes" in nothing.stderr
    assert "Traceback" not in nothing.stderr
    binary = tmp_path / "broken.md"
    binary.write_bytes(b"ok line\n\xff\xfe not text\n")
    good = tmp_path / "good.md"
    good.write_text("The HPA adds nodes to the cluster.\n", encoding="utf-8")
    result = run_cli("check", "--facts", str(binary), str(good))
    assert result.returncode == 1
    assert f"warning: {binary}:2: skipped: not valid UTF-8 text" in result.stderr
    assert result.stdout.startswith(f"{good}:1: The HPA adds nodes to the cluster. — ")


def test_json_needs_facts() -> None:
    result = run_cli("check", "--json")
    assert result.returncode == 1 and "--json goes with --facts" in result.stderr


def test_check_validates_a_folders_misconception_bank(tmp_path: Path) -> None:
    (tmp_path / "misconceptions.yaml").write_text(
        "entries:\n  - id: half\n    wrong: {en: a}\n    correction: {en: b}\n"
        "    reference: https://kubernetes.io/\n    match: {en: [{all: [a]}]}\n",
        encoding="utf-8",
    )
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{tmp_path / 'misconceptions.yaml'}:2: entry half: missing correction.ko"]
    assert result.stderr.strip() == "0 cards, 1 problem"
