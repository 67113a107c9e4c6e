"""The day of a statement across news domains (courts, health, sport, business, local
government, science): a wrong day for the same statement, or for a matching quotation, is a
finding; the same day, as a weekday or as a full date, is consistent; another speaker, other
people, another subject, a coarser or relative date, a pronoun speaker or an event's date
compare with nothing. The organisations, people, places and days are invented."""

from __future__ import annotations

import pytest

from corpus_engine import engine_over_files, findings_and_agreed
from factlint.engine import Engine

# Each article: a lead with an undated statement by an organisation about two named people,
# then its spokesperson's quotation with a weekday (which dates the lead), and in some a
# named person's dated quotation. Undated articles keep bare weekdays; the .md ones have a
# front matter date that resolves their weekdays to full dates.
COURT_QUOTE = "The trial will begin as listed and no further adjournment will be granted"
LAWYER_QUOTE = "My client has waited two years to clear his name"
HEALTH_QUOTE = "Patients deserve shorter waits and straight answers about their care"
LEAGUE_QUOTE = "The disciplinary panel found both tackles reckless and the bans stand"
COACH_QUOTE = "We are gutted for the lads but we will respect the decision"
BOARD_QUOTE = "The board thanks them both and will name a successor within weeks"
CEO_QUOTE = "I leave a stronger company than the one I joined"
COUNCIL_QUOTE = "Residents are owed a full account of how this contract was awarded"
REEF_QUOTE = "The reef is healthier than anything we expected to find at that depth"

COURTS = (  # undated: the lead is Tuesday's, by its spokesman; the lawyer spoke Wednesday
    "Fraud trial to go ahead as listed\n\n"
    "The Western Circuit Court said the fraud trial of Daniel Okafor and Lena Brandt would "
    "open before the summer recess, rejecting a defence request for a delay.\n\n"
    f"\"{COURT_QUOTE},\" Western Circuit Court spokesman Aled Pryce said Tuesday.\n\n"
    f"\"{LAWYER_QUOTE},\" defence lawyer Ruth Calloway said on Wednesday.\n")
HEALTH = (  # Friday 16 May 2025: "on Thursday" is 15 May 2025
    "---\ndate: 2025-05-16\n---\n# Heart surgeons to lead review of waiting times\n\n"
    "The Northfield Health Authority said that surgeons Priya Raman and Declan Hurley would "
    "lead an independent review of waiting times at its two cardiac units.\n\n"
    f"\"{HEALTH_QUOTE},\" Northfield Health Authority spokeswoman Grace Adeyemi said on "
    "Thursday.\n")
SPORT = (  # undated: the lead is Monday's, by its spokesman; the coach spoke Tuesday
    "Hockey pair lose appeal\n\n"
    "The Coastal Hockey League said Josh Merriman and Sam Oduya would miss the cup final "
    "after the two Harbour City players lost their appeal against a dangerous play ban.\n\n"
    f"\"{LEAGUE_QUOTE},\" Coastal Hockey League spokesman Owen Marsh said on Monday.\n\n"
    f"\"{COACH_QUOTE},\" Harbour City coach Nina Falk said on Tuesday.\n")
BUSINESS = (  # Friday 22 November 2024: Wednesday is the 20th, Thursday the 21st
    "---\ndate: 2024-11-22\n---\n# Brightwater chief executive and finance director to go\n\n"
    "Brightwater Foods said that chief executive Hanna Sorel and finance director Matteo "
    "Brenner would step down after the annual shareholder meeting, ending a long dispute "
    "over the company's pension fund.\n\n"
    f"\"{BOARD_QUOTE},\" Brightwater Foods spokesman Ravi Mistry said on Wednesday.\n\n"
    f"\"{CEO_QUOTE},\" Hanna Sorel said on Thursday.\n")
COUNCIL = (  # undated: the lead is Wednesday's, by its spokeswoman
    "Inquiry into car park contract\n\n"
    "Kelbourne City Council ruled out a public vote on the riverside car park contract and "
    "said that councillors Amira Haddad and Peter Lindgren would chair an inquiry into how it "
    "was awarded.\n\n"
    f"\"{COUNCIL_QUOTE},\" Kelbourne City Council spokeswoman Joanne Petrie said Wednesday.\n")
SCIENCE = (  # undated: the institute's lead has no day (the quotation is not its office's)
    "Deep reef mapped off Skarvik\n\n"
    "The Halden Marine Institute said that its researchers Ines Moreau and Karl Nyberg had "
    "mapped a cold-water coral reef twice the size of any previously known in the Skarvik "
    "fjord.\n\n"
    f"\"{REEF_QUOTE},\" Ines Moreau said on Thursday.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over_files(tmp_path_factory.mktemp("statement-domains"), {
        "courts.txt": COURTS, "health.md": HEALTH, "sport.txt": SPORT,
        "business.md": BUSINESS, "council.txt": COUNCIL, "science.txt": SCIENCE})


def _dates(e: Engine, draft: str) -> tuple[list[str], list[str]]:
    return findings_and_agreed(e, draft, "date")


COURT_LEAD = ("The Western Circuit Court said {day} that the fraud trial of Daniel Okafor and "
              "Lena Brandt would open before the summer recess.")
HEALTH_LEAD = ("The Northfield Health Authority said {day} that Priya Raman and Declan Hurley "
               "would lead an independent review of waiting times at its cardiac units.")
BUSINESS_LEAD = ("Brightwater Foods said {day} that Hanna Sorel and Matteo Brenner would step "
                 "down after the annual shareholder meeting.")
COUNCIL_LEAD = ("Kelbourne City Council said {day} that Amira Haddad and Peter Lindgren would "
                "chair an inquiry into the riverside car park contract.")

# (draft, the draft's day, the corpus's day): one finding naming both
FIRES = [
    pytest.param(COURT_LEAD.format(day="on Monday"), "Monday", "Tuesday",
                 id="courts-lead-dated-by-its-spokesman"),
    pytest.param(COURT_LEAD.format(day="on 3 March 2025"), "3 March 2025", "Tuesday",
                 id="courts-full-date-is-a-monday"),
    pytest.param(f"\"{COURT_QUOTE},\" court spokesman Aled Pryce said on Thursday.",
                 "Thursday", "Tuesday", id="courts-spokesman-quotation"),
    pytest.param("Aled Pryce said on Friday that \"the trial will begin as listed and no "
                 "further adjournment\" would be allowed.", "Friday", "Tuesday",
                 id="courts-quotation-fragment"),
    pytest.param(f"\"{COURT_QUOTE},\" the Western Circuit Court said on Monday.",
                 "Monday", "Tuesday", id="courts-office-given-its-spokesman-quotation"),
    pytest.param(f"\"{LAWYER_QUOTE},\" defence lawyer Ruth Calloway said on Tuesday.",
                 "Tuesday", "Wednesday", id="courts-named-lawyer-quotation"),
    pytest.param(HEALTH_LEAD.format(day="on Wednesday"), "Wednesday", "15 May 2025",
                 id="health-weekday-against-dated-article"),
    pytest.param(HEALTH_LEAD.format(day="on 14 May"), "14 May", "15 May 2025",
                 id="health-full-date-against-dated-article"),
    pytest.param(f"\"{HEALTH_QUOTE},\" health authority spokeswoman Grace Adeyemi said on "
                 "Tuesday.", "Tuesday", "15 May 2025", id="health-spokeswoman-quotation"),
    pytest.param("The Coastal Hockey League on Sunday said Josh Merriman and Sam Oduya would "
                 "miss the cup final after losing their appeal against a dangerous play ban.",
                 "Sunday", "Monday", id="sport-day-before-the-verb"),
    pytest.param(f"\"{COACH_QUOTE},\" Harbour City coach Nina Falk said on Wednesday.",
                 "Wednesday", "Tuesday", id="sport-named-coach-quotation"),
    pytest.param(BUSINESS_LEAD.format(day="on Tuesday"), "Tuesday", "20 November 2024",
                 id="business-weekday-against-dated-article"),
    pytest.param(f"\"{CEO_QUOTE},\" Hanna Sorel said on Friday.", "Friday", "21 November 2024",
                 id="business-named-chief-executive-quotation"),
    pytest.param("Kelbourne City Council on Monday ruled out a public vote on the riverside car "
                 "park contract, saying Amira Haddad and Peter Lindgren would chair an inquiry.",
                 "Monday", "Wednesday", id="council-ruled-out"),
    pytest.param(f"\"{COUNCIL_QUOTE},\" council spokeswoman Joanne Petrie said Thursday.",
                 "Thursday", "Wednesday", id="council-spokeswoman-quotation"),
    pytest.param(f"\"{REEF_QUOTE},\" Ines Moreau said on Tuesday.", "Tuesday", "Thursday",
                 id="science-named-researcher-quotation"),
]

# (draft, the draft's date text found consistent)
AGREES = [
    pytest.param(COURT_LEAD.format(day="on Tuesday"), "Tuesday", id="courts-lead-same-day"),
    pytest.param(COURT_LEAD.format(day="on 4 March 2025"), "4 March 2025",
                 id="courts-full-date-is-a-tuesday"),
    pytest.param(f"\"{COURT_QUOTE},\" Aled Pryce said on Tuesday.", "Tuesday",
                 id="courts-spokesman-quotation-same-day"),
    pytest.param("Defence lawyer Ruth Calloway said on Wednesday that \"my client has waited "
                 "two years to clear his name\".", "Wednesday",
                 id="courts-lawyer-quotation-fragment-same-day"),
    pytest.param("On Thursday, the Northfield Health Authority said that Priya Raman and Declan "
                 "Hurley would lead an independent review of waiting times at its cardiac units.",
                 "Thursday", id="health-weekday-of-the-article-date"),
    pytest.param(HEALTH_LEAD.format(day="on 15 May"), "15 May",
                 id="health-same-day-as-a-full-date"),
    pytest.param(f"\"{HEALTH_QUOTE},\" Grace Adeyemi said on Thursday.", "Thursday",
                 id="health-spokeswoman-quotation-same-day"),
    pytest.param("On Monday, the Coastal Hockey League said Josh Merriman and Sam Oduya would "
                 "miss the cup final after losing their appeal.", "Monday",
                 id="sport-lead-same-day"),
    pytest.param(f"\"{COACH_QUOTE},\" Harbour City coach Nina Falk said on Tuesday.", "Tuesday",
                 id="sport-coach-quotation-same-day"),
    pytest.param(BUSINESS_LEAD.format(day="Wednesday"), "Wednesday",
                 id="business-said-weekday-without-on"),
    pytest.param("Brightwater Foods said on 20 November that chief executive Hanna Sorel and "
                 "finance director Matteo Brenner would step down after the annual shareholder "
                 "meeting.", "20 November", id="business-same-day-as-a-full-date"),
    pytest.param(f"\"{CEO_QUOTE},\" Hanna Sorel said on 21 November.", "21 November",
                 id="business-quotation-same-day-as-a-full-date"),
    pytest.param(COUNCIL_LEAD.format(day="on Wednesday"), "Wednesday",
                 id="council-lead-same-day"),
    pytest.param(f"\"{REEF_QUOTE},\" Ines Moreau said on Thursday.", "Thursday",
                 id="science-quotation-same-day"),
]

# drafts whose date is no statement's the corpus dates, or says nothing against its day
SILENT = [
    # a short fragment of the spokesman's quotation: a stock line is said on many days
    pytest.param("Aled Pryce said on Friday that \"no further adjournment will be granted\" in "
                 "the fraud case.", id="courts-short-quotation-fragment"),
    pytest.param(COURT_LEAD.format(day="on Monday").replace("Western", "Eastern"),
                 id="courts-another-court-same-words"),
    pytest.param(f"\"{COURT_QUOTE},\" defence lawyer Ruth Calloway said on Monday.",
                 id="courts-spokesman-words-from-another-speaker"),
    pytest.param(COURT_LEAD.format(day="in March"), id="courts-a-month-against-a-weekday"),
    pytest.param(COURT_LEAD.format(day="on 4 March"), id="courts-a-date-without-its-year"),
    pytest.param("The Western Circuit Court said on Monday that the fraud trial of Daniel "
                 "Okafor would open before the summer recess.", id="courts-only-one-person"),
    pytest.param("She said on Monday that the fraud trial of Daniel Okafor and Lena Brandt "
                 "would open before the summer recess.", id="courts-pronoun-speaker"),
    pytest.param(COURT_LEAD.format(day="last Monday"), id="courts-last-monday"),
    pytest.param("A preliminary hearing in the fraud trial of Daniel Okafor and Lena Brandt was "
                 "held on Friday.", id="courts-hearing-date-is-no-statement"),
    # the words of the lead (delay, trial, request, defence) but no two of them side by side
    pytest.param("The Western Circuit Court said on Monday that a delay to the trial of Daniel "
                 "Okafor and Lena Brandt had been requested by the defence.",
                 id="courts-shared-words-without-a-phrase"),
    pytest.param("The Northfield Health Authority said on Monday that nurses Tanya Holt and "
                 "Imran Qureshi had been named its staff of the year.",
                 id="health-same-speaker-other-people"),
    pytest.param("The Coastal Hockey League said on Thursday that Josh Merriman and Sam Oduya "
                 "had been named in its team of the season.",
                 id="sport-same-speaker-same-people-other-subject"),
    pytest.param("He said on Sunday that Josh Merriman and Sam Oduya would miss the cup final "
                 "after losing their appeal.", id="sport-pronoun-speaker"),
    pytest.param("Josh Merriman and Sam Oduya were sent off in the first half of the league "
                 "match on Saturday.", id="sport-match-date-is-no-statement"),
    pytest.param("Brightwater Foods said on Tuesday that Hanna Sorel would step down after the "
                 "annual shareholder meeting.", id="business-only-one-person"),
    pytest.param(BUSINESS_LEAD.format(day="last Tuesday"), id="business-last-tuesday"),
    pytest.param("Hanna Sorel said on Monday that she would join the board of a Danish shipping "
                 "group in the new year.", id="business-same-speaker-other-subject"),
    pytest.param(COUNCIL_LEAD.format(day="in June"), id="council-a-month-against-a-weekday"),
    pytest.param("Kelbourne City Council said on Friday that Amira Haddad and Peter Lindgren "
                 "would open the new harbour library.", id="council-same-people-other-subject"),
    pytest.param(COUNCIL_LEAD.format(day="on Monday").replace(
        "Kelbourne City Council", "The Kelbourne Chamber of Commerce"),
        id="council-another-speaker-same-words"),
    pytest.param("The Halden Marine Institute said on Monday that Ines Moreau and Karl Nyberg "
                 "had mapped a cold-water coral reef in the Skarvik fjord.",
                 id="science-statement-the-corpus-gives-no-day"),
    pytest.param(f"\"{REEF_QUOTE},\" Karl Nyberg said on Tuesday.",
                 id="science-quotation-from-another-speaker"),
]


@pytest.mark.parametrize(("draft", "claimed", "corpus_day"), FIRES)
def test_a_wrong_day_for_the_same_statement_is_a_finding(
        engine: Engine, draft: str, claimed: str, corpus_day: str) -> None:
    messages, agreed = _dates(engine, draft)
    assert len(messages) == 1, messages
    assert claimed in messages[0] and corpus_day in messages[0], messages[0]
    assert agreed == []


@pytest.mark.parametrize(("draft", "text"), AGREES)
def test_the_same_day_is_consistent(engine: Engine, draft: str, text: str) -> None:
    assert _dates(engine, draft) == ([], [text])


@pytest.mark.parametrize("draft", SILENT)
def test_nothing_to_compare_is_silence(engine: Engine, draft: str) -> None:
    assert _dates(engine, draft) == ([], [])
