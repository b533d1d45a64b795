"""The Markdown deck parser: sections, inline cards, and the code/comment rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckaquiz.decks.loader import load_deck_file
from ckaquiz.decks.markdown import parse_markdown
from ckaquiz.model import CardKind

FIXTURE = Path(__file__).parent / "fixtures" / "decks" / "scheduling.md"


def cards_of(text: str, path: str = "notes.md") -> list[tuple[str, str, str, int]]:
    deck = parse_markdown(text, path)
    return [(card.kind.value, card.prompt, card.answer, card.source.line) for card in deck.cards]


def test_fixture_deck_gives_exactly_these_cards() -> None:
    deck = load_deck_file(FIXTURE, display_path="scheduling.md")
    assert deck.name == "scheduling-notes"
    assert deck.problems == ()
    summary = [
        (card.kind.value, card.prompt, card.answer if card.kind is not CardKind.RECALL else "", card.source.line)
        for card in deck.cards
    ]
    assert summary == [
        ("recall", "scheduling", "", 6),
        ("recall", "Scheduling", "", 8),
        ("recall", "Scheduling › Taints", "", 14),
        ("basic", "Which taint effect evicts running pods?", "NoExecute", 15),
        ("basic", "Toleration", "lets a pod land on a tainted node", 16),
        ("basic", "lets a pod land on a tainted node", "Toleration", 16),
        ("basic", "What are the three taint effects?", "NoSchedule, PreferNoSchedule\nand NoExecute.", 18),
        ("cloze", "A taint is written [...] on the node. #taints", "key=value:effect", 23),
        ("cloze", "A taint is written key=value:effect on the [...]. #taints", "node", 23),
        ("recall", "Scheduling › Manual scheduling", "", 38),
        ("command", "Cordon node-1.", "kubectl cordon node-1", 39),
    ]
    taints = deck.cards[2]
    assert taints.key_points == (
        "A taint is written key=value:effect on the node. #taints",
        "NoSchedule · kept away · stay",
        "`inline::code` stays text, and so does `this`.",
    )
    assert deck.cards[1].key_points == (
        "The scheduler picks a node for each pending pod.",
        "Filtering removes nodes that cannot run the pod",
        "Scoring ranks the rest",
    )
    assert deck.cards[1].reference == "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/"
    assert deck.cards[3].reference == "https://kubernetes.io/docs/concepts/scheduling-eviction/"
    assert all(card.tags == ("cka", "cka/workloads-scheduling", "taints") for card in deck.cards)


def test_reversed_and_cloze_cards_are_siblings() -> None:
    deck = load_deck_file(FIXTURE)
    by_prompt = {card.prompt: card for card in deck.cards}
    assert by_prompt["Toleration"].sibling_key == by_prompt["lets a pod land on a tainted node"].sibling_key
    clozes = [card for card in deck.cards if card.kind is CardKind.CLOZE]
    assert len({card.sibling_key for card in clozes}) == 1
    assert [card.id.rsplit(":", 1)[1] for card in clozes] == ["c1", "c2"]


@pytest.mark.parametrize(
    "text",
    [
        "# T\n```\nq::a\n```\n",
        "# T\n~~~md\nq::a\n==x==\n~~~\n",
        "# T\n`q::a` and `==x==`\n",
        "# T\n<!-- q::a -->\n",
        "# T\n<!--\nq::a\n==x==\nquestion\n?\nanswer\n-->\n",
        "# T\n```\nquestion\n?\nanswer\n```\n",
    ],
)
def test_nothing_in_code_or_comments_is_a_card(text: str) -> None:
    kinds = [card.kind for card in parse_markdown(text, "x.md").cards]
    assert CardKind.BASIC not in kinds
    assert CardKind.CLOZE not in kinds


def test_a_section_with_only_code_is_still_a_recall_card() -> None:
    assert cards_of("# Manifest\n```yaml\nkind: Pod\n```\n") == [
        ("recall", "Manifest", "```yaml\nkind: Pod\n```", 1)
    ]


def test_double_question_mark_makes_both_directions() -> None:
    assert cards_of("# T\nfront line\n??\nback line\n") == [
        ("basic", "front line", "back line", 2),
        ("basic", "back line", "front line", 2),
    ]


def test_lone_question_mark_without_answer_is_text() -> None:
    assert cards_of("# T\nquestion\n?\n\nlater\n") == [("recall", "T", "question\n?\n\nlater", 1)]


def test_frontmatter_tags_as_string_and_inline_tags() -> None:
    deck = parse_markdown("---\ntags: 'one, #two three'\n---\n# T\nbody #four #123 and url http://x.io/a#frag\n", "x.md")
    assert deck.cards[0].tags == ("one", "two", "three", "four")


def test_broken_frontmatter_is_one_problem_and_the_rest_loads() -> None:
    deck = parse_markdown("---\ntags: [unclosed\n---\n# T\nstill here\n", "x.md")
    assert [str(problem) for problem in deck.problems] == [
        "x.md:2: frontmatter: YAML syntax error at column 16: expected ',' or ']', but got '<stream end>'"
    ]
    assert [card.prompt for card in deck.cards] == ["T"]


def test_crlf_and_bom_read_like_plain_text() -> None:
    plain = parse_markdown("# T\nq::a\n", "x.md")
    windows = parse_markdown("\ufeff# T\r\nq::a\r\n", "x.md")
    assert [card.id for card in plain.cards] == [card.id for card in windows.cards]


def test_ids_survive_reordering_sections_and_cards() -> None:
    first = parse_markdown("# A\none::1\ntwo::2\n# B\nthree::3\n", "x.md")
    second = parse_markdown("# B\nthree::3\n# A\ntwo::2 changed\none::1\n", "x.md")
    assert {card.prompt: card.id for card in first.cards} == {card.prompt: card.id for card in second.cards}


def test_two_identical_sections_get_distinct_ids() -> None:
    deck = parse_markdown("# Same\ntext\n# Same\ntext\n", "x.md")
    assert len({card.id for card in deck.cards}) == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    deck = parse_markdown(text, "x.md")
    assert all(card.id.startswith("x:") for card in deck.cards)


def test_a_one_line_fence_is_inline_code_and_the_cards_after_it_load() -> None:
    text = (
        "# Tips\n```kubectl get pods``` lists them\n\n"
        "Taint::marks a node so pods keep away\n==etcd== holds the state\n"
    )
    assert cards_of(text)[1:] == [
        ("basic", "Taint", "marks a node so pods keep away", 4),
        ("cloze", "[...] holds the state", "etcd", 5),
    ]


def test_a_fence_of_four_backticks_holds_a_line_of_three() -> None:
    text = "# T\n````md\n```\nq::a\n````\nafter::here\n"
    assert [card[1:] for card in cards_of(text) if card[0] == "basic"] == [("after", "here", 6)]


def test_a_fenced_block_inside_a_multiline_card_belongs_to_its_answer() -> None:
    text = (
        "# T\nWhat does this Pod ask for?\n?\nA CPU request:\n"
        "```yaml\nresources:\n\n  requests: {cpu: 250m}\n```\nof a quarter core\n\nlater text\n"
    )
    assert cards_of(text)[1:] == [
        (
            "basic",
            "What does this Pod ask for?",
            "A CPU request:\n```yaml\nresources:\n\n  requests: {cpu: 250m}\n```\nof a quarter core",
            2,
        )
    ]
    assert cards_of(text)[0] == ("recall", "T", "later text", 1)


def test_a_fenced_block_inside_a_multiline_question_belongs_to_it() -> None:
    text = "# T\nWhat kind is this?\n```yaml\nkind: Pod\n```\n?\nA Pod\n"
    assert cards_of(text) == [("basic", "What kind is this?\n```yaml\nkind: Pod\n```", "A Pod", 2)]


def test_a_fence_in_a_list_item_ends_with_the_item() -> None:
    text = "# T\n- step one\n  ```sh\n  kubectl drain node-1\n- step two::done\n"
    assert [card[1:] for card in cards_of(text) if card[0] == "basic"] == [("step two", "done", 5)]


def test_an_unclosed_fence_still_runs_to_the_end_of_the_file() -> None:
    text = "# T\n```\nq::a\n# Not a heading\n"
    assert cards_of(text) == [("recall", "T", "```\nq::a\n# Not a heading", 1)]


def test_a_fence_in_a_callout_is_code_as_obsidian_shows_it() -> None:
    text = "# T\n> [!example]\n> ```yaml\n> q::a\n> ```\n\nafter::here\n"
    assert [card[1:] for card in cards_of(text) if card[0] == "basic"] == [("after", "here", 7)]


def test_a_lone_surrogate_in_a_fence_is_read_like_any_character() -> None:
    assert cards_of("# T\n```\nx\ud800\n```\nq::a\n")[1:] == [("basic", "q", "a", 5)]
