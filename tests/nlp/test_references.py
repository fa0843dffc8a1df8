"""References: Jira keys, GitHub short and full refs, URLs, resolved to contract item ids."""

from nlp.references import find_references, resolve_url


def refs(text, **kwargs):
    return [(r.ref_type, r.raw, r.item_id) for r in find_references(text, **kwargs)]


def test_jira_key_and_github_full_ref_in_french_sentence():
    text = "Voir PAY-123 et acme/billing#42 avant la démo."
    assert refs(text) == [
        ("jira_key", "PAY-123", "jira:PAY-123"),
        ("github_full", "acme/billing#42", "github:acme/billing#42"),
    ]


def test_short_ref_resolves_only_with_default_repo():
    assert refs("fixed in #17") == [("github_short", "#17", None)]
    assert refs("fixed in #17", default_repo="acme/app") == [
        ("github_short", "#17", "github:acme/app#17")
    ]


def test_github_issue_and_pull_urls_resolve_and_other_urls_stay_raw():
    text = (
        "See https://github.com/nodejs/node/pull/63055, "
        "<https://github.com/nodejs/TSC/issues/1854> and https://example.com/page."
    )
    assert refs(text) == [
        ("url", "https://github.com/nodejs/node/pull/63055", "github:nodejs/node#63055"),
        ("url", "https://github.com/nodejs/TSC/issues/1854", "github:nodejs/TSC#1854"),
        ("url", "https://example.com/page", None),
    ]


def test_jira_browse_url_needs_a_known_base_url():
    url = "https://jira.acme.io/jira/browse/OPS-9?focusedId=1"
    assert resolve_url(url) is None
    assert resolve_url(url, ["https://jira.acme.io/jira/"]) == "jira:OPS-9"
    assert refs(f"voir {url}", jira_base_urls=["https://jira.acme.io/jira"]) == [
        ("url", url, "jira:OPS-9")
    ]


def test_nothing_inside_a_url_is_matched_again():
    text = "https://github.com/acme/app/blob/main/README.md#ABC-12 and https://x.io/#99"
    assert [r[0] for r in refs(text, default_repo="acme/app")] == ["url", "url"]


def test_markdown_link_label_is_not_counted_twice():
    text = "doc: tier 2 [#63055](https://github.com/nodejs/node/pull/63055)"
    assert refs(text, default_repo="nodejs/node") == [
        ("url", "https://github.com/nodejs/node/pull/63055", "github:nodejs/node#63055")
    ]


def test_standards_and_html_entities_are_not_references():
    text = "Encodage UTF-8, dates ISO-8601, SHA-256, PEP-8, COVID-19, &#123; et A-1."
    assert refs(text, default_repo="acme/app") == []


def test_known_projects_restrict_jira_keys():
    text = "PAY-1 and TEAM-2 and ISO-9001"
    assert [r.raw for r in find_references(text, jira_projects=["pay", "ISO"])] == [
        "PAY-1",
        "ISO-9001",
    ]


def test_positions_point_at_the_raw_text():
    text = "Décidé: on livre OPS-7 (cf. #3) demain."
    for ref in find_references(text, default_repo="a/b"):
        assert text[ref.start_char : ref.end_char] == ref.raw


def test_branch_names_and_gh_prefix():
    assert refs("branch feature/PAY-77-fix, GH-5", default_repo="a/b") == [
        ("jira_key", "PAY-77", "jira:PAY-77"),
        ("github_short", "GH-5", "github:a/b#5"),
    ]
