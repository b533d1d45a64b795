"""Obsidian vaults: what becomes a card, tags, plugin settings, and history through edits."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckaquiz.collection import Collection
from ckaquiz.decks.markdown import MarkdownOptions, parse_markdown
from ckaquiz.filters import Filters
from ckaquiz.markup import readable
from ckaquiz.model import CardKind, CardState, Rating
from ckaquiz.session import Mode, Session
from ckaquiz.store import deactivate_source
from tests.conftest import FIXTURES, SHARED, FrozenClock, run_cli

VAULT = FIXTURES / "vault"
SEED = SHARED / "seed" / "2025-03-19.md"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(VAULT, copy)
    return copy


def active(collection: Collection) -> dict[str, tuple[str, str, int]]:
    """id -> (kind, prompt, reps) of every active card."""
    return {
        stored.card.id: (stored.card.kind.value, stored.card.prompt, stored.schedule.reps)
        for stored in collection.store.cards()
    }


def review_everything(collection: Collection) -> None:
    session = Session(collection, mode=Mode.REVIEW)
    while session.next_card() is not None:
        session.answer(Rating.EASY)


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_fixture_vault_gives_exactly_these_cards(collection: Collection, vault: Path) -> None:
    source, report = collection.import_path(vault, options={"exclude": ["Templates"], "skip_headings": ["하루를 마치며"]})
    assert source.name == "vault"
    assert report.files_read == 5
    assert report.problems == [
        f"{vault / 'Topics' / 'Broken frontmatter.md'}:2: frontmatter: YAML syntax error at column 16: "
        "expected ',' or ']', but got '<stream end>'"
    ]
    cards = [stored.card for stored in collection.store.cards()]
    # The learner's own blank-page recall (어제 학습 내용 백지 복습) is no card.
    assert [(card.kind.value, card.prompt) for card in cards] == [
        ("recall", "2025-04-02 › 공부 메모장 › Kubernetes"),
        ("recall", "2025-04-02 › 공부 메모장 › AWS"),
        ("recall", "Broken frontmatter › Still here"),
        ("recall", "Taints and tolerations"),
        ("recall", "Taints and tolerations › Effects"),
        ("basic", "Which effect evicts running pods?"),
        ("basic", "Toleration"),
        ("basic", "a pod-side permission to land on a tainted node"),
        ("basic", "What does `tolerationSeconds` do?"),
        ("cloze", "A taint is written [...]."),
        ("recall", "Taints and tolerations › Commands"),
    ]
    daily = cards[0]
    assert daily.tags == ("2025-04", "2025-04-1week", "aws/sqs")
    assert daily.key_points == (
        "LimitRange는 네임스페이스마다 기본 requests와 limits를 정한다.",
        "ResourceQuota는 네임스페이스 전체 사용량의 상한이다",
        "CPU limit를 넘으면 스로틀링된다",
        "LimitRange · 파드/컨테이너 하나",
        "apiVersion: v1\nkind: LimitRange",
    )
    assert daily.fields["note_date"] == "2025-04-02"
    assert "```yaml" in daily.answer
    topic = cards[4]
    assert topic.tags == ("cka/workloads-scheduling", "scheduling", "cka")
    assert topic.fields["note_date"] == "2025-04-01"
    assert cards[6].id == "vault:tol-card" and cards[7].id == "vault:tol-card:r"
    commands = cards[-1]
    assert "Issue #123 is not a tag." in commands.key_points
    assert not any("dataview" in point or "LIST FROM" in point for point in commands.key_points)
    assert all(card.deck == "vault" for card in cards)


def test_plugin_scheduling_comment_seeds_a_review_card(collection: Collection, vault: Path) -> None:
    collection.import_path(vault)
    seeded = next(stored for stored in collection.store.cards() if stored.card.prompt == "Which effect evicts running pods?")
    assert seeded.schedule.state is CardState.REVIEW
    assert seeded.schedule.due is not None and seeded.schedule.due.date().isoformat() == "2025-04-10"
    assert seeded.schedule.stability == 6.0


def test_seed_note_gives_its_study_sections_and_tags(collection: Collection, tmp_path: Path) -> None:
    if not SEED.exists():
        pytest.skip("the shared seed note is not here")
    notes = tmp_path / "vault" / "06 - Full Notes"
    notes.mkdir(parents=True)
    shutil.copy(SEED, notes)
    collection.import_path(tmp_path / "vault", options={"skip_headings": ["하루를 마치며"]})
    cards = [stored.card for stored in collection.store.cards()]
    prompts = [card.prompt.removeprefix("2025-03-19 › 공부 메모장 › Kubernetes › ") for card in cards]
    assert "static pods" in prompts and "Resource Quotas" in prompts and "스케쥴러 프로필" in prompts
    assert not any("백지 복습" in card.prompt or "하루를 마치며" in card.prompt for card in cards)
    assert all(card.kind is CardKind.RECALL for card in cards)
    assert all(card.tags == ("2025-03", "2025-03-4week") for card in cards)
    assert all(card.fields["note_date"] == "2025-03-19" for card in cards)
    assert max(len(card.key_points) for card in cards) <= 12


def test_vault_is_byte_for_byte_unchanged_after_import_study_and_review(isolated_home: Path, vault: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    before = fingerprint(vault)
    modified = {path: path.stat().st_mtime_ns for path in vault.rglob("*")}
    assert run_cli("import", str(vault)).returncode == 0
    assert run_cli("study", "--plain", input_text="x\n.\n3\nx\n.\n1\n").returncode == 0
    assert run_cli("review", "--tag", "cka", "--plain", input_text="x\n.\n4\n").returncode == 0
    assert fingerprint(vault) == before
    assert {path: path.stat().st_mtime_ns for path in vault.rglob("*")} == modified


def test_skips_hidden_folders_excludes_and_links_out_of_the_vault(collection: Collection, vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.md").write_text("# Leak\nsecret::outside\n", encoding="utf-8")
    os.symlink(outside, vault / "Topics" / "link-out")
    os.symlink(vault / "Topics", vault / "Topics" / "loop")
    (vault / "bad.md").write_bytes(b"# Latin\n\xe9t\xe9\n")
    _, report = collection.import_path(vault, options={"exclude": ["Templates/*"]})
    paths = {stored.card.source.path for stored in collection.store.cards()}
    assert not any("outside" in path or ".trash" in path or "Templates" in path for path in paths)
    assert not any("/loop/" in path for path in paths)
    assert f"{vault / 'bad.md'}:2: skipped: not valid UTF-8 text" in report.problems


def test_plugin_settings_choose_the_separators(collection: Collection, vault: Path) -> None:
    plugin = vault / ".obsidian" / "plugins" / "obsidian-spaced-repetition"
    plugin.mkdir(parents=True)
    (plugin / "data.json").write_text(json.dumps({
        "singleLineCardSeparator": ";;", "singleLineReversedCardSeparator": ";;;",
        "multilineCardSeparator": "?", "multilineReversedCardSeparator": "??", "multilineCardEndMarker": "+++",
        "clozePatterns": ["**[123;;]answer[;;hint]**"],
    }), encoding="utf-8")
    (vault / "Custom.md").write_text(
        "# Custom\nfront;;back\nquestion line\n?\nanswer one\n\nanswer two\n+++\nthe **bold** part\nold::style\n",
        encoding="utf-8",
    )
    collection.import_path(vault / "Custom.md")
    cards = {stored.card.prompt: stored.card.answer for stored in collection.store.cards() if stored.card.kind is not CardKind.RECALL}
    # the cloze line and the line under it are one paragraph, so one cloze card, as the plugin reads it
    assert cards == {
        "front": "back", "question line": "answer one\n\nanswer two", "the [...] part\nold::style": "bold"
    }


def test_command_line_separators_override(collection: Collection, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# N\nalpha @@ beta\n", encoding="utf-8")
    collection.import_path(note, options={"card_separator": "@@"})
    assert [(stored.card.prompt, stored.card.answer) for stored in collection.store.cards() if stored.card.kind is CardKind.BASIC] == [("alpha", "beta")]


def test_since_and_until_pick_cards_by_note_date(collection: Collection, vault: Path, clock: FrozenClock) -> None:
    collection.import_path(vault)
    from ckaquiz.filters import parse_day

    clock.moment = clock.moment.replace(year=2025, month=4, day=3)
    yesterday = parse_day("yesterday", clock.moment)
    picked = [stored.card.prompt for stored in collection.store.cards() if Filters(since=yesterday).matches(stored.card)]
    assert picked and all(prompt.startswith("2025-04-02") for prompt in picked)
    assert parse_day("2d", clock.moment).isoformat() == "2025-04-01"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("see [[Node affinity]]", "see Node affinity"),
        ("see [[Topics/Node affinity|affinity]]", "see affinity"),
        ("see [[Topics/Node affinity\\|affinity]]", "see affinity"),
        ("![[taint diagram.png]]", "[image: taint diagram.png]"),
        ("![alt](img/Pasted%20image.png)", "[image: Pasted image.png]"),
        ("[docs](https://kubernetes.io)", "docs"),
    ],
)
def test_obsidian_syntax_reads_as_text(text: str, shown: str) -> None:
    assert readable(text) == shown


# -- identity through edits ---------------------------------------------------------------

NOTE = """\
# Static pods
- The kubelet creates them from manifest files
- kubeadm puts them in /etc/kubernetes/manifests

Who runs static pods?::the kubelet

# Admission
- Mutating controllers run first
- Validating controllers run second
"""


@pytest.fixture
def studied(collection: Collection, tmp_path: Path) -> tuple[Collection, Path]:
    vault = tmp_path / "notes"
    (vault / "cka").mkdir(parents=True)
    (vault / "cka" / "pods.md").write_text(NOTE, encoding="utf-8")
    collection.import_path(vault)
    review_everything(collection)
    assert all(reps == 1 for _, _, reps in active(collection).values())
    return collection, vault


def rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("from manifest files", "from manifest fils"),  # typo (introduced, then fixed below)
        ("- kubeadm puts them in /etc/kubernetes/manifests\n", "- kubeadm puts them in /etc/kubernetes/manifests\n- a new bullet\n"),
        ("Who runs static pods?::the kubelet", "Who runs static pods?::the node's kubelet process"),
    ],
    ids=["typo", "bullet-added", "answer-reworded"],
)
def test_edits_keep_history(studied: tuple[Collection, Path], old: str, new: str) -> None:
    collection, vault = studied
    before = active(collection)
    rewrite(vault / "cka" / "pods.md", old, new)
    report = collection.refresh()
    after = active(collection)
    assert set(after) == set(before)
    assert all(reps == 1 for _, _, reps in after.values())
    assert report.counts.new == 0 and report.counts.retired == 0 and report.counts.changed == 1


def test_typo_fixed_in_a_heading_keeps_history(studied: tuple[Collection, Path]) -> None:
    collection, vault = studied
    before = active(collection)
    rewrite(vault / "cka" / "pods.md", "# Admission", "# Admision")
    collection.refresh()
    after = active(collection)
    assert set(after) == set(before)
    assert any(prompt.endswith("Admision") for _, prompt, _ in after.values())


def test_sections_reordered_keep_history(studied: tuple[Collection, Path]) -> None:
    collection, vault = studied
    before = active(collection)
    text = (vault / "cka" / "pods.md").read_text(encoding="utf-8")
    first, second = text.split("# Admission")
    rewrite(vault / "cka" / "pods.md", text, "# Admission" + second + "\n" + first)
    collection.refresh()
    assert active(collection).keys() == before.keys()


def test_note_renamed_keeps_history(studied: tuple[Collection, Path]) -> None:
    collection, vault = studied
    before = active(collection)
    (vault / "cka" / "pods.md").rename(vault / "cka" / "static pods.md")
    report = collection.refresh()
    after = active(collection)
    assert set(after) == set(before)
    assert all(reps == 1 for _, _, reps in after.values())
    assert report.counts.new == 0 and report.counts.retired == 0


def test_note_moved_to_another_folder_keeps_history(studied: tuple[Collection, Path]) -> None:
    collection, vault = studied
    before = active(collection)
    (vault / "archive").mkdir()
    (vault / "cka" / "pods.md").rename(vault / "archive" / "pods.md")
    collection.refresh()
    after = active(collection)
    assert set(after) == set(before)
    paths = {stored.card.source.path for stored in collection.store.cards()}
    assert paths == {str(vault / "archive" / "pods.md")}


def test_card_deleted_then_restored_comes_back_with_history(studied: tuple[Collection, Path]) -> None:
    collection, vault = studied
    before = active(collection)
    line = "Who runs static pods?::the kubelet\n"
    rewrite(vault / "cka" / "pods.md", line, "")
    deleted = collection.refresh()
    assert deleted.counts.retired == 1
    assert len(active(collection)) == len(before) - 1
    rewrite(vault / "cka" / "pods.md", "# Admission", line + "\n# Admission")
    restored = collection.refresh()
    assert restored.counts.revived == 1
    assert active(collection) == before


def test_two_identical_sections_stay_two_cards(collection: Collection, tmp_path: Path, clock: FrozenClock) -> None:
    vault = tmp_path / "twins"
    vault.mkdir()
    (vault / "a.md").write_text("# Same\nidentical text\n# Same\nidentical text\n", encoding="utf-8")
    (vault / "b.md").write_text("# Same\nidentical text\n", encoding="utf-8")
    collection.import_path(vault)
    assert len(active(collection)) == 3
    review_everything(collection)
    clock.moment += timedelta(days=1)
    rewrite(vault / "b.md", "identical text", "identical text\nmore")
    collection.refresh()
    assert len(active(collection)) == 3
    assert all(reps == 1 for _, _, reps in active(collection).values())


def test_sources_remove_retires_cards_and_keeps_history(studied: tuple[Collection, Path]) -> None:
    collection, _ = studied
    retired = deactivate_source(collection.store, "notes", now=collection.now())
    assert retired == 3
    assert active(collection) == {}
    assert len(collection.store.reviews()) == 3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300), st.text(max_size=300))
def test_arbitrary_notes_never_raise_and_do_not_depend_on_each_other(first: str, second: str) -> None:
    options = MarkdownOptions(title_in_prompt=True)
    alone = parse_markdown(first, "a.md", default_deck="v", scope="a.md", options=options)
    parse_markdown(second, "b.md", default_deck="v", scope="b.md", options=options)
    again = parse_markdown(first, "a.md", default_deck="v", scope="a.md", options=options)
    assert alone == again



def test_tag_folder_option_and_sibling_schedules(collection: Collection, tmp_path: Path) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "n.md").write_text(
        "# N\nLinks: [[Labels/exam-week|exam-week]] [[03 - Tags/ignored|ignored]]\n"
        "front:::back\n<!--SR:!2025-05-01,4,250!2025-05-03,9,270-->\n",
        encoding="utf-8",
    )
    collection.import_path(vault, options={"tag_folder": "Labels"})
    cards = {stored.card.prompt: stored for stored in collection.store.cards()}
    assert cards["front"].card.tags == ("exam-week",)
    assert (cards["front"].schedule.due is not None and cards["front"].schedule.due.date().isoformat()) == "2025-05-01"
    assert cards["back"].schedule.stability == 9.0
    assert cards["back"].schedule.due is not None and cards["back"].schedule.due.date().isoformat() == "2025-05-03"


def test_a_block_id_given_in_two_notes_keeps_the_first_and_warns(collection: Collection, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "a").mkdir(parents=True)
    (vault / "b").mkdir()
    (vault / "a" / "first.md").write_text("# Taints\nNoExecute?::evicts ^taint\n", encoding="utf-8")
    (vault / "b" / "second.md").write_text("# Copy\nNoSchedule?::keeps running pods ^taint\n", encoding="utf-8")
    (vault / "b" / "other.md").write_text("# Other\nkubelet?::node agent\n", encoding="utf-8")
    for _ in range(2):  # the first import, then a rescan with nothing changed
        _, report = collection.import_path(vault)
        assert [problem.split(": ", 1)[1] for problem in report.problems] == [
            f"duplicate id 'vault:taint' (first at {vault / 'a' / 'first.md'}:2); this card is skipped"
        ]
        assert report.problems[0].startswith(f"{vault / 'b' / 'second.md'}:2: ")
    stored = collection.store.card("vault:taint")
    assert stored is not None and stored.card.answer == "evicts"
    assert sorted(card.prompt for card in (stored.card for stored in collection.store.cards())) == [
        "NoExecute?",
        "kubelet?",
    ]
