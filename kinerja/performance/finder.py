"""The collaboration finder's text processing and scoring (pure: no database).

Indicators of different agencies that measure the same thing are found by the similarity of
their manuals, in Indonesian: each indicator's text (name, definition, purpose, formula, each
with its weight) is lower-cased and split into words; stopwords go, the abbreviations of the
policy are read with their words as well, every word is stemmed with Sastrawi (Nazief-Adriani
with the ECS improvements), and the stems and the pairs of neighbouring stems (bigrams) are
weighted by TF-IDF over all the indicators compared. Two indicators score the cosine of their
vectors (0 to 1).

The vectors are sparse dicts and the pairs come from an inverted index: only two indicators
sharing at least one distinctive term (found in at most ``max_df_ratio`` of the indicators,
or ``max_df_floor`` of a small set) are scored, so a province's few thousand indicators cost
a few hundred thousand dot products, not millions. Stemming is cached per word (Sastrawi is
slow per word; a province's manuals hold a few thousand distinct words).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
FIELDS = ("name", "definition", "purpose", "formula")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
BIGRAM = " "  # a bigram's two stems joined by a space: no stem holds one


# Policy ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FinderPolicy:
    """The finder's numbers and word lists (``data/finder.json``, versioned by ``valid_from``)."""

    valid_from: dt.date
    threshold: float
    max_candidates: int
    field_weights: Mapping[str, float]
    bigrams: bool
    max_df_ratio: float
    max_df_floor: int
    index_terms: int
    standard_score: float
    standard_min_agencies: int
    default_member_weight: int
    evidence_terms: int
    stopwords: frozenset[str]
    unstemmed: frozenset[str]
    expansions: Mapping[str, tuple[str, ...]]

    def with_threshold(self, threshold: float) -> FinderPolicy:
        return replace(self, threshold=threshold)


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    with open(DATA / "finder.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


@functools.cache
def _policy(valid_from: dt.date) -> FinderPolicy:
    version = dict(_versions())[valid_from]
    return FinderPolicy(
        valid_from=valid_from,
        threshold=float(version["threshold"]),
        max_candidates=int(version["max_candidates"]),
        field_weights={k: float(v) for k, v in version["field_weights"].items()},
        bigrams=bool(version["bigrams"]),
        max_df_ratio=float(version["max_df_ratio"]),
        max_df_floor=int(version["max_df_floor"]),
        index_terms=int(version["index_terms"]),
        standard_score=float(version["standard_score"]),
        standard_min_agencies=int(version["standard_min_agencies"]),
        default_member_weight=int(version["default_member_weight"]),
        evidence_terms=int(version["evidence_terms"]),
        stopwords=frozenset(w.lower() for w in version["stopwords"]),
        unstemmed=frozenset(w.lower() for w in version.get("unstemmed", ())),
        expansions={k.lower(): tuple(v.lower().split()) for k, v in version["expansions"].items()},
    )


def finder_policy(on: dt.date | None = None) -> FinderPolicy:
    """Return the finder's policy in force on ``on`` (today when left out)."""
    on = on or dt.date.today()
    versions = _versions()
    chosen = versions[0][0]
    for valid_from, _version in versions:
        if valid_from <= on:
            chosen = valid_from
    return _policy(chosen)


# Words ----------------------------------------------------------------------------------------


@functools.cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Sastrawi stem of one lower-case word ("meningkatnya" gives "tingkat")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    """Split ``text`` into lower-case words of letters and digits (numbers alone dropped)."""
    return [w for w in WORD.findall((text or "").lower()) if not w.isdigit() and len(w) > 1]


def terms(text: str, policy: FinderPolicy) -> list[str]:
    """Return the stems of ``text`` in order: stopwords out, an abbreviation followed by the
    stems of its words."""
    out: list[str] = []
    for word in words(text):
        if word in policy.stopwords:
            continue
        out.append(word if word in policy.unstemmed else stem(word))
        for extra in policy.expansions.get(word, ()):
            if extra not in policy.stopwords:
                out.append(stem(extra))
    return out


def features(fields: Mapping[str, str], policy: FinderPolicy) -> Counter[str]:
    """Return the weighted counts of the stems and bigrams of an indicator's fields."""
    counts: Counter[str] = Counter()
    for name, weight in policy.field_weights.items():
        stems = terms(fields.get(name) or "", policy)
        for s in stems:
            counts[s] += weight
        if policy.bigrams:
            for left, right in zip(stems, stems[1:], strict=False):
                if left != right:
                    counts[left + BIGRAM + right] += weight
    return counts


# Vectors and pairs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """One indicator to compare: its key (id), its group (agency id; two indicators of one group
    are never paired), its manual's fields, and the names of its own agency (an indicator
    naming its own agency measures the agency itself)."""

    key: int
    group: int
    fields: Mapping[str, str]
    own_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    """Two indicators of different agencies (keys in increasing order) with their score and
    the shared terms that weigh most in it."""

    a: int
    b: int
    score: float
    terms: tuple[str, ...]


@dataclass
class FinderResult:
    """The proposed pairs (best first) and what the run set aside."""

    pairs: list[Pair]
    documents: int = 0
    scored: int = 0  # pairs whose cosine was computed
    above: int = 0  # of which at or above the threshold, before the exclusions
    standard: set[int] = field(default_factory=set)
    self_named: set[int] = field(default_factory=set)
    vectors: dict[int, dict[str, float]] = field(default_factory=dict)


def _weigh(counts: Counter[str]) -> Counter[str]:
    """Sublinear term frequency: 1 + ln(tf) from 1 up."""
    return Counter({k: (1 + math.log(v)) if v > 1 else v for k, v in counts.items()})


def vectorise(
    docs: Sequence[Doc], policy: FinderPolicy
) -> tuple[list[dict[str, float]], dict[str, int]]:
    """Return each document's L2-normalised TF-IDF vector and the document frequencies.
    IDF is smoothed as scikit-learn's: ln((1 + n) / (1 + df)) + 1."""
    counts = [_weigh(features(d.fields, policy)) for d in docs]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(docs)
    idf = {t: math.log((1 + n) / (1 + f)) + 1 for t, f in df.items()}
    vectors = []
    for c in counts:
        vec = {t: w * idf[t] for t, w in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors, dict(df)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Return the dot product of two normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def shared_terms(a: Mapping[str, float], b: Mapping[str, float], limit: int = 12) -> list[str]:
    """Return the terms both vectors hold, the ones adding most to the score first."""
    both = [(a[t] * b[t], t) for t in a.keys() & b.keys()]
    return [t for _w, t in sorted(both, key=lambda item: (-item[0], item[1]))[:limit]]


def names_own_agency(doc: Doc) -> bool:
    """True when the indicator's name names its own agency (name or short name, whole words):
    "Nilai SAKIP Dinas Kesehatan" measures the agency itself, not a result to share."""
    text = " ".join(words(doc.fields.get("name") or ""))
    for own in doc.own_names:
        own_words = " ".join(words(own))
        if own_words and re.search(rf"(?<!\w){re.escape(own_words)}(?!\w)", text):
            return True
    return False


def find_pairs(
    docs: Sequence[Doc],
    policy: FinderPolicy,
    *,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    keep_vectors: bool = False,
) -> FinderResult:
    """Return the pairs of indicators of different agencies scoring at least the policy's
    threshold, best first, at most ``max_candidates``; without the indicators naming their own
    agency and the standard indicators (almost the same as indicators of
    ``standard_min_agencies`` or more other agencies)."""
    docs = list(docs)
    vectors, df = vectorise(docs, policy)
    n = len(docs)
    limit = max(policy.max_df_floor, int(policy.max_df_ratio * n))
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        # A document is found by its heaviest distinctive terms only: two indicators that
        # measure the same thing share at least one of them.
        rare = sorted((-w, t) for t, w in vec.items() if df[t] <= limit)
        for _w, t in rare[: policy.index_terms]:
            postings[t].append(i)
    seen: set[tuple[int, int]] = set()
    lists = list(postings.values())
    for found in progress(lists) if progress else lists:
        for x, i in enumerate(found):
            gi = docs[i].group
            for j in found[x + 1 :]:
                if docs[j].group != gi:
                    seen.add((i, j))
    near: dict[int, set[int]] = defaultdict(set)
    scored: list[tuple[float, int, int]] = []
    for i, j in seen:
        score = cosine(vectors[i], vectors[j])
        if score >= policy.standard_score:
            near[i].add(docs[j].group)
            near[j].add(docs[i].group)
        if score >= policy.threshold:
            scored.append((score, i, j))
    standard = {i for i, groups in near.items() if len(groups) >= policy.standard_min_agencies}
    self_named = {i for i, d in enumerate(docs) if d.own_names and names_own_agency(d)}
    out: list[Pair] = []
    for score, i, j in sorted(scored, key=lambda s: (-s[0], docs[s[1]].key, docs[s[2]].key)):
        if i in standard or j in standard or i in self_named or j in self_named:
            continue
        a, b = (i, j) if docs[i].key < docs[j].key else (j, i)
        terms_ = tuple(shared_terms(vectors[a], vectors[b], policy.evidence_terms))
        out.append(Pair(docs[a].key, docs[b].key, round(score, 4), terms_))
        if len(out) >= policy.max_candidates:
            break
    return FinderResult(
        pairs=out,
        documents=n,
        scored=len(seen),
        above=len(scored),
        standard={docs[i].key for i in standard},
        self_named={docs[i].key for i in self_named},
        vectors={d.key: v for d, v in zip(docs, vectors, strict=True)} if keep_vectors else {},
    )


def score_texts(
    left: Mapping[str, str], right: Mapping[str, str], policy: FinderPolicy
) -> tuple[float, list[str]]:
    """Score two manuals against each other alone (IDF over the two): the score and the shared
    terms. Pages use it to show a candidate's evidence again from the current manuals."""
    vectors, _df = vectorise([Doc(1, 1, left), Doc(2, 2, right)], policy)
    return round(cosine(*vectors), 4), shared_terms(*vectors, limit=policy.evidence_terms)


def highlight(text: str, stems: Iterable[str], policy: FinderPolicy) -> list[tuple[str, bool]]:
    """Split ``text`` into segments, each marked True when it is a word whose stem is shared
    (bigrams count by their two stems; an abbreviation by itself or its words)."""
    wanted: set[str] = set()
    for s in stems:
        wanted.update(s.split(BIGRAM))
    out: list[tuple[str, bool]] = []
    last = 0
    for match in WORD.finditer(text or ""):
        word = match.group(0).lower()
        hit = False
        if word not in policy.stopwords and not word.isdigit() and len(word) > 1:
            own = word if word in policy.unstemmed else stem(word)
            hit = own in wanted or any(
                stem(extra) in wanted for extra in policy.expansions.get(word, ())
            )
        if match.start() > last:
            out.append((text[last : match.start()], False))
        out.append((match.group(0), hit))
        last = match.end()
    if last < len(text or ""):
        out.append((text[last:], False))
    return out


def precision_at(ranked: Sequence[bool], k: int) -> float:
    """Return the share of True among the first ``k`` of ``ranked`` (best first)."""
    top = list(ranked)[:k]
    return sum(top) / len(top) if top else 0.0
