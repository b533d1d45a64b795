"""Exercises in notes: a task with its solution is a command or manifest card, in each shape repositories write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.decks.markdown import MarkdownOptions, parse_markdown
from ckaquiz.model import Card, CardKind
from tests.conftest import FIXTURES

TASKS = FIXTURES / "notes_tasks"
NOTE_OPTIONS = MarkdownOptions(topics=True)


def note_cards(name: str) -> list[Card]:
    path = TASKS / name
    deck = parse_markdown(path.read_text(encoding="utf-8"), name, options=NOTE_OPTIONS)
    assert deck.problems == ()
    return list(deck.cards)


def test_heading_task_with_folded_solution_is_a_command_card() -> None:
    cards = note_cards("core-concepts.md")
    assert [(card.kind, card.prompt, card.answer) for card in cards[:2]] == [
        (
            CardKind.COMMAND,
            "Start a pod called `cache` from the image `redis:7.2` in the namespace `tools`",
            "kubectl run cache --image=redis:7.2 -n tools",
        ),
        (
            CardKind.COMMAND,
            "Print the pod `cache` of the namespace `tools` as YAML",
            "kubectl get pod cache -n tools -o yaml",
        ),
    ]


def test_task_text_above_a_fold_is_the_prompt_and_every_command_the_answer() -> None:
    card = note_cards("core-concepts.md")[2]
    assert card.kind is CardKind.COMMAND
    assert card.prompt.startswith("Start a pod named `shell` from `busybox:1.36`")
    assert card.answer == "kubectl run shell --image=busybox:1.36 -- sleep 3600\nkubectl exec -it shell -- sh"


def test_folded_manifest_is_a_manifest_card_and_nothing_is_left_for_recall() -> None:
    cards = note_cards("core-concepts.md")
    assert len(cards) == 4  # the folds, summaries and blocks belong to the task cards
    manifest = cards[3]
    assert manifest.kind is CardKind.MANIFEST and manifest.prompt == "Give the pod `cache` a memory limit"
    assert manifest.answer.startswith("apiVersion: v1\nkind: Pod\n") and "memory: 256Mi" in manifest.answer
    assert manifest.fields["strict"] is False


def test_blockquote_task_and_question_take_the_block_under_them_and_notes_stay_recall() -> None:
    cards = note_cards("scheduling-drills.md")
    assert [(card.kind, card.answer) for card in cards if card.kind is CardKind.COMMAND] == [
        (CardKind.COMMAND, "kubectl taint nodes node01 maintenance=true:NoSchedule"),
        (CardKind.COMMAND, "kubectl uncordon node01"),
    ]
    commands = [card for card in cards if card.kind is CardKind.COMMAND]
    assert commands[0].prompt.startswith("Keep new pods off the node `node01`") and ">" not in commands[0].prompt
    assert commands[1].prompt == "How do you make `node01` schedulable again after maintenance?"
    # A statement above a block is a note with a command in it, not a task.
    (recall,) = [card for card in cards if card.kind is CardKind.RECALL]
    assert recall.key_points == (
        "Taints repel pods; tolerations let a pod accept a taint, they never attract it.",
        "kubectl describe node node01",
    )


def test_numbered_question_and_answer_headings_pair_up() -> None:
    cards = note_cards("mock-exam.md")
    assert [(card.kind, card.prompt) for card in cards] == [
        (CardKind.COMMAND, "네임스페이스 `dev`에 nginx:1.27 이미지로 `web` 디플로이먼트를 레플리카 3개로 만드세요."),
        (
            CardKind.MANIFEST,
            "Create a ClusterIP service `web` in `dev` that sends port 80 to the pods labelled `app=web`.",
        ),
    ]
    assert cards[0].answer == "kubectl create deployment web --image=nginx:1.27 --replicas=3 -n dev"
    assert "kind: Service" in cards[1].answer


@pytest.mark.parametrize(
    "text",
    [
        "# Notes\nSee the nodes:\n\n```bash\nkubectl get nodes\n```\nLabels pick nodes.\n",  # a note, not a task
        "# Q\nWhat is in the folder?\n\n```bash\nls /etc/kubernetes/manifests\n```\n",  # not kubectl
        "# Q\nWhat does this print?\n\n```python\nprint('kubectl get pods')\n```\n",  # not shell
        "# Q\n<details><summary>show</summary>\n\n```yaml\nname: web\n```\n</details>\n",  # not a manifest
    ],
)
def test_blocks_that_are_no_solutions_make_no_task_card(text: str) -> None:
    cards = parse_markdown(text, "n.md", options=NOTE_OPTIONS).cards
    assert all(card.kind is CardKind.RECALL for card in cards)


def test_plain_markdown_decks_are_read_as_before() -> None:
    text = (TASKS / "core-concepts.md").read_text(encoding="utf-8")
    assert {card.kind for card in parse_markdown(text, "core-concepts.md").cards} == {CardKind.RECALL}


def test_imported_task_cards_are_graded_by_their_kind(collection: Collection, tmp_path: Path) -> None:
    vault = tmp_path / "drills"
    shutil.copytree(TASKS, vault)
    _, report = collection.import_path(vault)
    assert report.problems == []
    kinds = [stored.card.kind for stored in collection.store.cards() if stored.card.deck == "drills"]
    assert kinds.count(CardKind.COMMAND) == 6 and kinds.count(CardKind.MANIFEST) == 2
    from ckaquiz.grading.commands import grade_command

    card = next(stored.card for stored in collection.store.cards() if stored.card.answer == "kubectl uncordon node01")
    assert grade_command("kubectl uncordon node01", card.answer).correct
    assert not grade_command("kubectl cordon node01", card.answer).correct
