"""The finder's precision on labelled pairs (tests/data/finder_pairs.json): 45 pairs of
indicators of two agencies, 24 measuring the same thing phrased differently, 21 hard
negatives sharing words. Every text is one indicator of its agency and the finder runs over
all of them as over a year's indicators (with no threshold, so every pair it scores counts;
a labelled pair it never scores counts 0); the labelled pairs are ranked by their score and
the top 20 must be mostly real matches.

Measured with the policy of data/finder.json (2020-01-01): precision at 20 = 0.90 (18 of
20; the two hard negatives in the top 20: the gross enrolment rate against the dropout rate
of SMA/SMK, and capture against aquaculture fisheries). At the threshold 0.3: all 24 real
matches and 8 hard negatives (precision 0.75, recall 1.00). The floors sit just under the
measures, so a regression fails."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from kinerja.performance.finder import Doc, find_pairs, finder_policy, precision_at

PAIRS = Path(__file__).resolve().parent / "data" / "finder_pairs.json"
FLOOR_AT_20 = 0.85
FLOOR_RECALL_AT_THRESHOLD = 0.95
FLOOR_PRECISION_AT_THRESHOLD = 0.70


def _scored():
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    agencies: dict[str, int] = {}
    docs = []
    for n, pair in enumerate(pairs):
        for k, side in enumerate(("left", "right")):
            group = agencies.setdefault(pair[side]["agency"], len(agencies) + 1)
            docs.append(Doc(2 * n + k, group, pair[side]))
    policy = dataclasses.replace(finder_policy(), threshold=0.0, max_candidates=10**6)
    found = {(p.a, p.b): p.score for p in find_pairs(docs, policy).pairs}
    rows = [
        (found.get((2 * n, 2 * n + 1), 0.0), pair["same"], pair) for n, pair in enumerate(pairs)
    ]
    return sorted(rows, key=lambda row: -row[0]), pairs


def test_the_labelled_pairs_are_enough_and_balanced():
    _rows, pairs = _scored()
    same = sum(p["same"] for p in pairs)
    assert len(pairs) >= 40
    assert 15 <= same <= len(pairs) - 15
    assert all(p["left"]["agency"] != p["right"]["agency"] for p in pairs)


def test_precision_at_20_on_the_labelled_pairs():
    rows, pairs = _scored()
    precision = precision_at([same for _s, same, _p in rows], 20)
    threshold = finder_policy().threshold
    found = [same for score, same, _p in rows if score >= threshold]
    recall = sum(found) / sum(p["same"] for p in pairs)
    above = sum(found) / len(found)
    print(
        f"\nfinder precision@20 = {precision:.2f}; at the threshold {threshold}: "
        f"precision {above:.2f}, recall {recall:.2f} ({len(found)} pairs above)"
    )
    assert precision >= FLOOR_AT_20
    assert recall >= FLOOR_RECALL_AT_THRESHOLD
    assert above >= FLOOR_PRECISION_AT_THRESHOLD
