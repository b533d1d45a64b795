"""Every flashcard the Obsidian Spaced Repetition plugin sees, read the same way.

A table of parser cases written from the plugin's documented syntax and settings: each names
a vault (notes and the plugin's `data.json`) and the exact cards (kind, prompt, answer) and
schedules expected. The notes are read the way `check` and `import` read a path.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckaquiz.collection import Collection
from ckaquiz.decks.obsidian import PLUGIN_SETTINGS
from ckaquiz.importing import source_decks, transient_source
from ckaquiz.model import Card, CardKind, CardState
from tests.conftest import FrozenClock, run_cli

NOW = {"CKAQUIZ_NOW": "2026-01-05T09:00:00+00:00"}

FSRS = "<!--SR:!fsrs,2026-08-25T21:28:43.488Z,0,2.3065,2.118,1,1,0,0,2026-08-23T21:28:43.488Z-->"
FSRS_ENTRY = {
    "algorithm": "fsrs",
    "due": "2026-08-25T21:28:43.488000+00:00",
    "interval": 0.0,
    "stability": 2.3065,
    "difficulty": 2.118,
    "state": "learning",
    "reps": 1,
    "lapses": 0,
    "learning_steps": 0,
    "last_review": "2026-08-23T21:28:43.488000+00:00",
}
FSRS_REVIEW = "<!--SR:!fsrs,2026-09-30T08:00:00.000Z,12,14.5,5.25,2,6,1,0,2026-09-18T08:00:00.000Z-->"
FSRS_REVIEW_ENTRY = {
    "algorithm": "fsrs",
    "due": "2026-09-30T08:00:00+00:00",
    "interval": 12.0,
    "stability": 14.5,
    "difficulty": 5.25,
    "state": "review",
    "reps": 6,
    "lapses": 1,
    "learning_steps": 0,
    "last_review": "2026-09-18T08:00:00+00:00",
}
SEMICOLONS = {"singleLineCardSeparator": ";;", "singleLineReversedCardSeparator": ";;;"}
CURLY_AT = {"clozePatterns": ["{@{[123;;]answer[;;hint]}@}"]}
TAGGED = {"flashcardTags": ["#flashcards"]}


@dataclass
class Case:
    name: str
    note: str
    cards: list[tuple[str, str, str]]
    settings: dict[str, Any] | None = None
    files: dict[str, str] = field(default_factory=dict)
    schedules: list[dict[str, Any] | None] | None = None
    decks: list[str] | None = None
    warnings: list[str] = field(default_factory=list)


CASES = [
    # single-line cards
    Case("single line", "# T\nWhat does kube-proxy program::Service rules on each node\n",
         [("basic", "What does kube-proxy program", "Service rules on each node")]),
    Case("reversed single line", "# T\nkubectl cordon:::marks a node unschedulable\n",
         [("basic", "kubectl cordon", "marks a node unschedulable"),
          ("basic", "marks a node unschedulable", "kubectl cordon")]),
    Case("custom single separator", "# T\nDefault Service type;;ClusterIP\nold::style stays text\n",
         [("basic", "Default Service type", "ClusterIP")], settings=SEMICOLONS),
    Case("custom reversed separator", "# T\nport 6443;;;kube-apiserver\n",
         [("basic", "port 6443", "kube-apiserver"), ("basic", "kube-apiserver", "port 6443")], settings=SEMICOLONS),
    Case("separator inside inline code is no card", "# T\nThe selector `app::web` is not a card\n", []),
    Case("separator inside a fenced block is no card", "# T\n```\nkey::value\n```\n", []),
    Case("html comments are skipped", "# T\n<!--\nhidden::card\n-->\nshown::card\n", [("basic", "shown", "card")]),
    Case("the longer separator wins", "# T\netcd port:::2379\n",
         [("basic", "etcd port", "2379"), ("basic", "2379", "etcd port")]),
    # multi-line cards
    Case("multi-line basic", "# T\nWhich file holds static pod manifests?\n?\n/etc/kubernetes/manifests\n",
         [("basic", "Which file holds static pod manifests?", "/etc/kubernetes/manifests")]),
    Case("multi-line reversed", "# T\nNodePort range\n??\n30000-32767\n",
         [("basic", "NodePort range", "30000-32767"), ("basic", "30000-32767", "NodePort range")]),
    Case("multi-line question of two lines", "# T\nA pod is Pending.\nWhat do you look at first?\n?\nits events\n",
         [("basic", "A pod is Pending.\nWhat do you look at first?", "its events")]),
    Case("a blank line ends a multi-line card", "# T\nTaint effects\n?\nNoSchedule\n\nPreferNoSchedule later\n",
         [("basic", "Taint effects", "NoSchedule")]),
    Case("end marker keeps blank lines", "# T\nTaint effects\n?\nNoSchedule\n\nNoExecute\n+++\nafter\n",
         [("basic", "Taint effects", "NoSchedule\n\nNoExecute")], settings={"multilineCardEndMarker": "+++"}),
    Case("custom multi-line separators", "# T\nDNS add-on\n&&\nCoreDNS\n\nCNI config folder\n&&&\n/etc/cni/net.d\n",
         [("basic", "DNS add-on", "CoreDNS"), ("basic", "CNI config folder", "/etc/cni/net.d"),
          ("basic", "/etc/cni/net.d", "CNI config folder")],
         settings={"multilineCardSeparator": "&&", "multilineReversedCardSeparator": "&&&"}),
    Case("a lone separator with an empty front is no card", "# T\n\n?\nnothing before\n", []),
    # code blocks in multi-line cards
    Case("code block as the question", "# T\n```yaml\nkind: Pod\n\nspec: {}\n```\n?\nwhat this manifest makes\n",
         [("basic", "```yaml\nkind: Pod\n\nspec: {}\n```", "what this manifest makes")]),
    Case("code block with blank lines as the answer",
         "# T\nShow a pod spec\n?\n```yaml\napiVersion: v1\n\nkind: Pod\n```\n\nnext::card\n",
         [("basic", "Show a pod spec", "```yaml\napiVersion: v1\n\nkind: Pod\n```"), ("basic", "next", "card")]),
    Case("text and code in one answer",
         "# T\nRestart a deployment\n?\nroll it:\n```sh\nkubectl rollout restart deploy/web\n```\n",
         [("basic", "Restart a deployment", "roll it:\n```sh\nkubectl rollout restart deploy/web\n```")]),
    Case("tilde fence in the answer", "# T\nList contexts\n?\n~~~\nkubectl config get-contexts\n\n~~~\n",
         [("basic", "List contexts", "~~~\nkubectl config get-contexts\n\n~~~")]),
    Case("heading inside a multi-line answer",
         "# T\nWhat a Deployment manages\n?\n## ReplicaSets\nwhich manage pods\n\n## Next\nplain notes\n",
         [("basic", "What a Deployment manages", "## ReplicaSets\nwhich manage pods")]),
    Case("a fence on one line is inline code",
         "# T\n```kubectl get pod x -o jsonpath='{.status.phase}'```\n\nphase column::STATUS\n\n## Later\nlast::one\n",
         [("basic", "phase column", "STATUS"), ("basic", "last", "one")]),
    # clozes
    Case("highlight cloze", "# T\nThe ==kubelet== runs static pods.\n",
         [("cloze", "The [...] runs static pods.", "kubelet")]),
    Case("two deletions are two sibling cards", "# T\n==etcd== listens on ==2379==\n",
         [("cloze", "[...] listens on 2379", "etcd"), ("cloze", "etcd listens on [...]", "2379")]),
    Case("bold clozes from the switch", "# T\nA **Service** selects pods by label.\n",
         [("cloze", "A [...] selects pods by label.", "Service")], settings={"convertBoldTextToClozes": True}),
    Case("curly clozes from the switch", "# T\nPVCs bind to {{PersistentVolumes}}.\n",
         [("cloze", "PVCs bind to [...].", "PersistentVolumes")], settings={"convertCurlyBracketsToClozes": True}),
    Case("highlights off", "# T\nA ==highlight== only.\n", [], settings={"convertHighlightsToClozes": False}),
    Case("cloze patterns win over the switches", "# T\n==not== a cloze but **this** is\n",
         [("cloze", "==not== a cloze but [...] is", "this")],
         settings={"convertHighlightsToClozes": True, "clozePatterns": ["**[123;;]answer[;;hint]**"]}),
    Case("custom cloze pattern", "# T\nThe scheduler picks a {@{node}@} for each pod.\n",
         [("cloze", "The scheduler picks a [...] for each pod.", "node")], settings=CURLY_AT),
    Case("custom pattern with sequence and hint",
         "# T\nState lives in {@{1;;etcd;;a store}@} and {@{2;;nowhere else}@}.\n",
         [("cloze", "State lives in [...] and nowhere else.", "etcd"),
          ("cloze", "State lives in etcd and [...].", "nowhere else")], settings=CURLY_AT),
    Case("anki-like pattern", "# T\nPods get IPs from the {{1::CNI plugin::network}}.\n",
         [("cloze", "Pods get IPs from the [...].", "CNI plugin")],
         settings={"clozePatterns": ["{{[123::]answer[::hint]}}"], "singleLineCardSeparator": "@@",
                   "singleLineReversedCardSeparator": "@@@"}),
    Case("an unreadable cloze pattern warns", "# T\n==still== read\n", [("cloze", "[...] read", "still")],
         settings={"clozePatterns": ["==[123;;]answer[;;hint]==", "[hint]"]},
         warnings=["cloze pattern '[hint]' not used"]),
    Case("cloze paragraph of two lines",
         "# T\nA ==ClusterIP== Service\nis reachable inside the cluster only\n<!--SR:!2026-04-01,5,230-->\n",
         [("cloze", "A [...] Service\nis reachable inside the cluster only", "ClusterIP")],
         schedules=[{"due": "2026-04-01", "interval": 5.0, "ease": 230.0}]),
    Case("cloze inside a fence is no card", "# T\n```\n==not a cloze==\n```\n", []),
    # schedules
    Case("sm-2 comment under a card", "# T\nkubectl drain::evicts pods\n<!--SR:!2026-03-10,4,250-->\n",
         [("basic", "kubectl drain", "evicts pods")],
         schedules=[{"due": "2026-03-10", "interval": 4.0, "ease": 250.0}]),
    Case("comment on the same line", "# T\nkubectl uncordon::allows scheduling <!--SR:!2026-03-11,6,270-->\n",
         [("basic", "kubectl uncordon", "allows scheduling")],
         schedules=[{"due": "2026-03-11", "interval": 6.0, "ease": 270.0}], settings={"cardCommentOnSameLine": True}),
    Case("a schedule per reversed side", "# T\nkubelet port:::10250\n<!--SR:!2026-03-12,3,250!2026-03-20,9,290-->\n",
         [("basic", "kubelet port", "10250"), ("basic", "10250", "kubelet port")],
         schedules=[{"due": "2026-03-12", "interval": 3.0, "ease": 250.0},
                    {"due": "2026-03-20", "interval": 9.0, "ease": 290.0}]),
    Case("fsrs comment read field by field", f"# T\nkube-scheduler port::10259\n{FSRS}\n",
         [("basic", "kube-scheduler port", "10259")], schedules=[FSRS_ENTRY]),
    Case("fsrs comment under a multi-line card",
         f"# T\nWhere the kubelet config lives\n?\n/var/lib/kubelet/config.yaml\n{FSRS_REVIEW}\n",
         [("basic", "Where the kubelet config lives", "/var/lib/kubelet/config.yaml")], schedules=[FSRS_REVIEW_ENTRY]),
    Case("fsrs new state starts new",
         "# T\nCoreDNS port::53\n<!--SR:!fsrs,2026-01-01T00:00:00.000Z,0,0.5,5,0,0,0,0,-->\n",
         [("basic", "CoreDNS port", "53")], schedules=[None]),
    Case("schedules of a cloze's siblings",
         "# T\n==Pods== run on ==nodes==\n<!--SR:!2026-05-01,2,250!2026-05-03,4,260-->\n",
         [("cloze", "[...] run on nodes", "Pods"), ("cloze", "Pods run on [...]", "nodes")],
         schedules=[{"due": "2026-05-01", "interval": 2.0, "ease": 250.0},
                    {"due": "2026-05-03", "interval": 4.0, "ease": 260.0}]),
    # which notes hold flashcards
    Case("flashcard tags leave untagged notes out", "# T\nuntagged::note\n", [], settings=TAGGED),
    Case("a tag below a flashcard tag counts", "# T\n#flashcards/cka\nkubeadm init::bootstraps a control plane\n",
         [("basic", "kubeadm init", "bootstraps a control plane")], settings=TAGGED),
    Case("frontmatter tags count", "---\ntags: [flashcards]\n---\n# T\nfront::back\n", [("basic", "front", "back")],
         settings=TAGGED),
    Case("flashcard tags to ignore", "# T\n#flashcards #draft\nhidden::card\n", [],
         settings={**TAGGED, "flashcardTagsToIgnore": ["#draft"]}),
    Case("ignored folders are never read", "# T\nkept::card\n", [("basic", "kept", "card")],
         files={"Templates/t.md": "# Template\ntemplate::card\n"}, settings={"noteFoldersToIgnore": ["Templates"]}),
    Case("ignored globs are never read", "# T\nkept::card\n", [("basic", "kept", "card")],
         files={"draw/plan.excalidraw.md": "# D\ndrawing::card\n"},
         settings={"noteFoldersToIgnore": ["**/*.excalidraw.md"]}),
    Case("folders as decks", "# T\nroot::card\n", [("basic", "inside", "folder"), ("basic", "root", "card")],
         files={"Networking/sub/n.md": "# N\ninside::folder\n"}, settings={"convertFoldersToDecks": True},
         decks=["vault", "Networking"]),
    Case("folders as decks hold flashcards without a tag", "# T\nroot::untagged\n", [("basic", "inside", "folder")],
         files={"Storage/n.md": "# N\ninside::folder\n"}, settings={**TAGGED, "convertFoldersToDecks": True},
         decks=["Storage"]),
    Case("callout schedules warn", "# T\nfront::back\n", [("basic", "front", "back")],
         settings={"useCalloutsForSchedulingComments": True},
         warnings=["plugin setting useCalloutsForSchedulingComments not honoured"]),
]


def make_vault(root: Path, case: Case) -> Path:
    vault = root / "vault"
    vault.mkdir()
    (vault / "note.md").write_text(case.note, encoding="utf-8")
    for relative, text in case.files.items():
        (vault / relative).parent.mkdir(parents=True, exist_ok=True)
        (vault / relative).write_text(text, encoding="utf-8")
    if case.settings is not None:
        (vault / PLUGIN_SETTINGS).parent.mkdir(parents=True)
        (vault / PLUGIN_SETTINGS).write_text(json.dumps(case.settings), encoding="utf-8")
    return vault


def flashcards(vault: Path, warnings: list[str] | None = None) -> list[Card]:
    """The inline cards of a vault, read as `check` and `import` read it."""
    decks = source_decks(transient_source(vault), problems=warnings if warnings is not None else [])
    return [card for deck in decks for card in deck.cards if card.kind is not CardKind.RECALL]


def test_the_table_has_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_plugin_syntax(tmp_path: Path, case: Case) -> None:
    warnings: list[str] = []
    cards = flashcards(make_vault(tmp_path, case), warnings)
    assert [(card.kind.value, card.prompt, card.answer) for card in cards] == case.cards
    if case.schedules is not None:
        assert [card.fields.get("sr") for card in cards] == case.schedules
    if case.decks is not None:
        assert sorted({card.deck for card in cards}) == sorted(case.decks)
    for expected in case.warnings:
        assert sum(expected in warning for warning in warnings) == 1, warnings
    if not case.warnings:
        assert warnings == []


# through the store and the command line ---------------------------------------------------------------


def test_custom_cloze_markers_are_never_left_in_recall_key_points(collection: Collection, tmp_path: Path) -> None:
    case = Case("markers", "# Scheduling\nThe scheduler picks a {@{node}@} for each {@{1;;pod;;unit}@}.\n", [],
                settings=CURLY_AT)
    collection.import_path(make_vault(tmp_path, case))
    recall = [stored.card for stored in collection.store.cards() if stored.card.kind is CardKind.RECALL]
    assert [card.key_points for card in recall] == [("The scheduler picks a node for each pod.",)]
    clozes = sorted(stored.card.answer for stored in collection.store.cards() if stored.card.kind is CardKind.CLOZE)
    assert clozes == ["node", "pod"]


def test_an_fsrs_schedule_keeps_its_state_stability_difficulty_and_due_time(
    collection: Collection, tmp_path: Path
) -> None:
    case = Case("fsrs", f"# T\nkube-scheduler port::10259\n{FSRS}\nkubelet port::10250\n{FSRS_REVIEW}\n", [])
    collection.import_path(make_vault(tmp_path, case))
    stored = {item.card.prompt: item.schedule for item in collection.store.cards() if item.card.kind is CardKind.BASIC}
    learning, review = stored["kube-scheduler port"], stored["kubelet port"]
    assert (learning.state, learning.stability, learning.difficulty) == (CardState.LEARNING, 2.3065, 2.118)
    assert learning.due == datetime(2026, 8, 25, 21, 28, 43, 488000, tzinfo=UTC)
    assert learning.last_review == datetime(2026, 8, 23, 21, 28, 43, 488000, tzinfo=UTC)
    assert (review.state, review.stability, review.difficulty, review.reps, review.lapses) == (
        CardState.REVIEW, 14.5, 5.25, 6, 1
    )
    assert review.due == datetime(2026, 9, 30, 8, 0, tzinfo=UTC)


def test_an_impossible_fsrs_comment_is_one_warning_and_the_card_starts_new(tmp_path: Path) -> None:
    case = Case("bad", "# T\nfront::back\n<!--SR:!fsrs,2026-01-01T00:00:00Z,1,2.5,42,2,1,0,0,-->\n", [])
    vault = make_vault(tmp_path, case)
    decks = source_decks(transient_source(vault), problems=[])
    problems = [str(problem) for deck in decks for problem in deck.problems]
    assert problems == [f"{vault / 'note.md'}:3: scheduling comment ignored: FSRS difficulty of 42 (1 to 10)"]
    assert [card.fields.get("sr") for deck in decks for card in deck.cards if card.kind is CardKind.BASIC] == [None]


def test_check_reads_a_vault_with_its_plugin_settings_as_import_does(tmp_path: Path) -> None:
    notes = "# T\nDefault Service type;;ClusterIP\nkubelet port;;;10250\nQ\n?\nA\n\nA {@{node}@} runs pods\n"
    case = Case("cli", notes, [], settings={**SEMICOLONS, **CURLY_AT, "useCalloutsForSchedulingComments": True})
    vault = make_vault(tmp_path, case)
    checked = run_cli("check", str(vault), env=NOW)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines() == [
        f"warning: {vault / PLUGIN_SETTINGS}:1: plugin setting useCalloutsForSchedulingComments not honoured: "
        "schedules in `> [!sr|card-metadata]` callouts are not read",
        "6 cards, 0 problems",
    ]
    imported = run_cli("import", str(vault), env=NOW)
    assert "cards: 6 new" in imported.stdout


def test_flashcards_only_and_decks_from_folders(tmp_path: Path) -> None:
    case = Case("cli", "# Root\nsome notes\nroot::card\n", [], files={
        "Networking/a.md": "# A\nService DNS::CoreDNS\nplain notes here\n",
        "Storage/deep/b.md": "# B\nAccess mode of one node::ReadWriteOnce\n",
    })
    vault = make_vault(tmp_path, case)
    assert run_cli("import", str(vault), "--flashcards-only", "--decks-from-folders", env=NOW).returncode == 0
    cards = json.loads(run_cli("cards", "--json", env=NOW).stdout)
    mine = sorted((card["deck"], card["kind"], card["prompt"]) for card in cards if not card["id"].startswith("cka"))
    assert [card for card in mine if card[0] in {"vault", "Networking", "Storage"}] == [
        ("Networking", "basic", "Service DNS"),
        ("Storage", "basic", "Access mode of one node"),
        ("vault", "basic", "root"),
    ]
    listed = run_cli("cards", "--deck", "Storage", "--json", env=NOW)
    assert [card["prompt"] for card in json.loads(listed.stdout)] == ["Access mode of one node"]


def test_several_paths_read_into_one_deck_and_an_empty_deck_is_known(tmp_path: Path) -> None:
    first, second, folder = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "more"
    first.write_text("# A\nalpha::one\n", encoding="utf-8")
    second.write_text("# B\nbeta::two\n", encoding="utf-8")
    folder.mkdir()
    (folder / "c.md").write_text("# C\ngamma::three\n", encoding="utf-8")
    imported = run_cli("import", str(first), str(second), str(folder), "--deck", "cka-notes", "--flashcards-only",
                       env=NOW)
    assert imported.returncode == 0, imported.stderr
    listed = json.loads(run_cli("cards", "--deck", "cka-notes", "--json", env=NOW).stdout)
    assert sorted(card["prompt"] for card in listed) == ["alpha", "beta", "gamma"]
    again = run_cli("import", str(second), "--deck", "cka-notes", env=NOW)
    assert again.returncode == 0 and "0 new" in again.stdout, again.stdout + again.stderr
    empty = tmp_path / "empty.md"
    empty.write_text("# Later\n", encoding="utf-8")
    assert run_cli("import", str(empty), "--deck", "later", env=NOW).returncode == 0
    shown = run_cli("cards", "--deck", "later", "--json", env=NOW)
    assert (shown.returncode, json.loads(shown.stdout)) == (0, [])
    assert run_cli("cards", "--deck", "nothing", env=NOW).returncode == 1


# check and import agree ---------------------------------------------------------------------------------

_WORD = st.sampled_from(["pod", "node", "etcd", "kubelet", "Service", "taint", "PVC", "CoreDNS", "로그", "노드"])
_TEXT = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)


@st.composite
def _block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["single", "reversed", "multi", "multi-reversed", "cloze", "custom", "code", "text",
                                 "heading", "schedule", "fsrs", "inline-fence"]))
    first, second = draw(_TEXT), draw(_TEXT)
    return {
        "single": f"{first}<single>{second}",
        "reversed": f"{first}<double>{second}",
        "multi": f"{first}\n?\n{second}",
        "multi-reversed": f"{first}\n??\n{second}",
        "cloze": f"{first} =={second}== end",
        "custom": f"{first} {{@{{{second}}}@}}",
        "code": f"{first}\n?\n```yaml\n{second}: 1\n\nother: 2\n```",
        "text": first,
        "heading": f"## {first}",
        "schedule": f"{first}<single>{second}\n<!--SR:!2026-02-01,3,250-->",
        "fsrs": f"{first}<single>{second}\n{FSRS}",
        "inline-fence": f"```{first}```",
    }[kind]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    blocks=st.lists(_block(), min_size=1, max_size=8),
    separators=st.sampled_from([("::", ":::"), (";;", ";;;")]),
    patterns=st.sampled_from([None, ["{@{[123;;]answer[;;hint]}@}"], ["==[123;;]answer[;;hint]==", "{@{answer}@}"]]),
    flashcards_only=st.booleans(),
)
def test_check_and_import_agree_on_the_card_count(
    blocks: list[str], separators: tuple[str, str], patterns: list[str] | None, flashcards_only: bool
) -> None:
    single, double = separators
    written = (block.replace("<single>", single).replace("<double>", double) for block in blocks)
    note = "# Note\n" + "\n\n".join(written) + "\n"
    plugin: dict[str, Any] = {"singleLineCardSeparator": single, "singleLineReversedCardSeparator": double}
    if patterns is not None:
        plugin["clozePatterns"] = patterns
    options = {"flashcards_only": True} if flashcards_only else {}
    with tempfile.TemporaryDirectory() as folder:
        vault = make_vault(Path(folder), Case("random", note, [], settings=plugin))
        source = transient_source(vault)
        checked = sum(len(deck.cards) for deck in source_decks(replace(source, options=options), problems=[]))
        home = Path(folder) / "home"
        home.mkdir()
        (home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
        opened = Collection.open(home, clock=FrozenClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)))
        try:
            opened.import_path(vault, options=options)
            imported = len(list(opened.store.cards()))
        finally:
            opened.close()
    assert checked == imported
