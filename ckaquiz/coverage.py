"""Blank-page recall scoring: how much of a card's key points a learner's free text covers.

The learner writes everything they remember about a topic; `score_recall` compares that text
with the card's key points (list items, table rows, paragraph lines) and returns, for every
point, a score in 0..1 and a status, the card's coverage, a suggested `Rating` and the
sentences of the recall that match no point.

Matching is lexical and works on *key terms*:

* Text is normalised first: Unicode NFKC (full-width and half-width forms fold to one) and NFC
  (so decomposed Hangul matches composed Hangul), case folding, Markdown markup removed
  (`**bold**`, `` `code` ``, `==highlight==`, `[[target|alias]]`, links, list and table
  markers, URLs), and punctuation treated as a word boundary.
* English words go through a light stemmer (plurals, -ed, -ing, -ly, a final -e), so
  `created`, `creates` and `create` are one term; number words match digits (`six` = `6`).
  camelCase and PascalCase names keep their parts, so `staticPodPath` is also found as
  "static pod path" (parts earn credit by their own weight); words written apart in the
  recall are joined, so "load balancer" finds `LoadBalancer`; and acronyms meet the words
  they stand for in either direction (`AZs` = "availability zones", `PVC` =
  `PersistentVolumeClaim`).
* Korean words lose attached particles (은/는/이/가/을/를/에/에서/으로/로/...) and verb or
  adjective endings (한다/된다/하다/함/됨/해서/하면/이다/있다/가능/...), keeping a stem of at
  least one syllable (two for the shortest endings), so `스케줄러가`, `스케줄러는` and
  `스케줄러` are one term. Particles glued to an English word go too (`kubelet이`). A small
  table maps common Korean transliterations to their English term (`파드` = `pod`).
* A term of at least `FUZZY_MIN_LENGTH` letters (Hangul: `FUZZY_MIN_SYLLABLES` syllables,
  compared letter by letter as jamo) with no exact match may match a recall term of about
  the same length with `rapidfuzz.fuzz.ratio` >= `FUZZY_THRESHOLD`, earning ratio / 100 of
  its weight. Terms with digits (`1Gi`, `30000`, `node01`) match exactly or not at all.
* A term's weight is an IDF computed over the card's own points and scaled so that a term of
  a single point weighs 1: words found in almost every point (the topic's name) weigh
  little. Built-in stop words of both languages weigh `STOP_WORD_WEIGHT`; technical terms
  (code, bold or highlighted spans, camelCase, ALLCAPS, flags, paths, numbers, dotted names)
  weigh `TECHNICAL_TERM_BOOST` times more.

A recall sentence ends at a line break, at . ! ? followed by a space, at 。 ！ ？, or after a
Korean ending (다/요/함/됨/임) followed by a space. It is *unmatched* when no single point
holds at least `SENTENCE_MATCH_THRESHOLD` of its content terms.

Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from ckaquiz.markup import MARKDOWN_LINK, URL, WIKILINK
from ckaquiz.model import Rating
from ckaquiz.sentences import sentences as split_sentences
from ckaquiz.text import compatibility_form

__all__ = [
    "FUZZY_MAX_LENGTH_GAP",
    "FUZZY_MIN_LENGTH",
    "FUZZY_MIN_SYLLABLES",
    "FUZZY_THRESHOLD",
    "PARTIAL_THRESHOLD",
    "RECALLED_THRESHOLD",
    "SENTENCE_MATCH_THRESHOLD",
    "STOP_WORD_WEIGHT",
    "TECHNICAL_TERM_BOOST",
    "GradeCutoffs",
    "PointResult",
    "RecallScore",
    "key_terms",
    "normalise_text",
    "score_recall",
]

RECALLED_THRESHOLD = 0.6
"""A point whose score is at least this is `recalled` and counts as fully covered."""

PARTIAL_THRESHOLD = 0.3
"""A point scoring at least this (and below `RECALLED_THRESHOLD`) is `partial`; below, `missed`."""

FUZZY_THRESHOLD = 80.0
"""Lowest `rapidfuzz.fuzz.ratio` (0-100) for a typo match: one slip in 5 letters, two in 10."""

FUZZY_MIN_LENGTH = 5
"""Latin terms shorter than this never match fuzzily: short words differ by one letter."""

FUZZY_MIN_SYLLABLES = 3
"""Hangul terms shorter than this many syllables never match fuzzily (경로/경고 must differ)."""

FUZZY_MAX_LENGTH_GAP = 2
"""A typo match may differ in length by at most this: `staticPod` is no typo of `staticPodPath`."""

STOP_WORD_WEIGHT = 0.05
"""Weight of a built-in stop word (`the`, `is`, `것`, `수` ...); a term of only one point weighs 1."""

TECHNICAL_TERM_BOOST = 1.5
"""Weight factor for technical terms (names, flags, numbers): the facts a note is written to keep."""

SENTENCE_MATCH_THRESHOLD = 1 / 3

SATURATION_TERMS = 6
"""A point counts as fully recalled at the weight of its heaviest SATURATION_TERMS terms."""
"""A recall sentence is in the notes when some point holds this share of its content terms."""

# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class GradeCutoffs:
    """Coverage cut-offs that turn a card's coverage into a suggested rating.

    Coverage below `again_below` suggests Again, below `hard_below` Hard, below `good_below`
    Good, and anything else Easy.
    """

    again_below: float = 0.38
    hard_below: float = 0.7
    good_below: float = 0.92

    def __post_init__(self) -> None:
        if not 0.0 <= self.again_below <= self.hard_below <= self.good_below <= 1.0:
            raise ValueError("grade cut-offs must satisfy 0 <= again_below <= hard_below <= good_below <= 1")

    def suggest(self, coverage: float) -> Rating:
        """The rating suggested for a coverage between 0 and 1."""
        if coverage < self.again_below:
            return Rating.AGAIN
        if coverage < self.hard_below:
            return Rating.HARD
        if coverage < self.good_below:
            return Rating.GOOD
        return Rating.EASY

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the cut-offs."""
        return {
            "again_below": self.again_below,
            "hard_below": self.hard_below,
            "good_below": self.good_below,
        }


@dataclass(frozen=True)
class PointResult:
    """How well the recall covers one key point: a score in 0..1 and its status."""

    text: str
    score: float
    status: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the result, the score rounded to 3 places."""
        return {"text": self.text, "score": round(self.score, 3), "status": self.status}


@dataclass(frozen=True)
class RecallScore:
    """The result of comparing a blank-page recall with a card's key points."""

    coverage: float
    suggested: Rating
    points: tuple[PointResult, ...]
    unmatched: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view: coverage rounded to 3 places, the rating by its label."""
        return {
            "coverage": round(self.coverage, 3),
            "suggested": self.suggested.label,
            "points": [point.to_dict() for point in self.points],
            "unmatched": list(self.unmatched),
        }


# --------------------------------------------------------------------------- word lists


def _words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a word list written as one string."""
    return tuple(text.split())


_ENGLISH_STOP_WORDS = frozenset(
    _words(
        """
        a about after all also am an and any are as at be been before being both but by can could did do
        does doing done each either else etc even ever every for from get gets got had has have having he
        her here him his how i if in into is isn it its itself just let like may me might more most much
        must my no nor not of off on once only or other our out over own per same she should so some such
        than that the their them then there these they this those though through to too under until up upon
        us very via was we were what when where whether which while who whom whose why will with within
        without would yes yet you your ok okay think thing things stuff really maybe sure something go goes
        went gone make makes made making need needs needed use uses used using want way lot lots kind
        """
    )
)

# Contractions are expanded before tokens are cut: `doesn't` -> `does not`, `queue's` -> `queue`.
_CONTRACTION = re.compile(r"(?i)(?<=[a-z])(n't|'s|'re|'ll|'ve|'d|'m)\b")
_CONTRACTION_EXPANSION = {"n't": " not", "'s": "", "'re": "", "'ll": "", "'ve": "", "'d": "", "'m": ""}

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven"
            " twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}

# Korean words that carry no fact of their own once particles and endings are gone.
_KOREAN_STOP_WORDS = frozenset(
    _words(
        """
        것 수 등 때 및 더 또 그 이 저 거 건 걸 게 좀 잘 안 못 다 또는 그리고 하지만 그래서
        따라서 그러면 그런데 그냥 해당 같은 같이 경우 위해 위한 통해 대해 대한 있 없 하 되 뭐
        어떤 이런 저런 그런 듯 거의 아마 나 너 우리 제 내 이것 그것 저것 여기 거기 뭔가 정도
        기억 생각 아 음 어 네 예 응 사용 만들 만든 만드 만들어 쓰 쓴 쓰는 써
        """
    )
)

# Particles (josa). Stripped from the end of a Korean word, longest first, again and again.
_KOREAN_PARTICLES = _words(
    """
    에서부터 에게서 에서는 에서도 으로는 으로도 으로서 으로써 이라서 이라고 이랑은 까지는 부터는
    에서 에게 한테 으로 까지 부터 이나 이랑 처럼 보다 마다 에는 에도 에선 에만 로는 로도
    로서 로써 라서 라고 이며 이고 이든 든지 은 는 이 가 을 를 에 로 의 와 과 도 만 나
    랑 엔 들 께 야 별로 별 끼리 씩 당
    """
)

# Verb, adjective and copula endings, including the 하다/되다 forms that turn a noun into a verb.
_KOREAN_ENDINGS = _words(
    """
    되어있다 되어있음 되어야함 해야한다 해야하고 해줘야함 해줘야한다 할수있다 될수있다 합니다
    됩니다 입니다 습니다 였습니다 했습니다 되었다 하였다 이었다 해준다 해주면 해주는 해줘야
    해야함 해야만 되어야 한다 된다 하다 되다 이다 있다 없다 했다 됐다 였다 었다 았다 시킨다
    시킴 시켜 하여 해서 되어 돼서 하면 되면 이면 하고 되고 하는 되는 있는 없는 했던 하던
    하지 되지 해도 돼도 하며 되며 해야 해줌 해줘 했음 됐음 있음 없음 하게 되게 가능 불가 함
    됨 임 해 돼 한 된 할 될 면 며 고 게 지 다 요
    """
)

# Endings that are too short to strip from a stem of one syllable (다른, 무게, 요지 ...).
_KOREAN_WEAK_ENDINGS = frozenset(_words("면 며 고 게 지 다 요 한 된 할 될 해 돼 나 야 께"))

# Nouns that end in a particle's syllable but must keep it (경로 is not 경 + 로).
_KOREAN_PROTECTED = frozenset(
    _words("속도 결과 추가 정의 차이 효과 정도 이미지 사이 하나 자체 로그인 도메인 주기 모두")
)

_LONGEST_KOREAN_WORD = 30

_KOREAN_SUFFIXES = tuple(sorted(set(_KOREAN_PARTICLES) | set(_KOREAN_ENDINGS), key=len, reverse=True))
_KOREAN_FUNCTION_WORDS = frozenset(_KOREAN_SUFFIXES)

# Common Korean transliterations and translations of the English terms notes mix them with.
_KOREAN_ALIASES = {
    "파드": "pod",
    "포드": "pod",
    "노드": "node",
    "스케줄러": "scheduler",
    "스케쥴러": "scheduler",
    "스케줄링": "scheduling",
    "스케쥴링": "scheduling",
    "서비스": "service",
    "네임스페이스": "namespace",
    "컨테이너": "container",
    "클러스터": "cluster",
    "컨트롤러": "controller",
    "컨트롤": "control",
    "플레인": "plane",
    "시크릿": "secret",
    "인그레스": "ingress",
    "데몬셋": "daemonset",
    "디플로이먼트": "deployment",
    "레플리카셋": "replicaset",
    "레플리카": "replica",
    "볼륨": "volume",
    "큐": "queue",
    "토픽": "topic",
    "웹훅": "webhook",
    "플러그인": "plugin",
    "매니페스트": "manifest",
    "라벨": "label",
    "레이블": "label",
    "셀렉터": "selector",
    "스냅샷": "snapshot",
    "드라이버": "driver",
    "엔드포인트": "endpoint",
    "로드밸런서": "loadbalancer",
    "캐시": "cache",
    "리전": "region",
    "메시지": "message",
    "필터": "filter",
    "미러": "mirror",
    "프로필": "profile",
    "이벤트": "event",
    "로그": "log",
    "워커": "worker",
    "마스터": "master",
    "업그레이드": "upgrade",
    "버전": "version",
    "롤": "role",
    "바인딩": "binding",
    "데이터베이스": "database",
    "모니터링": "monitoring",
    "에이전트": "agent",
    "플래그": "flag",
    "어피니티": "affinity",
    "톨러레이션": "toleration",
    "테인트": "taint",
    "쿼터": "quota",
    "리소스": "resource",
    "디렉터리": "directory",
    "디렉토리": "directory",
    "파일": "file",
    "경로": "path",
    "스토리지": "storage",
    "프로비저닝": "provisioned",
    "온디맨드": "ondemand",
    "팬아웃": "fanout",
    "포트": "port",
    "스로틀링": "throttling",
    "인증서": "certificate",
    "컨피그맵": "configmap",
}

# Korean words for the English terms of Kubernetes and AWS notes, after the Korean Kubernetes
# documentation's glossary (요청 request, 제한 limit, 인증 authentication ...): either language
# of a note then matches the other in a recall.
_KOREAN_TRANSLATIONS = {
    "요청": "request",
    "요청량": "request",
    "제한": "limit",
    "상한": "limit",
    "인증": "authentication",
    "인가": "authorization",
    "거부": "reject",
    "허용": "allow",
    "권한": "permission",
    "범위": "scope",
    "대상": "subject",
    "사용자": "user",
    "그룹": "group",
    "서비스어카운트": "serviceaccount",
    "증분": "incremental",
    "저장": "store",
    "가용": "availability",
    "영역": "zone",
    "비용": "cost",
    "성능": "performance",
    "복원": "restore",
    "처음": "first",
    "읽기": "read",
    "쓰기": "write",
    "보존": "retention",
    "기간": "period",
    "구독자": "subscriber",
    "구독": "subscription",
    "발행": "publish",
    "소비자": "consumer",
    "순서": "order",
    "중복": "duplicate",
    "가중치": "weight",
    "연산자": "operator",
    "중단": "downtime",
    "이전": "previous",
    "리비전": "revision",
    "롤아웃": "rollout",
    "템플릿": "template",
    "전용": "only",
    "삭제": "delete",
    "생성": "create",
    "배치": "place",
    "실행": "run",
    "외부": "external",
    "내부": "internal",
    "프록시": "proxy",
    "가상": "virtual",
    "주소": "address",
    "목록": "list",
    "백엔드": "backend",
    "과반수": "majority",
    "쿼럼": "quorum",
    "장애": "failure",
    "멤버": "member",
    "백업": "backup",
    "짝수": "even",
    "홀수": "odd",
    "모든": "every",
    "전체": "whole",
    "합계": "total",
    "개수": "number",
    "기본값": "default",
    "기본": "default",
    "최솟값": "minimum",
    "최소": "minimum",
    "최댓값": "maximum",
    "최대": "maximum",
    "규칙": "rule",
    "조건": "condition",
    "동적": "dynamic",
    "정책": "policy",
    "관리자": "administrator",
    "수동": "manual",
    "자동": "automatic",
    "데이터": "data",
    "클레임": "claim",
    "스토리지클래스": "storageclass",
    "적용": "apply",
    "서버": "server",
    "폴더": "folder",
    "설정": "config",
    "스태틱": "static",
    "정적": "static",
    "축출": "evict",
    "효과": "effect",
    "트래픽": "traffic",
    "소비": "consume",
    "폴링": "poll",
    "푸시": "push",
    "보관": "keep",
    "블록": "block",
    "선점": "preemption",
    "우선순위": "priority",
    "가시성": "visibility",
    "타임아웃": "timeout",
    "암호화": "encryption",
    "복제": "replication",
    "동기화": "sync",
    "지연": "latency",
    "처리량": "throughput",
    "재시작": "restart",
    "종료": "terminate",
    "상태": "state",
    "준비": "ready",
    "활성": "liveness",
    "프로브": "probe",
    "사이드카": "sidecar",
    "초기화": "init",
    "환경": "environment",
    "변수": "variable",
    "마운트": "mount",
    "호스트": "host",
    "경로": "path",
}

# --------------------------------------------------------------------------- patterns

# Bracket classes exclude `[` and spans stay on one line, so that no pattern backtracks
# quadratically on a run of brackets or backticks.
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS_SPAN = re.compile(r"(?<!`)(`++)([^`\n]+)\1(?!`)|(\*\*|__|==|~~)([^\n]+?)\3")
_MARKUP = re.compile(r"`+|\*\*|__|==|~~")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:[-*+>#]+|\d+[.)]|\[[ xX]\])[ \t]+")
_CHECKBOX = re.compile(r"\[[ xX]\]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")
_SCRIPT_RUN = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+|[^\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Shapes of technical words: camelCase, ALLCAPS, digits, flags, paths, dotted names, key=value.
# A plain hyphen is left out: `push-based` and `read-only` are English, not names.
_TECHNICAL_CHUNK = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}|[A-Z]{2,}$|\d|^--?[A-Za-z]|^[/~]|[A-Za-z0-9][./_:=][A-Za-z0-9]")
# Korean sentences often end in 다/요/함/됨/임 with no full stop; a lone 다 ("all") does not end one.


def _is_hangul(text: str) -> bool:
    return "\uac00" <= text[0] <= "\ud7a3" or "\u1100" <= text[0] <= "\u11ff" or ("\u3130" <= text[0] <= "\u318f")


# --------------------------------------------------------------------------- normalisation


def _unicode_normalise(text: str) -> str:
    text = compatibility_form(text)
    text = _korean_numerals(text.replace("\u2019", "'"))
    return _CONTRACTION.sub(lambda match: _CONTRACTION_EXPANSION[match.group(1).lower()], text)


def _strip_markup(text: str) -> str:
    """Remove Markdown markup but keep the words and their case."""
    text = URL.sub(" ", text)
    text = WIKILINK.sub(_wiki_link_text, text)
    text = MARKDOWN_LINK.sub(lambda match: " " if match.group("embed") else match.group("text"), text)
    text = _HTML_TAG.sub(" ", text)
    text = _LIST_MARKER.sub(" ", text)
    text = _CHECKBOX.sub(" ", text)
    # Markup is removed without a space so that a Korean particle stays on its word.
    return _MARKUP.sub("", text)


def _wiki_link_text(match: re.Match[str]) -> str:
    alias = match.group("alias")
    if alias:
        return alias
    return match.group("target").split("#")[0].rsplit("/", 1)[-1]


def normalise_text(text: str) -> str:
    """Fold Unicode forms and case, drop Markdown markup and punctuation, squeeze spaces."""
    plain = _strip_markup(_unicode_normalise(text))
    return " ".join(match.group(0) for match in _TOKEN.finditer(plain.casefold()))


# --------------------------------------------------------------------------- stemming


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouslz":
        return word[:-1]
    return word


@lru_cache(maxsize=16384)
def _stem_english(word: str) -> str:
    """A light stemmer: plurals, -ed, -ing, -ly and a final -e; only for plain words."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ically"):
        word = word[:-4]
    elif word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses") or word.endswith(("xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 5:
        word = _undouble(word[:-3])
    elif word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ed") and len(word) >= 4:
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


_ENGLISH_STOP_STEMS = frozenset(_stem_english(word) for word in _ENGLISH_STOP_WORDS)


@lru_cache(maxsize=16384)
def _strip_korean(word: str) -> str:
    """Strip particles and endings from a Korean word, keeping a stem of one syllable or more."""
    if len(word) > _LONGEST_KOREAN_WORD:
        return word  # not a word but a run of syllables: nothing to strip, and no time to spend
    stem = word
    changed = True
    while changed and stem not in _KOREAN_PROTECTED and stem not in _KOREAN_WORDS:
        changed = False
        for suffix in _KOREAN_SUFFIXES:
            if not stem.endswith(suffix):
                continue
            rest = len(stem) - len(suffix)
            minimum = 2 if suffix in _KOREAN_WEAK_ENDINGS else 1
            if rest >= minimum:
                stem = stem[:rest]
                changed = True
                break
        if changed and stem in _KOREAN_FUNCTION_WORDS:
            return ""  # 가능하게 -> 가능, 불가로 -> 불가: only endings were left
    return stem


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class _Term:
    key: str
    join_form: str
    parts: tuple[str, ...]
    hangul: bool
    stop: bool
    joins_hangul: bool = False  # a Korean word read as its English term still joins Korean neighbours


@lru_cache(maxsize=65536)  # a word's term: words repeat across every text scored
def _latin_term(surface: str) -> _Term:
    lowered = surface.casefold()
    if _ACRONYM_PLURAL.fullmatch(surface):
        lowered = lowered[:-1]  # `AZs`, `PVCs`: too short for the stemmer, still plurals
    if "," in lowered and lowered.replace(",", "").isdigit():
        lowered = lowered.replace(",", "")
    if lowered in _NUMBER_WORDS:
        # "one" is as often a pronoun as a number: it matches 1 but weighs as a stop word.
        number = _NUMBER_WORDS[lowered]
        return _Term(number, number, (), hangul=False, stop=lowered == "one")
    key = _stem_english(lowered)
    parts: tuple[str, ...] = ()
    if surface.isalpha():
        pieces = _CAMEL_PART.findall(surface)
        if len(pieces) > 1:
            parts = tuple(_stem_english(piece.casefold()) for piece in pieces)
    stop = lowered in _ENGLISH_STOP_WORDS or key in _ENGLISH_STOP_STEMS or (len(lowered) == 1 and lowered.isalpha())
    return _Term(key, lowered, parts, hangul=False, stop=stop)


_KOREAN_WORDS = {**_KOREAN_TRANSLATIONS, **_KOREAN_ALIASES}

# Korean numerals before a counter (`세 개`, `세개`, `두 명`): written as digits, so that the
# number matches `3` and either spacing matches the other.
_KOREAN_NUMERAL = re.compile(
    r"(?<![가-힣])(한|하나|두|둘|세|셋|네|넷|다섯|여섯|일곱|여덟|아홉|열)\s*(?=(?:개|명|대|가지|번|군데|곳)[가-힣]{0,2}(?![가-힣]))"
)
_KOREAN_NUMERAL_VALUES = {
    "한": "1", "하나": "1", "두": "2", "둘": "2", "세": "3", "셋": "3", "네": "4", "넷": "4",
    "다섯": "5", "여섯": "6", "일곱": "7", "여덟": "8", "아홉": "9", "열": "10",
}


def _korean_numerals(text: str) -> str:
    return _KOREAN_NUMERAL.sub(lambda match: f" {_KOREAN_NUMERAL_VALUES[match.group(1)]} ", text)


_HANGUL_BASE = 0xAC00
_JONG_COUNT = 28
_JONG_N, _JONG_L = 4, 8  # ㄴ and ㄹ as final consonants
_CONTRACTED_VOWELS = {6: 20, 9: 8, 14: 13}  # ㅕ -> ㅣ (늘려 -> 늘리), ㅘ -> ㅗ, ㅝ -> ㅜ


@lru_cache(maxsize=65536)
def _korean_root(stem: str) -> str:
    """A predicate stem without the adnominal or tense ending fused into its last syllable.

    견딘, 견딜 and 견디 (from 견딘다, 견딜 수, 견디면) all give 견디; 늘려 gives 늘리. Nouns of two
    syllables or more may lose a final ㄴ/ㄹ too; both sides of a comparison go through the same
    rule, so they still match each other. Stems of one syllable are left alone.
    """
    if len(stem) < 2 or not "\uac00" <= stem[-1] <= "\ud7a3":
        return stem
    code = ord(stem[-1]) - _HANGUL_BASE
    initial, rest = divmod(code, 21 * _JONG_COUNT)
    vowel, final = divmod(rest, _JONG_COUNT)
    if final in (_JONG_N, _JONG_L):
        final = 0
    elif final == 0 and vowel in _CONTRACTED_VOWELS:
        vowel = _CONTRACTED_VOWELS[vowel]
    return stem[:-1] + chr(_HANGUL_BASE + (initial * 21 + vowel) * _JONG_COUNT + final)


@lru_cache(maxsize=65536)
def _hangul_term(word: str, *, attached: bool) -> _Term | None:
    if word in _KOREAN_FUNCTION_WORDS:
        return None
    if word in _KOREAN_STOP_WORDS:  # before stripping: 따라서 is not 따 + 라서
        return _Term(word, word, (), hangul=True, stop=True)
    stem = _strip_korean(word)
    if not stem:
        return None
    if attached and _strip_korean("파" + word) == "파":
        # Everything after an English word is particles and endings: `kubelet이`, `drain한다`.
        return None
    alias = _KOREAN_WORDS.get(stem)
    if alias is not None:
        return _Term(_stem_english(alias), stem, (), hangul=False, stop=False, joins_hangul=True)
    return _Term(_korean_root(stem), stem, (), hangul=True, stop=stem in _KOREAN_STOP_WORDS)


def _terms_of_plain(plain: str) -> list[_Term]:
    terms: list[_Term] = []
    for token in _TOKEN.finditer(plain):
        previous_is_latin = False
        for run in _SCRIPT_RUN.findall(token.group(0)):
            if _is_hangul(run):
                term = _hangul_term(run, attached=previous_is_latin)
                previous_is_latin = False
            else:
                term = _latin_term(run)
                previous_is_latin = True
            if term is not None and term.key:
                terms.append(term)
    return terms


@lru_cache(maxsize=8192)
def _analyse(text: str) -> tuple[tuple[_Term, ...], frozenset[str]]:
    """The terms of a text in order, and the keys of its technical terms (kept for texts met again:
    a note's recall is scored against each card it recalls, and a card's points against each recall)."""
    unified = _unicode_normalise(text)
    technical: set[str] = set()
    for span in _EMPHASIS_SPAN.finditer(unified):
        inside = span.group(2) or span.group(4)
        technical.update(term.key for term in _terms_of_plain(_strip_markup(inside)))
    plain = _strip_markup(unified)
    for chunk in plain.split():
        if _TECHNICAL_CHUNK.search(chunk):
            technical.update(term.key for term in _terms_of_plain(chunk))
    return tuple(_terms_of_plain(plain)), frozenset(technical)


def key_terms(text: str) -> list[str]:
    """The normalised key terms of a text, in order; stop words and Korean endings left out."""
    terms, _technical = _analyse(text)
    return [term.key for term in terms if not term.stop]


def _joined_keys(terms: Sequence[_Term], *, longest: int = 3) -> set[str]:
    """Keys of neighbouring words written together: `load balancer` -> `loadbalancer`."""
    joined: set[str] = set()
    for start in range(len(terms)):
        form = terms[start].join_form
        hangul = terms[start].hangul or terms[start].joins_hangul
        for end in range(start + 1, min(start + longest, len(terms))):
            if (terms[end].hangul or terms[end].joins_hangul) != hangul:
                break
            form += terms[end].join_form
            if hangul:
                joined.add(_korean_key(form))
            else:
                joined.add(_stem_english(form))
    return joined


@lru_cache(maxsize=65536)
def _korean_key(word: str) -> str:
    """The key of a Korean word as a term of its own would have it."""
    alias = _KOREAN_WORDS.get(word)
    return _stem_english(alias) if alias is not None else _korean_root(word)


def _compound_parts(term: _Term) -> set[str]:
    """Keys of the words inside a Korean compound written without its spaces: 스태틱파드 -> static, pod.

    Every split into two parts of two syllables or more (or a known word) is kept; only the
    recall's words are split, so a point's term is found in a recall that ran words together.
    """
    if not term.hangul or len(term.join_form) < 3:
        return set()
    word = term.join_form
    parts: set[str] = set()
    for cut in range(1, len(word)):
        left, right = word[:cut], _strip_korean(word[cut:])
        for piece in (left, right):
            if len(piece) >= 2 or piece in _KOREAN_WORDS:
                parts.add(_korean_key(piece))
    return parts


def _acronyms(terms: Sequence[_Term], *, shortest: int) -> list[tuple[str, frozenset[str]]]:
    """Initials of neighbouring English words and of camelCase parts, with the keys they stand for.

    `availability zones` gives `az`, `dead-letter queue` gives `dlq`, `PersistentVolumeClaim`
    gives `pvc`.
    """
    found: list[tuple[str, frozenset[str]]] = []
    for term in terms:
        if len(term.parts) >= shortest:
            found.append(("".join(part[0] for part in term.parts), frozenset({term.key})))
    # A window of words gives initials while every word in it is an English word of letters,
    # not a stop word: the windows from `start` end at most where its run of such words ends.
    usable = [not (term.hangul or term.stop or not term.join_form.isalpha()) for term in terms]
    run_end = len(terms)
    ends = [0] * len(terms)
    for index in range(len(terms) - 1, -1, -1):
        if not usable[index]:
            run_end = index
        ends[index] = run_end
    for start in range(len(terms)):
        for end in range(start + shortest, min(start + 4, len(terms), ends[start]) + 1):
            window = terms[start:end]
            initials = "".join(term.join_form[0] for term in window)
            found.append((initials, frozenset(term.key for term in window)))
    return found


@lru_cache(maxsize=65536)
def _fuzzy_form(key: str, *, hangul: bool) -> str | None:
    """The spelling compared for typos, or None when the term is too short or numeric."""
    if hangul:
        if len(key) < FUZZY_MIN_SYLLABLES:
            return None
        return unicodedata.normalize("NFD", key)
    if len(key) < FUZZY_MIN_LENGTH or any(character.isdigit() for character in key):
        return None
    return key


class _Vocabulary:
    """Exact and typo-tolerant look-up of terms in one text (a recall, or a whole card)."""

    def __init__(self, exact: set[str], fuzzy_forms: dict[str, str], *, written: set[str], initials: set[str]) -> None:
        self._exact = exact
        self.written = written  # keys as written, no parts or joined words
        self.initials = initials  # acronyms of written words: only matched against written keys
        self._by_length: dict[int, list[str]] = {}
        self._key_of_form = fuzzy_forms
        for form in fuzzy_forms:
            self._by_length.setdefault(len(form), []).append(form)
        self._cache: dict[str, tuple[str, float] | None] = {}
        self._choices: dict[int, list[str]] = {}  # by a form's length: the forms near enough in length

    def __contains__(self, key: object) -> bool:
        return key in self._exact

    def closest(self, key: str, *, hangul: bool) -> tuple[str, float] | None:
        """The vocabulary key nearest to `key` by `fuzz.ratio`, with its ratio / 100."""
        if key in self._cache:
            return self._cache[key]
        found: tuple[str, float] | None = None
        form = _fuzzy_form(key, hangul=hangul)
        if form is not None:
            choices = self._choices.get(len(form))
            if choices is None:
                choices = self._choices[len(form)] = [
                    choice
                    for length in range(len(form) - FUZZY_MAX_LENGTH_GAP, len(form) + FUZZY_MAX_LENGTH_GAP + 1)
                    for choice in self._by_length.get(length, ())
                ]
            if choices:
                best = process.extractOne(form, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
                if best is not None:
                    found = (self._key_of_form[best[0]], best[1] / 100.0)
        self._cache[key] = found
        return found


def _vocabulary(terms: Sequence[_Term]) -> _Vocabulary:
    exact: set[str] = set()
    fuzzy_forms: dict[str, str] = {}
    written = {term.key for term in terms}
    for term in terms:
        exact.add(term.key)
        exact.update(term.parts)
        exact.update(_compound_parts(term))
        form = _fuzzy_form(term.key, hangul=term.hangul)
        if form is not None:
            fuzzy_forms[form] = term.key
    exact |= _joined_keys(terms)
    initials = {initials for initials, _keys in _acronyms(terms, shortest=3)}
    return _Vocabulary(exact, fuzzy_forms, written=written, initials=initials)


# --------------------------------------------------------------------------- the card


@dataclass(eq=False)  # hashed by identity: its analyses are cached per card (`_card`)
class _Card:
    """The key points analysed once: their terms, the weights and who holds which term."""

    texts: tuple[str, ...]
    terms: list[list[_Term]] = field(default_factory=list)
    technical: list[frozenset[str]] = field(default_factory=list)
    acronyms: list[list[tuple[str, frozenset[str]]]] = field(default_factory=list)
    document_frequency: dict[str, int] = field(default_factory=dict)
    holders: dict[str, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, text in enumerate(self.texts):
            terms, technical = _analyse(text)
            unique: dict[str, _Term] = {}
            for term in terms:
                unique.setdefault(term.key, term)
            self.terms.append(list(unique.values()))
            self.technical.append(technical)
            self.acronyms.append(_acronyms(terms, shortest=2))
            vocabulary = set(unique) | {part for term in terms for part in term.parts}
            vocabulary |= _joined_keys(terms)
            for key in vocabulary:
                self.document_frequency[key] = self.document_frequency.get(key, 0) + 1
                self.holders.setdefault(key, set()).add(index)

    def inverse_frequency(self, key: str) -> float:
        """Smoothed IDF over the points, scaled so that a term of one point weighs 1.

        A term found in every point weighs near 0. The scale keeps `STOP_WORD_WEIGHT` meaning
        the same on a card of one point and on a card of forty.
        """
        count = len(self.texts)
        single = math.log((count + 1) / 1.5)
        return math.log((count + 1) / (self.document_frequency.get(key, 0) + 0.5)) / single

    def weight(self, term: _Term, *, point: int) -> float:
        """The weight of one term of one point."""
        if term.stop:
            return STOP_WORD_WEIGHT
        weight = self.inverse_frequency(term.key)
        if term.key in self.technical[point]:
            weight *= TECHNICAL_TERM_BOOST
        return weight


def _term_credit(card: _Card, term: _Term, recall: _Vocabulary) -> float:
    """How much of one point term the recall holds: 1 exact, ratio for a typo, parts share."""
    if term.key in recall or term.key in recall.initials:
        return 1.0
    credit = 0.0
    close = recall.closest(term.key, hangul=term.hangul)
    if close is not None:
        credit = close[1]
    if term.parts:
        total = 0.0
        found = 0.0
        for part in term.parts:
            part_weight = card.inverse_frequency(part)
            total += part_weight
            if part in recall:
                found += part_weight
            else:
                part_close = recall.closest(part, hangul=False)
                if part_close is not None:
                    found += part_weight * part_close[1]
        if total > 0:
            credit = max(credit, found / total)
    return credit


def _point_score(card: _Card, index: int, recall: _Vocabulary) -> float:
    """The weighted share of the point's terms that the recall holds."""
    spelled_out: set[str] = set()
    for initials, keys in card.acronyms[index]:
        if initials in recall.written:
            spelled_out |= keys  # the recall wrote `AZ` for "availability zone"
    total = 0.0
    found = 0.0
    weights: list[float] = []
    for term in card.terms[index]:
        weight = card.weight(term, point=index)
        total += weight
        weights.append(weight)
        if term.key in spelled_out:
            found += weight
        else:
            found += weight * _term_credit(card, term, recall)
    # A long point is a sentence of its own: nobody recalls it word for word, so it counts as
    # fully recalled once the learner holds as much weight as its SATURATION_TERMS heaviest terms.
    ceiling = sum(sorted(weights, reverse=True)[:SATURATION_TERMS])
    denominator = min(total, ceiling)
    return min(1.0, found / denominator) if denominator > 0 else 0.0


_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FENCED = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*\n(.*?)^[ \t]*(?:```|~~~)", re.DOTALL | re.MULTILINE)


def _graded_point_score(point: str, recall_text: str) -> float | None:
    """A command or manifest point's score from its grader, or None for a point of words.

    A command point counts as recalled when a line or code span of the recall is an equivalent
    command (the command grader decides), and as missed otherwise: words that look alike are
    no credit for a command. A manifest point is recalled when the recall's manifest matches
    it field by field; one that differs keeps its matched share only below the missed line.
    """
    from ckaquiz.decks.topics import is_manifest_point, point_command

    command = point_command(point)
    if command is not None:
        from ckaquiz.grading import grade_command

        program = command.split()[0]
        for candidate in _command_candidates(recall_text, program):
            if grade_command(candidate, command).correct:
                return 1.0
        return 0.0
    if is_manifest_point(point):
        from ckaquiz.grading import grade_manifest

        best = 0.0
        blocks = [match.group(1) for match in _FENCED.finditer(recall_text)] or [recall_text]
        for block in blocks:
            if "kind:" not in block and "apiVersion:" not in block:
                continue
            try:
                result = grade_manifest(block, point)
            except ValueError:
                return None  # an expected manifest the grader cannot read: scored by its words
            # A manifest with a wrong field is not recalled: its matched share counts as a missed point's.
            best = max(best, 1.0 if result.correct else result.score * PARTIAL_THRESHOLD * 0.99)
        return best
    return None


def _command_candidates(recall_text: str, program: str) -> list[str]:
    """Where a recall may hold a command: its code spans, its lines, and each line from the program on."""
    candidates = [span.strip() for span in _CODE_SPAN.findall(recall_text) if program in span]
    for line in recall_text.splitlines():
        if program not in line:
            continue
        text = line.strip().lstrip("-*+> ").removeprefix("$ ").strip()
        candidates.append(text)
        tail = text[text.find(program) :]
        cut = next((position for position, character in enumerate(tail) if ord(character) > 0x7F), len(tail))
        candidates.append(tail[:cut].strip().rstrip("`").strip())
    return list(dict.fromkeys(candidate for candidate in candidates if candidate))


def _status(score: float) -> str:
    if score >= RECALLED_THRESHOLD:
        return "recalled"
    if score >= PARTIAL_THRESHOLD:
        return "partial"
    return "missed"


def _point_credit(score: float) -> float:
    """A point's share of coverage: whole once recalled, in proportion to its score below."""
    return min(1.0, score / RECALLED_THRESHOLD)


# --------------------------------------------------------------------------- sentences


@lru_cache(maxsize=256)
def _sentences(text: str) -> tuple[str, ...]:
    """The recall's sentences as the learner wrote them (only composed to NFC for splitting); kept
    while the same recall is scored against several cards."""
    return tuple(split_sentences(unicodedata.normalize("NFC", text)))


@lru_cache(maxsize=256)
def _card(key_points: tuple[str, ...]) -> _Card:
    """A card's points analysed, kept while the same card is scored against several recalls."""
    return _Card(key_points)


@lru_cache(maxsize=256)
def _recall_vocabulary(recall_text: str) -> _Vocabulary:
    """A recall's vocabulary, kept while the same recall is scored against several cards."""
    return _vocabulary(_analyse(recall_text)[0])


@lru_cache(maxsize=256)
def _card_vocabulary(card: _Card) -> _Vocabulary:
    return _vocabulary([term for terms in card.terms for term in terms])


def _unmatched_sentences(card: _Card, sentences: Iterable[str]) -> tuple[str, ...]:
    """The sentences no point shares enough content terms with."""
    card_vocabulary = _card_vocabulary(card)
    unmatched: list[str] = []
    for sentence in sentences:
        terms, _technical = _analyse(sentence)
        content = {term.key: term for term in terms if not term.stop}
        if not content:
            continue
        shared = [0] * len(card.texts)
        for key, term in content.items():
            holders: set[int] = set()
            candidates = [key]
            if key not in card_vocabulary:
                close = card_vocabulary.closest(key, hangul=term.hangul)
                if close is not None:
                    candidates.append(close[0])
            if term.parts and all(part in card_vocabulary for part in term.parts):
                holders |= set.intersection(*(card.holders.get(part, set()) for part in term.parts))
            for candidate in candidates:
                holders |= card.holders.get(candidate, set())
            for index in holders:
                shared[index] += 1
        best = max(shared, default=0)
        if best / len(content) < SENTENCE_MATCH_THRESHOLD:
            unmatched.append(sentence)
    return tuple(unmatched)


# --------------------------------------------------------------------------- scoring


def score_recall(key_points: Sequence[str], recall_text: str, *, cutoffs: GradeCutoffs = GradeCutoffs()) -> RecallScore:
    """Score a blank-page recall against a card's key points and suggest a rating.

    Coverage is the mean credit of the points, every point weighing the same: a note's points
    are facts of equal standing, and on the labelled evaluation set equal weights agreed with
    the human grades more often than weighting points by their total term weight. A point's
    credit is min(1, score / RECALLED_THRESHOLD): whole once recalled, in proportion below,
    which avoids a cliff where a point scoring 0.29 counts nothing and one scoring 0.30 counts
    half. Points with no terms at all (a stray `---`) are listed but left out of coverage.
    An empty recall has coverage 0 and suggests Again; with no key points coverage is 0 and
    every recall sentence is unmatched.
    """
    card = _card(tuple(key_points))
    recall_terms, _technical = _analyse(recall_text)
    recall = _recall_vocabulary(recall_text)
    results: list[PointResult] = []
    credits: list[float] = []
    for index, text in enumerate(card.texts):
        score = _point_score(card, index, recall) if recall_terms else 0.0
        graded = _graded_point_score(text, recall_text) if recall_terms else None
        if graded is not None:
            score = graded
        results.append(PointResult(text=text, score=score, status=_status(score)))
        if card.terms[index]:
            credits.append(_point_credit(score))
    coverage = min(1.0, max(0.0, sum(credits) / len(credits))) if credits else 0.0
    return RecallScore(
        coverage=coverage,
        suggested=cutoffs.suggest(coverage),
        points=tuple(results),
        unmatched=_unmatched_sentences(card, _sentences(recall_text)),
    )
