"""Blank-page recall scoring: normalisation rules, term matching, statuses, cut-offs, sentences."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckaquiz.coverage import (
    FUZZY_THRESHOLD,
    PARTIAL_THRESHOLD,
    RECALLED_THRESHOLD,
    STOP_WORD_WEIGHT,
    GradeCutoffs,
    PointResult,
    RecallScore,
    key_terms,
    normalise_text,
    score_recall,
)
from ckaquiz.model import Rating


def _point_score(point: str, recall: str, *, others: tuple[str, ...] = ()) -> float:
    """The score of `point` (scored on a card with `others` beside it) for `recall`."""
    return score_recall([point, *others], recall).points[0].score


# --------------------------------------------------------------------------- normalise_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # case
        ("KubeCtl GET Pods", "kubectl get pods"),
        ("ResourceQuota", "resourcequota"),
        # punctuation becomes a word boundary
        ("taint, toleration; affinity!", "taint toleration affinity"),
        ("(requests) / [limits]?", "requests limits"),
        ("kube-apiserver --enable-admission-plugins", "kube apiserver enable admission plugins"),
        ("1,000,000 bytes and 0.1 cpu", "1,000,000 bytes and 0.1 cpu"),
        # Markdown markup
        ("**kubelet** runs `static pods`", "kubelet runs static pods"),
        ("==NoExecute== evicts", "noexecute evicts"),
        ("[[CKA/Scheduling|the scheduler]] binds", "the scheduler binds"),
        ("see [[03 - Tags/2025-03]]", "see 2025 03"),
        ("[docs](https://kubernetes.io/docs/) say", "docs say"),
        ("- [x] item one", "item one"),
        ("static pod · kubelet | DaemonSet", "static pod kubelet daemonset"),
        ("~~old~~ __new__", "old new"),
        ("**네임스페이스별로 동작**한다", "네임스페이스별로 동작한다"),
        # full-width and half-width forms
        ("ｋｕｂｅｃｔｌ　ｇｅｔ　ｐｏｄｓ", "kubectl get pods"),
        ("１Ｇｉ メモリ", "1gi メモリ"),
        ("ﾒﾓﾘ", "メモリ"),
        # decomposed (NFD) Hangul becomes composed (NFC)
        (unicodedata.normalize("NFD", "스케줄러가 노드를"), "스케줄러가 노드를"),
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


def test_normalise_text_is_idempotent() -> None:
    once = normalise_text("**Static** `staticPodPath`로, ＡＢＣ [[x|별칭]]")
    assert normalise_text(once) == once


# --------------------------------------------------------------------------- key_terms


@pytest.mark.parametrize(
    ("inflected", "plain"),
    [
        ("pods", "pod"),
        ("nodes", "node"),
        ("policies", "policy"),
        ("classes", "class"),
        ("created", "create"),
        ("creates", "creating"),
        ("running", "run"),
        ("stopped", "stop"),
        ("evicted", "evicts"),
        ("scheduled", "schedule"),
        ("applied", "apply"),
        ("dynamically", "dynamic"),
        ("Queues", "queue"),
    ],
)
def test_english_inflections_share_a_term(inflected: str, plain: str) -> None:
    assert key_terms(inflected) == key_terms(plain)


@pytest.mark.parametrize(
    ("different", "other"),
    [("pod", "port"), ("ingress", "egress"), ("limits", "limitrange"), ("status", "state")],
)
def test_distinct_english_words_stay_distinct(different: str, other: str) -> None:
    assert key_terms(different) != key_terms(other)


@pytest.mark.parametrize(
    ("with_particle", "bare"),
    [
        ("스케쥴러가", "스케쥴러"),
        ("스케쥴러는", "스케쥴러"),
        ("볼륨은", "볼륨"),
        ("볼륨이", "볼륨"),
        ("볼륨을", "볼륨"),
        ("볼륨를", "볼륨"),
        ("노드에", "노드"),
        ("노드에서", "노드"),
        ("노드에서는", "노드"),
        ("볼륨으로", "볼륨"),
        ("노드로", "노드"),
        ("파드의", "파드"),
        ("파드와", "파드"),
        ("볼륨과", "볼륨"),
        ("파드도", "파드"),
        ("파드만", "파드"),
        ("노드까지", "노드"),
        ("노드부터", "노드"),
        ("노드에게", "노드"),
        ("노드한테", "노드"),
        ("볼륨이나", "볼륨"),
        ("노드나", "노드"),
        ("노드랑", "노드"),
        ("볼륨이랑", "볼륨"),
        ("파드들", "파드"),
        ("네임스페이스별로", "네임스페이스"),
        ("요청당", "요청"),
    ],
)
def test_korean_particles_are_stripped(with_particle: str, bare: str) -> None:
    assert key_terms(with_particle) == key_terms(bare)


@pytest.mark.parametrize(
    ("with_ending", "bare"),
    [
        ("설정한다", "설정"),
        ("실행된다", "실행"),
        ("설정하다", "설정"),
        ("설정함", "설정"),
        ("실행됨", "실행"),
        ("설정해서", "설정"),
        ("설정하여", "설정"),
        ("설정하면", "설정"),
        ("저장소이다", "저장소"),
        ("저장소입니다", "저장소"),
        ("설정해야한다", "설정"),
        ("배치가능", "배치"),
        ("배치 가능", "배치"),
        ("설정되어있다", "설정"),
        ("실행했다", "실행"),
    ],
)
def test_korean_endings_are_stripped(with_ending: str, bare: str) -> None:
    assert key_terms(with_ending) == key_terms(bare)


@pytest.mark.parametrize("function_word", ["있다", "없다", "하다", "한다", "가능", "함", "됨", "이다"])
def test_korean_function_words_are_not_terms(function_word: str) -> None:
    assert key_terms(function_word) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # particles and endings glued to an English word go, the word stays
        ("kubelet이", ["kubelet"]),
        ("`staticPodPath`로", ["staticpodpath"]),
        ("drain한다", ["drain"]),
        ("PVC에서는", ["pvc"]),
        ("cordon하고", ["cordon"]),
        # a noun glued to an English word stays a noun
        ("staticPod경로", ["staticpod", "path"]),
        # stems that end in a particle's syllable keep it
        ("속도", ["속도"]),
        ("다른", ["다르"]),  # kept whole, then read as its root: 다른 and 다르다 share 다르
        ("큐를", ["queu"]),  # stemmed like "queue"
    ],
)
def test_korean_attached_to_english_and_short_stems(text: str, expected: list[str]) -> None:
    assert key_terms(text) == expected


@pytest.mark.parametrize(
    ("korean", "english"),
    [("파드", "pod"), ("노드를", "nodes"), ("스케줄러가", "scheduler"), ("스케쥴러는", "scheduler"), ("경로", "path"),
     ("드라이버를", "driver")],
)
def test_korean_transliterations_match_english(korean: str, english: str) -> None:
    assert key_terms(korean) == key_terms(english)


def test_key_terms_keep_order_and_drop_stop_words() -> None:
    # `etc` is an English stop word ("et cetera"), also inside a path
    assert key_terms("The **kubelet** watches the `/etc/kubernetes/manifests` folder") == [
        "kubelet",
        "watch",
        "kubernet",
        "manifest",
        "folder",
    ]


@pytest.mark.parametrize(("number_word", "digits"), [("six", "6"), ("three AZs", "3 AZs"), ("fifteen", "15")])
def test_number_words_match_digits(number_word: str, digits: str) -> None:
    assert key_terms(number_word) == key_terms(digits)


# --------------------------------------------------------------------------- term matching


@pytest.mark.parametrize(
    ("point", "recall"),
    [
        # camelCase and PascalCase names match their words written apart, and the reverse
        ("Set `staticPodPath` in the file", "set static pod path in the file"),
        ("A `LoadBalancer` service", "a load balancer service"),
        ("A load balancer service", "a LoadBalancer service"),
        # flags, paths and units
        ("`--enable-admission-plugins` flag", "enable-admission-plugins flag"),
        ("`/etc/kubernetes/manifests` folder", "etc kubernetes manifests folder"),
        ("limit of `1Gi`", "limit 1 Gi"),
        # acronyms against the words they stand for, both ways
        ("three availability zones", "3 AZs"),
        ("a dead-letter queue", "a DLQ"),
        ("`PersistentVolumeClaim` binds", "PVC binds"),
        ("a DLQ", "a dead letter queue"),
        # Korean particles and mixed scripts
        ("스케줄러는 파드를 노드에 배치한다", "스케쥴러가 파드를 노드에 배치함"),
        ("taint는 노드에 설정", "taint를 노드에다 설정하면"),
    ],
)
def test_recall_matches_point(point: str, recall: str) -> None:
    assert _point_score(point, recall) >= RECALLED_THRESHOLD


@pytest.mark.parametrize(
    ("point", "recall"),
    [
        ("authentication", "authentification"),
        ("NamespaceLifecycle", "NamespaceLifecyle"),
        ("provisioner", "provisoner"),
        ("Retain", "Retian"),
        ("오토스케일링", "오토스케일닝"),
    ],
)
def test_typos_in_long_terms_earn_fuzzy_credit(point: str, recall: str) -> None:
    score = _point_score(point, recall)
    assert FUZZY_THRESHOLD / 100 <= score < 1.0


@pytest.mark.parametrize(
    ("point", "recall"),
    [
        ("pod", "pad"),  # short words differ by one letter
        ("role", "rule"),
        ("노드", "코드"),  # two syllables
        ("경로", "경고"),
        ("30000", "30001"),  # numbers match exactly or not at all
        ("node01", "node02"),
        ("persistentvolumeclaim", "persistentvolume"),  # a prefix is no typo
        ("mutating", "validating"),
    ],
)
def test_short_terms_numbers_and_other_words_get_no_fuzzy_credit(point: str, recall: str) -> None:
    assert _point_score(point, recall) < PARTIAL_THRESHOLD


def test_camel_case_parts_earn_credit_by_their_weight() -> None:
    points = ("`staticPodPath` names the folder", "static pod mirror", "static pod kubelet")
    # `static` and `pod` are in every point, so they are little of `staticPodPath`
    assert _point_score(points[0], "static pod folder", others=points[1:]) < RECALLED_THRESHOLD
    assert _point_score(points[0], "static pod path names the folder", others=points[1:]) == pytest.approx(1.0)


def test_stop_words_weigh_little() -> None:
    point = "the scheduler is a component of the control plane"
    assert _point_score(point, "the is a of the") < 0.1
    assert _point_score(point, "scheduler component control plane") > 0.95
    assert STOP_WORD_WEIGHT < 0.1


@pytest.mark.parametrize("stop_word", ["따라서", "그리고", "해당", "것", "수"])
def test_korean_stop_words_are_not_key_terms(stop_word: str) -> None:
    assert key_terms(stop_word) == []


@pytest.mark.parametrize(
    "stop_words",
    ["the a is it with", "것 수 있다 하다", "그리고 그냥 해당"],
)
def test_stop_words_alone_do_not_recall(stop_words: str) -> None:
    point = "the kubelet is a node agent with 것 수 있다 그리고 그냥 해당 하다"
    assert _point_score(point, stop_words) < PARTIAL_THRESHOLD


def test_words_in_every_point_weigh_less_than_words_in_one() -> None:
    points = ("static pod kubelet", "static pod mirror", "static pod manifest")
    topic_only = _point_score(points[0], "static pod", others=points[1:])
    distinctive = _point_score(points[0], "kubelet", others=points[1:])
    assert topic_only < PARTIAL_THRESHOLD <= RECALLED_THRESHOLD <= distinctive


# --------------------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    ("recall", "score", "status"),
    [
        ("alpha bravo charlie delta echo", 1.0, "recalled"),
        ("alpha bravo charlie", 0.6, "recalled"),
        ("alpha bravo", 0.4, "partial"),
        ("alpha", 0.2, "missed"),
        ("zulu", 0.0, "missed"),
    ],
)
def test_point_status_follows_thresholds(recall: str, score: float, status: str) -> None:
    result = score_recall(["alpha bravo charlie delta echo"], recall).points[0]
    assert result.score == pytest.approx(score)
    assert result.status == status


def test_threshold_constants() -> None:
    assert (RECALLED_THRESHOLD, PARTIAL_THRESHOLD) == (0.6, 0.3)


def test_coverage_counts_partial_points_partially() -> None:
    points = ["alpha bravo charlie delta echo", "foxtrot golf hotel india juliet"]
    result = score_recall(points, "alpha bravo charlie delta echo. foxtrot golf hotel")
    # weights differ per point only through IDF, and no term is shared, so both points are even
    assert [point.status for point in result.points] == ["recalled", "recalled"]
    half = score_recall(points, "alpha bravo charlie delta echo. foxtrot")
    assert half.points[1].status == "missed"
    assert half.coverage == pytest.approx((1.0 + 0.2 / RECALLED_THRESHOLD) / 2)


# --------------------------------------------------------------------------- cut-offs


@pytest.mark.parametrize(
    ("coverage", "rating"),
    [
        (0.0, Rating.AGAIN),
        (0.37, Rating.AGAIN),
        (0.38, Rating.HARD),
        (0.69, Rating.HARD),
        (0.7, Rating.GOOD),
        (0.91, Rating.GOOD),
        (0.92, Rating.EASY),
        (1.0, Rating.EASY),
    ],
)
def test_default_cutoffs(coverage: float, rating: Rating) -> None:
    assert GradeCutoffs().suggest(coverage) is rating


@pytest.mark.parametrize(
    ("coverage", "rating"),
    [(0.2, Rating.AGAIN), (0.3, Rating.HARD), (0.5, Rating.GOOD), (0.8, Rating.EASY)],
)
def test_custom_cutoffs(coverage: float, rating: Rating) -> None:
    assert GradeCutoffs(again_below=0.3, hard_below=0.5, good_below=0.8).suggest(coverage) is rating


@pytest.mark.parametrize(
    "values",
    [(0.5, 0.4, 0.9), (0.4, 0.9, 0.7), (-0.1, 0.5, 0.9), (0.4, 0.7, 1.5)],
)
def test_cutoffs_out_of_order_are_rejected(values: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError, match="cut-offs"):
        GradeCutoffs(*values)


def test_score_recall_uses_the_given_cutoffs() -> None:
    points = ["alpha bravo charlie delta echo", "foxtrot golf hotel india juliet"]
    recall = "alpha bravo charlie delta echo"
    assert score_recall(points, recall).suggested is Rating.HARD
    lenient = GradeCutoffs(again_below=0.2, hard_below=0.3, good_below=0.5)
    assert score_recall(points, recall, cutoffs=lenient).suggested is Rating.EASY


def test_cutoffs_to_dict() -> None:
    assert GradeCutoffs().to_dict() == {"again_below": 0.38, "hard_below": 0.7, "good_below": 0.92}


# --------------------------------------------------------------------------- unmatched sentences

_TAINT_POINTS = [
    "A taint is set on a node; a toleration is set on a pod",
    "Control plane nodes carry `node-role.kubernetes.io/control-plane:NoSchedule`",
    "`NoExecute` also evicts running pods that do not tolerate the taint",
    "taint는 노드에 설정하고 toleration은 파드에 설정한다",
]


@pytest.mark.parametrize(
    ("recall", "unmatched"),
    [
        ("Taints go on nodes. I had pizza for lunch today.", ["I had pizza for lunch today."]),
        ("NoExecute evicts pods!\nAurora has fifteen read replicas?", ["Aurora has fifteen read replicas?"]),
        # Korean sentences end in 다/함/됨 without a full stop
        ("taint는 노드에 설정함 점심은 김밥을 먹었다", ["점심은 김밥을 먹었다"]),
        ("Taints go on nodes。오늘은 비가 왔다", ["오늘은 비가 왔다"]),
        # dotted names and decimals do not end a sentence
        ("taint node-role.kubernetes.io/control-plane on the node", []),
        # sentences with no content words are never reported
        ("taints go on nodes. ok. 음.", []),
    ],
)
def test_unmatched_sentences(recall: str, unmatched: list[str]) -> None:
    assert list(score_recall(_TAINT_POINTS, recall).unmatched) == unmatched


def test_unmatched_sentences_keep_the_learners_text() -> None:
    recall = "ＡＷＳ Lambda doesn't fit here."
    assert score_recall(_TAINT_POINTS, recall).unmatched == (recall,)


# --------------------------------------------------------------------------- empty inputs


@pytest.mark.parametrize("recall", ["", "   ", "\n\n", "...", "**"])
def test_empty_recall_is_again(recall: str) -> None:
    result = score_recall(_TAINT_POINTS, recall)
    assert result.coverage == 0.0
    assert result.suggested is Rating.AGAIN
    assert [point.status for point in result.points] == ["missed"] * len(_TAINT_POINTS)
    assert result.unmatched == ()


def test_no_key_points_is_coverage_zero_and_every_sentence_unmatched() -> None:
    result = score_recall([], "Taints go on nodes. Tolerations go on pods.")
    assert result == RecallScore(
        coverage=0.0,
        suggested=Rating.AGAIN,
        points=(),
        unmatched=("Taints go on nodes.", "Tolerations go on pods."),
    )


def test_nothing_at_all() -> None:
    assert score_recall([], "") == RecallScore(0.0, Rating.AGAIN, (), ())


def test_points_without_terms_are_left_out_of_coverage() -> None:
    result = score_recall(["---", "kubelet creates static pods"], "the kubelet creates static pods")
    assert result.points[0] == PointResult("---", 0.0, "missed")
    assert result.coverage == 1.0


# --------------------------------------------------------------------------- to_dict


def test_to_dict_is_json_ready() -> None:
    result = score_recall(_TAINT_POINTS, "Taints are set on nodes and tolerations on pods. Lunch was pizza.")
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"coverage", "suggested", "points", "unmatched"}
    assert data["coverage"] == round(result.coverage, 3)
    assert data["suggested"] == result.suggested.label
    assert [point["text"] for point in data["points"]] == _TAINT_POINTS
    assert all(set(point) == {"text", "score", "status"} for point in data["points"])
    assert data["unmatched"] == ["Lunch was pizza."]


def test_point_result_to_dict_rounds_the_score() -> None:
    assert PointResult("x", 0.123456, "missed").to_dict() == {"text": "x", "score": 0.123, "status": "missed"}


# --------------------------------------------------------------------------- whole cards


def test_mixed_language_card() -> None:
    points = [
        "static pod는 **kubelet**이 매니페스트 파일을 보고 직접 만든다",
        "매니페스트 경로는 kubelet 설정 파일의 `staticPodPath`로 지정한다",
        "스케줄러는 static pod를 무시한다",
    ]
    recall = "kubelet이 manifest 파일로 static pod를 직접 만듦. staticPodPath로 경로 지정. 스케쥴러는 무시함."
    complete = score_recall(points, recall)
    assert complete.suggested is Rating.EASY
    partial = score_recall(points, "kubelet이 직접 만든다")
    assert partial.suggested in (Rating.AGAIN, Rating.HARD)


# --------------------------------------------------------------------------- never raises

_LATIN_PIECES = ("a", "X", " ", "kubelet", "staticPodPath", "PVCs", "0", "1.5", "é", "ß", "İ")
_HANGUL_PIECES = ("가", "는", "을", "에서", "스케줄러", "한다", "\u1100\u1161", "ﾒ", "ＡＢ１")
_MARKUP_PIECES = ("`", "**", "==", "[[", "|", "]]", "·", ".", "。", "!", "\n", "-", "_", "/", ":")
_MIXED_PIECES = st.sampled_from([*_LATIN_PIECES, *_HANGUL_PIECES, *_MARKUP_PIECES])
_MIXED_TEXT = st.lists(_MIXED_PIECES, max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(points=st.lists(st.text(max_size=80), max_size=6), recall=st.text(max_size=200))
def test_arbitrary_text_never_raises(points: list[str], recall: str) -> None:
    _assert_well_formed(score_recall(points, recall), len(points))


@settings(max_examples=150, deadline=None)
@given(
    points=st.lists(_MIXED_TEXT, max_size=6),
    recall=_MIXED_TEXT,
)
def test_arbitrary_mixed_notes_never_raise(points: list[str], recall: str) -> None:
    _assert_well_formed(score_recall(points, recall), len(points))


def _assert_well_formed(result: RecallScore, point_count: int) -> None:
    assert 0.0 <= result.coverage <= 1.0
    assert len(result.points) == point_count
    assert all(0.0 <= point.score <= 1.0 for point in result.points)
    assert all(point.status in ("recalled", "partial", "missed") for point in result.points)
    assert result.suggested is GradeCutoffs().suggest(result.coverage)
    json.dumps(result.to_dict())


@pytest.mark.parametrize(
    ("note", "recall"),
    [
        ("멤버 세 개면 한 개의 장애를 견딘다", "세개면 한개 장애까지 견딜 수 있다"),
        ("다섯 개의 멤버", "멤버 5개"),
        ("스태틱 파드는 kubelet이 만든다", "스태틱파드는 kubelet이 만든다"),
        ("모든 노드에 파드를 하나씩 둔다", "모든노드에 파드를 하나씩 둔다"),
        ("Requests are used by the scheduler", "요청은 스케줄러가 쓴다"),
        ("A volume in another Availability Zone", "다른 가용 영역의 볼륨"),
        ("짝수 멤버는 장애 수를 늘리지 않는다", "짝수로 늘려도 장애 수는 같다"),
    ],
)
def test_spacing_numerals_roots_and_the_other_language_match(note: str, recall: str) -> None:
    assert score_recall([note], recall).points[0].status == "recalled"


def test_a_korean_compound_does_not_match_an_unrelated_point() -> None:
    assert score_recall(["ResourceQuota는 네임스페이스 전체 합계를 제한한다"], "스태틱파드는 kubelet이 만든다").coverage < 0.3
