"""Cue statistics: how far a test-wise learner gets without knowing anything, and how exam-like items are.

Computed per bank file and for the whole bank (`content_stats --json`, key "cues"). TARGETS are
the limits of the question bank issue; `check_content` prints them and, through the committed
baseline (studyapp/ratchets.py), fails when a figure gets worse, so files can be rewritten one at
a time.
"""

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from .bank import QuestionData, _shingles
from .contradictions import plain

QUALIFIER = re.compile(
    r"\b(MOST|LEAST|BEST)\b|\b(least|lowest|minimum|fewest|smallest) (operational|management|administrative|development) (overhead|effort)\b"
    r"|\bmost cost[- ]effective\b|\bleast (amount of )?(effort|cost|latency|privileges?)\b",
)
NEAR_DUPLICATE = 0.3  # Jaccard similarity of two-word runs over stem and options together
COMMON_RUN = 25  # a two-word run found in more questions than this ("which of") does not suggest a pair
CANDIDATE_OVERLAP = 8


@dataclass(frozen=True)
class Target:
    name: str
    limit: float
    higher_is_better: bool

    def met(self, value: float | None) -> bool:
        if value is None:
            return True
        return value >= self.limit if self.higher_is_better else value <= self.limit

    def __str__(self) -> str:
        return f"{self.name} {'>=' if self.higher_is_better else '<='} {self.limit:g}"


TARGETS = {
    "single_key_longest": Target("single_key_longest", 0.30, False),
    "multi_keyed_k_longest": Target("multi_keyed_k_longest", 0.25, False),
    "median_stem_words": Target("median_stem_words", 55, True),
    "qualifier_share": Target("qualifier_share", 0.35, True),
    "hard_share": Target("hard_share", 0.30, True),
    "easy_share": Target("easy_share", 0.25, False),
    "key_position_max_share": Target("key_position_max_share", 0.35, False),
    "near_duplicate_pairs": Target("near_duplicate_pairs", 0, False),
    "key_why_30_words_share": Target("key_why_30_words_share", 1.0, True),
}
KEY_WHY_WORDS = 30  # the keyed option's explanation names the deciding constraint; a one-liner cannot


def _lengths(question: QuestionData) -> dict[str, int]:
    return {option.id: len(plain(option.html)) for option in question.options}


def key_is_longest(question: QuestionData) -> bool:
    """Single answer: the keyed option is strictly longer than every other option."""
    lengths = _lengths(question)
    key = question.answer[0]
    return all(lengths[key] > length for option_id, length in lengths.items() if option_id != key)


def keyed_set_is_k_longest(question: QuestionData) -> bool:
    """Multi answer: every keyed option is longer than every option left out."""
    lengths = _lengths(question)
    keyed = [lengths[a] for a in question.answer]
    others = [length for option_id, length in lengths.items() if option_id not in question.answer]
    return min(keyed) > max(others)


def key_why_is_full(question: QuestionData) -> bool:
    """The keyed options' explanations come to at least KEY_WHY_WORDS words."""
    keyed = [option for option in question.options if option.id in question.answer]
    return sum(len(plain(option.why_html).split()) for option in keyed) >= KEY_WHY_WORDS


def _text(question: QuestionData) -> str:
    return question.stem_text + " " + " ".join(plain(option.html) for option in question.options)


def near_duplicate_pairs(questions: list[QuestionData], threshold: float = NEAR_DUPLICATE) -> list[tuple[str, str, float]]:
    """Pairs whose stem-plus-options two-word runs overlap by `threshold` (Jaccard) or more.

    Comparing all pairs of 600+ questions takes seconds, so only pairs that share at least
    CANDIDATE_OVERLAP uncommon runs are measured; a pair above the threshold always does.
    """
    shingled = [(q.id, {hash(s) for s in _shingles(_text(q))}) for q in questions]
    frequency = Counter(s for _, shingles in shingled for s in shingles)
    holders: dict[int, list[int]] = {}
    for index, (_, shingles) in enumerate(shingled):
        for shingle in shingles:
            if frequency[shingle] <= COMMON_RUN:
                holders.setdefault(shingle, []).append(index)
    shared = Counter((i, j) for indexes in holders.values() for n, i in enumerate(indexes) for j in indexes[n + 1 :])
    pairs = []
    for (i, j), count in shared.items():
        if count < CANDIDATE_OVERLAP:
            continue
        (first, a), (second, b) = shingled[i], shingled[j]
        similarity = len(a & b) / len(a | b)
        if similarity >= threshold:
            pairs.append((first, second, round(similarity, 2)))
    return sorted(pairs)


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def figures(questions: list[QuestionData], duplicate_pairs: int) -> dict:
    singles = [q for q in questions if q.type == "single"]
    multis = [q for q in questions if q.type == "multi"]
    positions = Counter(next(o.id for o in q.options if o.id == q.answer[0]) for q in singles)
    stems = [len(q.stem_text.split()) for q in questions]
    difficulty = Counter(q.difficulty for q in questions)
    return {
        "questions": len(questions),
        "single_key_longest": _share(sum(key_is_longest(q) for q in singles), len(singles)),
        "multi_keyed_k_longest": _share(sum(keyed_set_is_k_longest(q) for q in multis), len(multis)),
        "key_positions": {position: _share(count, len(singles)) for position, count in sorted(positions.items())},
        "key_position_max_share": _share(max(positions.values()), len(singles)) if positions else None,
        "median_stem_words": median(stems) if stems else None,
        "qualifier_share": _share(sum(bool(QUALIFIER.search(q.stem_text)) for q in questions), len(questions)),
        "easy_share": _share(difficulty[1], len(questions)),
        "medium_share": _share(difficulty[2], len(questions)),
        "hard_share": _share(difficulty[3], len(questions)),
        "near_duplicate_pairs": duplicate_pairs,
        "key_why_30_words_share": _share(sum(key_why_is_full(q) for q in questions), len(questions)),
    }


def cue_stats(questions: list[QuestionData]) -> dict:
    """{"bank": figures, "files": {path: figures}, "near_duplicates": [...], "targets": {...}}."""
    pairs = near_duplicate_pairs(questions)
    path_of = {q.id: q.path for q in questions}
    by_file: dict[str, list[QuestionData]] = {}
    for question in questions:
        by_file.setdefault(question.path, []).append(question)
    files = {}
    for path, items in sorted(by_file.items()):
        in_file = sum(1 for a, b, _ in pairs if path in (path_of[a], path_of[b]))
        files[path] = figures(items, in_file)
    return {
        "bank": figures(questions, len(pairs)),
        "files": files,
        "near_duplicates": [{"first": a, "second": b, "similarity": s} for a, b, s in pairs],
        "targets": {name: str(target) for name, target in TARGETS.items()},
    }
