"""The CSV import reads each row on its own and refuses malformed ones with a reason."""

import pytest
from vigie_partnerships.domain.creators import Account, Profile, RefusedCreator, checked_profile
from vigie_partnerships.domain.csv_import import read_creators_csv

HEADER = "display_name,network,handle,network_id,followers,languages,countries,topics\n"


def test_good_rows_become_profiles_and_bad_rows_refusals_with_their_line() -> None:
    data = (
        HEADER
        + "Alice,bluesky,alice.bsky.social,did:plc:a,12000,fr;en,FR,coffee;Travel\n"
        + "Bob,myspace,bob,,10,,,\n"
        + "Carol,bluesky,carol,did:plc:c,-5,,,\n"
        + "Dan,bluesky,dan,did:plc:d,7,,,,extra\n"
    ).encode()
    rows = read_creators_csv(data)
    assert [line for line, _ in rows.profiles] == [2]
    alice = rows.profiles[0][1]
    assert alice.topics == ("coffee", "travel") and alice.countries == ("FR",)
    assert alice.accounts[0].followers == 12_000
    assert [(r.line, r.reason) for r in rows.refusals] == [
        (3, "UNKNOWN_NETWORK"),
        (4, "INVALID_COUNT"),
        (5, "CSV_EXTRA_FIELDS"),
    ]


def test_an_unknown_column_refuses_the_whole_file() -> None:
    with pytest.raises(RefusedCreator) as refused:
        read_creators_csv(b"network,handle,folowers\nbluesky,a,1\n")
    assert refused.value.reason == "CSV_BAD_HEADER"


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(RefusedCreator) as refused:
        read_creators_csv(b"network,handle\nbluesky,\xff\xfe\n")
    assert refused.value.reason == "CSV_NOT_UTF8"


def test_a_profile_listing_the_same_account_twice_is_refused() -> None:
    account = Account("bluesky", "a", "did:plc:a")
    with pytest.raises(RefusedCreator) as refused:
        checked_profile(Profile("A", (account, account)))
    assert refused.value.reason == "DUPLICATE_ACCOUNT"


def test_a_country_that_is_not_iso_3166_is_refused() -> None:
    with pytest.raises(RefusedCreator) as refused:
        checked_profile(Profile("A", (Account("x", "a", "1"),), countries=("France",)))
    assert refused.value.reason == "INVALID_VALUE"
