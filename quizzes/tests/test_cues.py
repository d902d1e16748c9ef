"""Cue statistics: answer-length cues, key positions, qualifiers, difficulty, near-duplicates."""

from quizzes import cues
from quizzes.bank import OptionData, QuestionData


def question(qid, texts, answer, qtype="single", stem="Which option?", difficulty=2, path="quizzes/bank/x.yaml"):
    options = [OptionData(id=chr(97 + i), html=f"<p>{text}</p>", why_html="<p>Why.</p>") for i, text in enumerate(texts)]
    return QuestionData(id=qid, type=qtype, task="1.1", services=["Amazon S3"], difficulty=difficulty, stem_html=stem, stem_text=stem,
                        options=options, answer=answer, lesson="a/b#c", lab="", path=path, line=1)


def test_the_key_is_longest_only_when_strictly_longer_than_every_other_option():
    assert cues.key_is_longest(question("q", ["a long keyed option", "short", "tiny", "mini"], ["a"]))
    assert not cues.key_is_longest(question("q", ["same len", "same len", "x", "y"], ["a"]))
    assert not cues.key_is_longest(question("q", ["short", "the longest distractor", "x", "y"], ["a"]))


def test_the_keyed_set_is_the_k_longest_when_every_key_outlasts_every_distractor():
    longest = question("q", ["long keyed one", "long keyed two", "a", "b", "c"], ["a", "b"], qtype="multi")
    mixed = question("q", ["long keyed one", "k", "a much longer distractor", "b", "c"], ["a", "b"], qtype="multi")
    assert cues.keyed_set_is_k_longest(longest) and not cues.keyed_set_is_k_longest(mixed)


def test_figures_cover_positions_qualifiers_stems_and_difficulty():
    items = [
        question("q1", ["keyed and longest", "b", "c", "d"], ["a"], stem="Which solution is MOST cost-effective?", difficulty=3),
        question("q2", ["a", "keyed", "c", "d"], ["b"], stem="Which option meets this with the least operational overhead?", difficulty=1),
        question("q3", ["a", "b", "keyed", "d"], ["c"], stem="Which one is best here?", difficulty=2),
        question("q4", ["a", "b", "c", "keyed"], ["d"], stem="Pick the right one now please.", difficulty=3),
    ]
    figures = cues.figures(items, duplicate_pairs=0)
    assert figures["single_key_longest"] == 1.0  # every key is the longest option here
    assert figures["key_positions"] == {"a": 0.25, "b": 0.25, "c": 0.25, "d": 0.25} and figures["key_position_max_share"] == 0.25
    assert figures["qualifier_share"] == 0.5  # "best" in lower case is not the exam's capitalised qualifier
    assert figures["median_stem_words"] == 5.5  # stems of 5, 8, 5 and 6 words
    assert (figures["easy_share"], figures["medium_share"], figures["hard_share"]) == (0.25, 0.25, 0.5)
    assert figures["multi_keyed_k_longest"] is None


def test_near_duplicates_compare_stem_and_options_together():
    stem = "A company streams clickstream events into Amazon Kinesis Data Streams and a Lambda consumer keeps failing on one record"
    texts = ["Enable bisect batch on function error", "Configure an on-failure destination", "Set maximum retry attempts", "Raise the batch size"]
    twin = question("twin-b", texts, ["a"], stem=stem + " every night")
    other = question("other", ["Use Amazon Athena", "Use AWS Glue", "Use Amazon EMR", "Use Amazon Redshift"], ["a"],
                     stem="Which service queries Parquet files in Amazon S3 with standard SQL and no servers to manage?")
    pairs = cues.near_duplicate_pairs([question("twin-a", texts, ["a"], stem=stem), twin, other])
    assert [(a, b) for a, b, _ in pairs] == [("twin-a", "twin-b")]


def test_cue_stats_split_the_bank_by_file_and_list_the_targets():
    items = [question("q1", ["keyed and longest", "b", "c", "d"], ["a"], path="f1.yaml"), question("q2", ["a long distractor", "keyed", "c", "d"], ["b"], path="f2.yaml")]
    stats = cues.cue_stats(items)
    assert set(stats["files"]) == {"f1.yaml", "f2.yaml"} and stats["bank"]["questions"] == 2
    assert stats["files"]["f1.yaml"]["single_key_longest"] == 1.0 and stats["files"]["f2.yaml"]["single_key_longest"] == 0.0
    assert stats["targets"]["single_key_longest"] == "single_key_longest <= 0.3"


def test_content_stats_prints_the_cues_of_each_file_as_an_outline(bank_dir, capsys):
    from django.core.management import call_command

    call_command("content_stats")
    out = capsys.readouterr().out
    assert "cues:\n  bank:\n    questions: 4\n" in out
    assert "  files:\n    quizzes/bank/basics.yaml:\n      questions: 4\n" in out
    assert "    single_key_longest: single_key_longest <= 0.3\n" in out  # the targets block
