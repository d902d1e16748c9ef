from studyapp.render import render, slugify


def test_it_highlights_fenced_code_by_language():
    html = render("```python\nimport boto3\n```\n").html
    assert '<div class="highlight">' in html
    assert '<span class="kn">import</span>' in html


def test_it_gives_headings_stable_anchors():
    rendered = render("## Job bookmarks and DPUs\n\ntext\n\n### G.1X workers (16 GB)\n")
    assert rendered.anchors == ["job-bookmarks-and-dpus", "g-1x-workers-16-gb"]
    assert [entry["title"] for entry in rendered.toc] == ["Job bookmarks and DPUs", "G.1X workers (16 GB)"]


def test_it_keeps_an_explicit_anchor():
    assert render("## A long heading {#short}\n").anchors == ["short"]


def test_slugify_folds_accents_and_punctuation():
    assert slugify("Café / Résumé: 3.5 GB!") == "cafe-resume-3-5-gb"


def test_it_renders_tables_and_admonitions():
    html = render('| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! tip "Exam tips"\n    - remember\n').html
    assert "<table>" in html and "<td>2</td>" in html
    assert '<div class="admonition tip">' in html and "Exam tips" in html


def test_it_rewrites_lesson_links_and_records_them():
    rendered = render("See [crawlers](lesson:glue/crawlers#classifiers).")
    assert 'href="/lessons/glue/crawlers/#classifiers"' in rendered.html
    assert rendered.lesson_links == [("glue/crawlers", "classifiers")]


def test_it_cuts_sections_by_heading_without_permalink_marks():
    rendered = render("Intro words.\n\n## First part\n\nAlpha beta.\n\n## Second part\n\nGamma.\n", title="T")
    assert [(s.anchor, s.heading, s.text) for s in rendered.sections] == [
        ("", "T", "Intro words."),
        ("first-part", "First part", "Alpha beta."),
        ("second-part", "Second part", "Gamma."),
    ]


def test_runnable_sql_blocks_get_a_try_it_link():
    html = render("```sql\nSELECT customerid FROM customers WHERE lastname LIKE 'A%';\n```\n").html
    assert '<p class="try-it"><a href="/sql/?q=SELECT+customerid+FROM+customers+WHERE+lastname+LIKE+%27A%25%27%3B">Try it in the SQL workbench</a></p>' in html
    assert 'class="highlight"' in html


def test_statements_the_workbench_cannot_run_get_no_link():
    for sql in ["VACUUM orders;", "COPY orders FROM 's3://b/x' IAM_ROLE 'arn';", "SELECT 1;\nSELECT 2;"]:
        assert "try-it" not in render(f"```sql\n{sql}\n```\n").html


def test_section_text_keeps_inline_markup_as_written_and_blocks_apart():
    body = ("## Part\n\nThe [catalog](https://example.org), a `table` (with **partitions**).\n\n"
            "- first item\n- second item\n\n| a | b |\n|---|---|\n| one | two |\n\n!!! note\n    Inside a note.\n")
    text = render(body, title="T").sections[-1].text
    assert text == "The catalog, a table (with partitions). first item second item a b one two Note Inside a note."
