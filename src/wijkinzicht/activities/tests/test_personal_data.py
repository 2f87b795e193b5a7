"""Personal data stays out (issue 12, item 6): the ids, headers and notes of the attack replayed
through the service, the import, the API and the page; rejected rows never keep a BSN and are for
the importer and the coordinators only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.activities import services
from wijkinzicht.activities.models import Meeting, Participant
from wijkinzicht.core.personal_data import mask
from wijkinzicht.core.tabular import TableError

from .test_import import _csv, _import

BSN_NOTATIONS = ["111222333", "111.222.333", "111-222-333", "111 222 333", "BSN111222333",
                 "bsn-111222333", "BSN:111.222.333", "12345672", "1112.22.333"]
NAME_IDS = ["Pieter.de.Vries", "JanJansen", "j.jansen", "p.van.der.berg1", "Mohammed"]
CONTACT_IDS = ["jan@example.nl", "06-12345678", "0612345678", "+31612345678"]
GOOD_IDS = ["K-0042", "D0001", "123456789", "deelnemer-12", "2024-0017", "k1"]


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


@pytest.mark.parametrize("value", BSN_NOTATIONS + NAME_IDS + CONTACT_IDS)
def test_refused_ids_through_service_import_and_api(orgs, value):
    a = orgs["A"]
    with pytest.raises(ValidationError) as exc:
        services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym=value)
    assert "pseudonym" in exc.value.message_dict
    assert "111222333" not in str(exc.value) and "11122233" not in str(exc.value)  # not repeated
    batch = _import(orgs, "participants", _csv([["deelnemer", "geboortejaar"], [value, "1950"]]))
    assert batch.rows_rejected == 1 and batch.errors[0]["column"] == "deelnemer"
    r = api(a["fieldworker"]).post("/api/v1/participants", {"pseudonym": value}, format="json")
    assert r.status_code == 400, r.content
    assert not Participant.objects.exists()


@pytest.mark.parametrize("value", GOOD_IDS)
def test_ordinary_codes_are_accepted(orgs, value):
    a = orgs["A"]
    assert services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym=value).pk


@pytest.mark.parametrize("header", ["BSN-nummer", "Naam deelnemer", "geboorte datum", "E-mailadres",
                                    "Telefoonnummer", "adres", "Postcode", "Achternaam", "voornaam_client",
                                    "Burgerservicenummer (BSN)", "cliëntnaam", "Mobiel", "Geb. datum",
                                    "dob", "tel.", "Tel.nr."])
def test_forbidden_columns_are_recognised_in_any_spelling(orgs, header):
    data = _csv([["deelnemer", header, "geboortejaar"], ["K-1", "x", "1950"]])
    with pytest.raises(TableError) as exc:
        _import(orgs, "participants", data)
    assert header in str(exc.value)
    with pytest.raises(TableError):
        _import(orgs, "attendance", _csv([["activiteit", "datum", "deelnemer", header]]))
    assert not Participant.objects.exists()


def test_the_attack_header_is_refused():
    """`BSN-nummer;Naam deelnemer;geboorte datum` was imported in the attack."""
    from wijkinzicht.activities.importers import forbidden_columns

    assert forbidden_columns(["BSN-nummer", "Naam deelnemer", "geboorte datum"], ["deelnemer"]) == [
        "BSN-nummer", "Naam deelnemer", "geboorte datum"]


def test_an_activity_file_keeps_its_venue_address_and_contact(orgs):
    from wijkinzicht.activities.importers import forbidden_columns

    header = ["code", "titel", "type", "adres", "postcode", "telefoon", "e-mail", "contactpersoon",
              "telefoonnummer", "E-mailadres"]
    assert forbidden_columns(header, ["code", "titel", "type", "adres", "postcode", "telefoon", "email",
                                      "contactpersoon"]) == []
    assert forbidden_columns([*header, "bsn deelnemer", "naam bewoner"], ["adres"]) [-2:] == [
        "bsn deelnemer", "naam bewoner"]


@pytest.mark.parametrize("note", ["Mevr. met BSN 111.222.333 kwam", "bel 06-12345678", "mail jan@example.nl"])
def test_a_meeting_note_with_personal_data_is_refused(orgs, note):
    from wijkinzicht.activities.models import Activity

    a = orgs["A"]
    activity = services.activity_create(user=a["fieldworker"], organisation=a["org"], code="K",
                                        title="Koffie", kind="buurthuis", area_codes=["BU03630000"],
                                        start_date=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.meeting_register(user=a["fieldworker"], activity=activity, date=dt.date(2024, 2, 1),
                                  note=note)
    assert "note" in exc.value.message_dict
    batch = _import(orgs, "meetings", _csv([["activiteit", "datum", "opmerking"], ["K", "2024-02-01", note]]))
    assert batch.rows_rejected == 1 and batch.errors[0]["column"] == "opmerking"
    assert not Meeting.objects.exists() and Activity.objects.count() == 1
    assert services.meeting_register(user=a["fieldworker"], activity=activity, date=dt.date(2024, 2, 1),
                                     note="Verplaatst naar 2024-02-08, 12 mensen").pk


def test_rejected_rows_never_keep_a_refused_bsn_and_are_for_importer_and_coordinators(orgs, client):
    a = orgs["A"]
    rows = [["deelnemer", "geboortejaar"], ["BSN 111.222.333", "1950"], ["jan@example.nl", "1951"],
            ["K-1", "1952"]]
    batch = _import(orgs, "participants", _csv(rows))
    assert batch.rows_rejected == 2 and batch.rows_created == 1
    assert "111" not in batch.rejected_file and "jan@example.nl" not in batch.rejected_file
    assert "[bsn]" in batch.rejected_file and "[e-mail]" in batch.rejected_file
    assert "111222333" not in str(batch.errors) and "111.222.333" not in str(batch.errors)
    url = f"/activiteiten/import/{batch.pk}/afgekeurd.csv"
    for user, allowed in ((a["fieldworker"], True), (a["coordinator"], True), (a["administrator"], True),
                          (a["analyst"], False), (a["researcher"], False), (orgs["B"]["coordinator"], False)):
        client.force_login(user)
        assert client.get(url).status_code == (200 if allowed else 404), user
        r = api(user).get(f"/api/v1/imports/{batch.pk}/rejected")
        assert r.status_code == (200 if allowed else 404), user


def test_mask_leaves_ordinary_text():
    assert mask("Rij 3: 12 mensen op 2024-01-02") == "Rij 3: 12 mensen op 2024-01-02"
