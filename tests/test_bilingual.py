"""The alignment of two language versions of one transcript (meetings/bilingual.py): pure,
no database."""

from __future__ import annotations

from meetings.bilingual import Pair, Turn, align, counterpart_positions, pair_up

PUTIN, GUEST, MINISTER = 1, 2, 3


def speech(who: int | None, length: int = 100) -> Turn:
    return Turn(speaker=who, kind="speech", length=length)


def test_identical_sequences_pair_one_to_one():
    turns = [speech(PUTIN), speech(GUEST), speech(PUTIN)]
    assert align(turns, list(turns)) == [(0, 0), (1, 1), (2, 2)]


def test_a_turn_missing_from_one_version_is_a_gap_in_that_column():
    english = [speech(PUTIN), speech(GUEST, 30), speech(PUTIN, 20), speech(GUEST, 400)]
    russian = [speech(PUTIN), speech(GUEST, 30), speech(GUEST, 410)]
    assert align(english, russian) == [(0, 0), (1, 1), (2, None), (3, 2)]
    assert align(russian, english) == [(0, 0), (1, 1), (None, 2), (2, 3)]


def test_differing_turn_counts_keep_every_turn_once_and_in_order():
    left = [speech(PUTIN), speech(GUEST), speech(MINISTER), speech(GUEST), speech(PUTIN)]
    right = [speech(PUTIN), speech(MINISTER), speech(PUTIN)]
    pairs = align(left, right)
    assert [i for i, _ in pairs if i is not None] == list(range(len(left)))
    assert [j for _, j in pairs if j is not None] == list(range(len(right)))
    assert (2, 1) in pairs and (4, 2) in pairs and (0, 0) in pairs


def test_two_people_known_to_be_different_are_never_paired():
    # GUEST and MINISTER both speak in both versions, so neither is the other.
    left = [speech(PUTIN), speech(GUEST), speech(MINISTER)]
    right = [speech(PUTIN), speech(MINISTER), speech(GUEST)]
    pairs = align(left, right)
    assert (1, 1) not in pairs and (2, 2) not in pairs
    assert (0, 0) in pairs
    assert (1, 2) in pairs or (2, 1) in pairs


def test_one_person_under_two_keys_is_learnt_from_the_first_pass():
    # Before people resolution joins them, the Russian "Владимир Путин" (10) and the English
    # "Vladimir Putin" (1) are two participants; so are the guests (20 and 2). The first
    # pass pairs them by position; the second then keeps the guest's short remark, missing
    # from the Russian version, against a gap rather than against Putin.
    english = [speech(PUTIN, 300), speech(GUEST, 200), speech(PUTIN, 20), speech(GUEST, 30)]
    english += [speech(PUTIN, 250), speech(GUEST, 180)]
    russian = [speech(10, 320), speech(20, 210), speech(10, 25), speech(10, 260)]
    russian += [speech(20, 190)]
    assert align(english, russian) == [(0, 0), (1, 1), (2, 2), (3, None), (4, 3), (5, 4)]


def test_unresolved_speakers_pair_by_position_and_length():
    # Labels in two languages cannot be compared, so unresolved turns pair up weakly; the
    # length decides which of two candidates is the translation.
    left = [speech(None, 500), speech(None, 40)]
    right = [speech(None, 45)]
    assert align(left, right) == [(0, None), (1, 0)]


def test_a_speaker_resolved_in_one_version_only_still_pairs():
    assert align([speech(PUTIN), speech(GUEST)], [speech(None), speech(GUEST)]) == [
        (0, 0),
        (1, 1),
    ]


def test_questions_and_narrative_pair_with_their_kind_not_with_speeches():
    question = Turn(None, "question", 80)
    narrative = Turn(None, "narrative", 60)
    omission = Turn(None, "omission", 3)
    left = [speech(PUTIN), question, speech(PUTIN), omission]
    right = [narrative, speech(PUTIN), question, speech(PUTIN), omission]
    assert align(left, right) == [(None, 0), (0, 1), (1, 2), (2, 3), (3, 4)]


def test_an_empty_version_is_all_gaps():
    assert align([speech(PUTIN)], []) == [(0, None)]
    assert align([], [speech(PUTIN), speech(GUEST)]) == [(None, 0), (None, 1)]
    assert align([], []) == []


def test_pair_up_hands_back_the_items_themselves():
    left = ["en-1", "en-2"]
    right = ["ru-1"]
    who = {"en-1": PUTIN, "en-2": GUEST, "ru-1": GUEST}
    pairs = pair_up(left, right, lambda x: speech(who[x]))
    assert pairs == [Pair("en-1", None), Pair("en-2", "ru-1")]
    assert [p.is_gap for p in pairs] == [True, False]


def test_counterpart_positions_jump_to_the_match_or_the_nearest_before():
    pairs = [Pair(1, 1), Pair(2, None), Pair(3, 2), Pair(None, 3), Pair(4, 4)]
    jumps = counterpart_positions(pairs, lambda position: position)
    assert jumps["left"] == {1: 1, 2: 1, 3: 2, 4: 4}
    assert jumps["right"] == {1: 1, 2: 3, 3: 3, 4: 4}


def test_counterpart_positions_before_any_match_go_to_the_first_turn():
    pairs = [Pair(None, 1), Pair(None, 2), Pair(1, 3)]
    jumps = counterpart_positions(pairs, lambda position: position)
    assert jumps["right"] == {1: 1, 2: 1, 3: 1}
    assert jumps["left"] == {1: 3}


def test_a_long_news_conference_aligns_within_the_band():
    # 1,200 turns against 1,150 with 50 scattered omissions: every turn kept, in order, and
    # the matched ones pair with their own counterpart.
    people = [PUTIN, GUEST, MINISTER, None]
    left = [speech(people[i % 4], 50 + (i * 37) % 400) for i in range(1200)]
    dropped = set(range(10, 1200, 24))
    right = [t for i, t in enumerate(left) if i not in dropped]
    pairs = align(left, right)
    assert [i for i, _ in pairs if i is not None] == list(range(1200))
    assert [j for _, j in pairs if j is not None] == list(range(len(right)))
    assert sorted(i for i, j in pairs if j is None) == sorted(dropped)
