"""qa.fusion: weighted reciprocal rank fusion, and the same weights through an engine's plain RRF."""
from __future__ import annotations

import pytest

from qa.fusion import FUSION_WEIGHTS, RRF_K, engine_repeats, fuse


def test_a_chunk_found_by_every_ranking_beats_one_found_by_one():
    fused = fuse({"dense": [7, 3], "sentence": [7], "keyword": [3, 7]})
    assert [c.chunk_id for c in fused] == [7, 3]
    expected = (FUSION_WEIGHTS["dense"] / (RRF_K + 1) + FUSION_WEIGHTS["sentence"] / (RRF_K + 1)
                + FUSION_WEIGHTS["keyword"] / (RRF_K + 2))
    assert fused[0].score == pytest.approx(expected)


def test_keyword_weighs_more_than_dense_at_the_same_rank():
    fused = fuse({"dense": [1], "keyword": [2]})
    assert [c.chunk_id for c in fused] == [2, 1]


def test_candidates_carry_their_best_dense_rank_and_keyword_rank():
    fused = {c.chunk_id: c for c in fuse({"dense": [5, 6], "sentence": [6], "keyword": [9]})}
    assert (fused[6].dense_rank, fused[6].keyword_rank) == (0, None)
    assert (fused[9].dense_rank, fused[9].keyword_rank) == (None, 0)


def test_repeated_requests_through_plain_rrf_give_the_weighted_sum():
    unit, repeats = engine_repeats(("dense", "keyword"))
    assert repeats == {"dense": 1, "keyword": 3}
    plain = sum(repeats[n] / (RRF_K + 1) for n in repeats)  # rank 1 in both, as an engine adds it
    assert unit * plain == pytest.approx(sum(FUSION_WEIGHTS[n] / (RRF_K + 1) for n in repeats))
