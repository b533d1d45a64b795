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
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    deck = parse_markdown(text, "x.md")
    assert all(card.id.startswith("x:") for card in deck.cards)
