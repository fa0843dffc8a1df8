"""Identity resolution on the hard cases: homonyms, departures, role hand-overs, initials."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.sources.directory import Resolver, load_directory, role_of

BEFORE = date(2025, 6, 1)  # Paul is CTO, Sophie not yet arrived
AFTER = date(2026, 3, 2)  # Paul left on 2025-12-31, Sophie is CTO


@pytest.fixture()
def resolver(org_file) -> Resolver:
    return Resolver(load_directory(org_file))


@pytest.mark.parametrize(
    ("mention", "role"),
    [
        ("le CTO", "cto"),
        ("la DAF", "cfo"),
        ("la directrice commerciale", "sales_director"),
        ("le directeur commercial", "sales_director"),
        ("the CFO", "cfo"),
        ("notre CPO", "cpo"),
        ("le DG", "ceo"),
        ("la Directrice Financière", "cfo"),
        ("our Head of Product", "cpo"),
        ("Marie", None),
    ],
)
def test_role_mentions_in_both_languages_and_genders(mention, role):
    assert role_of(mention) == role


def test_homonym_first_name_is_ambiguous_without_context(resolver):
    found = resolver.resolve("Marie", "name", AFTER)
    assert found.person_id is None
    assert found.status == "ambiguous"
    assert set(found.candidates) == {"marie.dubois", "marie.durand"}


def test_meeting_attendees_disambiguate_a_homonym(resolver):
    found = resolver.resolve("Marie", "name", AFTER, context=["Marie Dubois", "Claire Martin"])
    assert found.person_id == "marie.dubois"
    assert found.method == "first_name+context"
    assert found.confidence < resolver.resolve("Claire", "name", AFTER).confidence


def test_written_forms_of_a_name(resolver):
    cases = {
        "Marie Dubois": "marie.dubois",
        "marie  DUBOIS": "marie.dubois",
        "Helene Roux": "helene.roux",  # accents ignored
        "Jean D.": "jean.dupont",
        "J. Dupont": "jean.dupont",
        "Mme Martin": "claire.martin",
        "MDu": "marie.dubois",  # declared alias
        "CM": "claire.martin",  # initials computed from the display name
        "Nadia E": "nadia.elamrani",  # declared "Nadia E.", written without the dot
        "Nadia A.": "nadia.elamrani",  # last initial of a two-word surname
    }
    for written, person in cases.items():
        assert resolver.resolve(written, "name", AFTER).person_id == person, written


def test_initials_and_surnames_shared_by_two_people_stay_ambiguous(resolver):
    for written in ("MD", "Marie D.", "Dupont", "M. Dupont"):
        found = resolver.resolve(written, "name", AFTER)
        assert found.status == "ambiguous", written


def test_abbreviations_are_not_initials(resolver):
    assert resolver.resolve("HR", "name", AFTER).person_id is None


def test_role_mention_follows_the_holder_at_that_date(resolver):
    assert resolver.resolve("le CTO", "name", BEFORE).person_id == "paul.lefevre"
    assert resolver.resolve("the CTO", "name", AFTER).person_id == "sophie.bernard"
    assert resolver.resolve("le CTO", "name", date(2025, 12, 31)).person_id == "paul.lefevre"
    assert resolver.resolve("le CTO", "name", date(2026, 1, 1)).person_id == "sophie.bernard"


def test_person_who_changed_role_keeps_one_identity(resolver):
    # Jean was CPO until 2023-04-30, then Head of Product under Hélène.
    assert resolver.resolve("notre CPO", "name", date(2023, 1, 10)).person_id == "jean.dupont"
    assert resolver.resolve("notre CPO", "name", AFTER).person_id == "helene.roux"
    for day in (date(2023, 1, 10), AFTER):
        found = resolver.resolve("jdupont", "github", day)
        assert (found.person_id, found.confidence) == ("jean.dupont", 1.0)


def test_departed_person_is_not_resolved_from_a_name_after_leaving(resolver):
    assert resolver.resolve("Paul", "name", BEFORE).person_id == "paul.lefevre"
    found = resolver.resolve("Paul", "name", AFTER)
    assert found.person_id is None
    assert "left on 2025-12-31" in found.reason


def test_departed_account_resolves_with_low_confidence_and_a_reason(resolver):
    found = resolver.resolve("PLefevre", "github", AFTER)
    assert (found.person_id, found.confidence, found.reason) == (
        "paul.lefevre",
        0.5,
        "left on 2025-12-31",
    )
    assert resolver.resolve("plefevre", "github", BEFORE).confidence == 1.0


def test_not_yet_arrived_person_is_not_resolved(resolver):
    assert resolver.resolve("Sophie", "name", BEFORE).person_id is None
    assert resolver.resolve("Sophie", "name", AFTER).person_id == "sophie.bernard"


def test_jira_account_email_and_display_name(resolver):
    assert resolver.resolve("5b10a2844c20165700ede21g", "jira", AFTER).person_id == "marie.dubois"
    assert resolver.resolve("Marie.Dubois@acme.example", "jira", AFTER).person_id == "marie.dubois"
    named = resolver.resolve("Marie Dubois", "jira", AFTER)
    assert named.person_id == "marie.dubois" and named.method.startswith("jira_display_name")
    assert resolver.resolve("Marie", "jira", AFTER).status == "ambiguous"


def test_email_falls_back_to_the_local_part(resolver):
    found = resolver.resolve("marie.durand@acme.example", "email", AFTER)
    assert (found.person_id, found.method) == ("marie.durand", "email_local_part")
    assert resolver.resolve("nobody@acme.example", "email", AFTER).person_id is None


def test_handle_in_minutes_attendance_line(resolver):
    found = resolver.resolve("Sophie B. @sbernard (CTO)", "name", AFTER)
    assert (found.person_id, found.method) == ("sophie.bernard", "github_handle")


def test_unknown_role_holder_is_explained(resolver):
    found = resolver.resolve("la DRH", "name", AFTER)
    assert found.person_id is None and "hr_director" in found.reason


def test_statuses_say_what_a_human_must_fix(resolver):
    """The dbt mart fct_unresolved_aliases lists these; the resolver gives each its status."""
    marie = resolver.resolve("Marie", "name", AFTER)
    assert (marie.person_id, marie.status) == (None, "ambiguous")
    assert list(marie.candidates) == ["marie.dubois", "marie.durand"]
    assert resolver.resolve("ghost", "github", AFTER).status == "unresolved"
    departed = resolver.resolve("plefevre", "github", AFTER)
    assert departed.person_id and departed.reason  # resolves, with the departure as reason
    assert resolver.resolve("Claire Martin", "name", AFTER).reason is None
