"""Issue 15, item 7: the composition page -- an analyst uploads a pseudonymous person panel and
sees an area's change split into stayers, entrants and leavers; nothing is kept, small groups are
not shown, and a BSN is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wijkinzicht.analysis.evaluation import composition

pytestmark = pytest.mark.django_db
HEADER = b"id;periode;gebied;uitkomst\n"


def panel(stayers=8, entrants=6, leavers=7, id_prefix="p") -> tuple[bytes, dict, dict]:
    before, after = {}, {}
    lines = ["id;periode;gebied;uitkomst"]
    for i in range(stayers):
        before[f"{id_prefix}s{i}"], after[f"{id_prefix}s{i}"] = 5.0 + i % 3, 5.5 + i % 3
    for i in range(leavers):
        before[f"{id_prefix}l{i}"] = 4.0 + (i % 2) * 0.5
    for i in range(entrants):
        after[f"{id_prefix}e{i}"] = 7.0 + (i % 2) * 0.25
    for person, value in before.items():
        lines.append(f"{person};2020;Kop Zeedijk;{str(value).replace('.', ',')}")
    for person, value in after.items():
        lines.append(f"{person};2022;Kop Zeedijk;{str(value).replace('.', ',')}")
    lines.append("x1;2020;Nes e.o.;3")
    return ("\n".join(lines) + "\n").encode(), before, after


def post(client, org, data: bytes, **fields):
    upload = SimpleUploadedFile("panel.csv", data, content_type="text/csv")
    return client.post(reverse("evaluation:composition"),
                       {"organisation": str(org.pk), "file": upload, "area": "Kop Zeedijk", **fields})


def test_the_change_is_split_and_the_parts_add_up(client, two_organisations):
    from wijkinzicht.core.models import ProcessingLogEntry

    a = two_organisations["A"]
    client.force_login(a["analyst"])
    data, before, after = panel()
    logged = ProcessingLogEntry.objects.count()
    page = post(client, a["org"], data).content.decode()
    expected = composition(before, after)
    assert 'id="chart-composition"' in page and 'aria-describedby="table-composition"' in page
    parts = (expected.stayers_change, expected.entrants_effect, expected.leavers_effect, expected.change)
    for value in parts:
        assert f"{value:.2f}".replace(".", ",") in page
    assert expected.stayers_change + expected.entrants_effect + expected.leavers_effect == pytest.approx(
        expected.change)
    assert ProcessingLogEntry.objects.count() == logged + 1
    assert ProcessingLogEntry.objects.order_by("-pk").first().name == "evaluation.composition"


def test_small_groups_are_not_shown_nor_the_part_that_would_give_them_away(client, two_organisations):
    a = two_organisations["A"]
    client.force_login(a["analyst"])
    data, before, after = panel(entrants=2)
    page = post(client, a["org"], data).content.decode()
    expected = composition(before, after)
    assert f"{expected.entrants_effect:.2f}".replace(".", ",") not in page
    # the total minus the two visible parts would give the entrants' part away, and the period
    # totals minus the stayers their number: neither is shown (an attack pass found both)
    assert f"{expected.change:.2f}".replace(".", ",") not in page
    assert "Mensen in het gebied" not in page
    assert f"{expected.leavers_effect:.2f}".replace(".", ",") in page
    start = page.index('id="table-composition"')
    table = page[start:page.index("</table>", start)]
    assert table.count("niet getoond") == 2 and "&lt;5" in table


def test_an_empty_group_is_shown_as_small_not_as_zero(client, two_organisations):
    a = two_organisations["A"]
    client.force_login(a["analyst"])
    data, _before, _after = panel(entrants=0)
    page = post(client, a["org"], data).content.decode()
    start = page.index('id="table-composition"')
    table = page[start:page.index("</table>", start)]
    entrants = table[table.index("nieuwkomers"):]
    entrants = entrants[:entrants.index("</tr>")]
    assert "niet getoond" in entrants and "&lt;5" in entrants and "0,00" not in entrants


def test_a_falling_average_draws_bars_downwards(client, two_organisations):
    """An attack pass: an area whose mean went down crashed the chart (500)."""
    a = two_organisations["A"]
    client.force_login(a["analyst"])
    lines = [HEADER.decode().strip()]
    lines += [f"s{i}x;2022;Kop Zeedijk;6" for i in range(20)]
    lines += [f"s{i}x;2023;Kop Zeedijk;5" for i in range(20)]
    lines += [f"e{i}x;2023;Kop Zeedijk;3" for i in range(5)]
    lines += [f"l{i}x;2022;Kop Zeedijk;7" for i in range(5)]
    page = post(client, a["org"], ("\n".join(lines) + "\n").encode()).content.decode()
    assert 'id="chart-composition"' in page
    assert "-1,60" in page  # the total change: stayers -1,00, entrants -0,40, leavers -0,20


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id;periode;gebied;uitkomst\n123456782;2020;Kop Zeedijk;5\n", "lijkt op een BSN"),
        (b"persoon;jaar;gebied\np1;2020;Kop Zeedijk\n", "geen kolom"),
        (HEADER + b"p1;2020;Kop Zeedijk;veel\n", "Rij 2, kolom uitkomst: veel is geen getal"),
        (HEADER + b"p1;2020;Kop Zeedijk;5\np1;2020;Kop Zeedijk;6\n", "komt twee keer voor"),
        (HEADER + b"p1;2020;Kop Zeedijk;5\np2;2022;Elders;6\n", "Niemand in Kop Zeedijk"),
        (b"\x00\x01\x02garbage", "geen CSV-tekstbestand"),
        (b"PK\x03\x04workbook", "Sla de persoonsreeks op als CSV"),
        (HEADER + b"1,23456782E+08;2020;Kop Zeedijk;5\n", "lijkt op een BSN"),
        (HEADER + b"jan@example.nl;2020;Kop Zeedijk;5\n", "lijkt op een e-mailadres"),
        (HEADER + b"P1;2020;0612345678;5\n", "kolom gebied: dit lijkt op een telefoonnummer"),
        (HEADER + b"Pieter de Vries;2020;Kop Zeedijk;5\n", "een id zonder cijfers kan een naam zijn"),
        (HEADER + b"p1;2020;Kop Zeedijk;1e308\n", "is geen getal (hoogstens 10^12 groot)"),
        (HEADER + b"p1;2020;Kop Zeedijk;1_000\n", "is geen getal"),
        (HEADER + b"p1;2020;;5\n", "Rij 2, kolom gebied: leeg"),
        (HEADER + b"p1;2020;Kop Zeedijk;5\np2;2022;Kop Zeedijk;6\n", "was er niemand in beide perioden"),
    ],
)
def test_bad_files_get_a_message_naming_the_row(client, two_organisations, content, message):
    a = two_organisations["A"]
    client.force_login(a["analyst"])
    response = post(client, a["org"], content)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    assert 'id="chart-composition"' not in page


def test_only_evaluating_roles_of_the_own_organisation(client, two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    client.force_login(a["fieldworker"])
    assert client.get(reverse("evaluation:composition")).status_code == 403
    client.force_login(b["analyst"])
    data, _before, _after = panel()
    page = post(client, a["org"], data).content.decode()
    assert "Selecteer een geldige keuze" in page and 'id="chart-composition"' not in page
    client.logout()
    assert client.get(reverse("evaluation:composition")).status_code == 302
