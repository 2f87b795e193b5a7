"""`wijkinzicht score` through the command line, as a researcher runs it."""

import subprocess
import sys

import pytest

HEADER = "respondent;djg_3;djg_4;djg_7;djg_8;djg_9;djg_10;wijk\n"


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "wijkinzicht", "score", *args], capture_output=True, text=True
    )


def test_scores_added_and_columns_pass_through(tmp_path):
    src = tmp_path / "enquete.csv"
    src.write_text(
        HEADER + "R1;ja;nee;Min-of-meer;ja;nee;JA!;Noord\nR2;;nee;nee;nee;ja;ja;Oost\n"
        "R3;;;ja;ja;ja;ja;Zuid\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    r = run("djg6", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER.strip() + ";score;emotional;social;category"
    assert lines[1] == "R1;ja;nee;Min-of-meer;ja;nee;JA!;Noord;4;2;2;matig eenzaam"
    assert lines[2] == "R2;;nee;nee;nee;ja;ja;Oost;5;;3;ernstig eenzaam"  # one missing: not prorated
    assert lines[3] == "R3;;;ja;ja;ja;ja;Zuid;;;;"  # two missing: total missing


def test_stdout_and_comma_files(tmp_path):
    src = tmp_path / "e.csv"
    src.write_text("id,djg_3,djg_4,djg_7,djg_8,djg_9,djg_10\n1,nee,ja,ja,ja,nee,nee\n", encoding="utf-8-sig")
    r = run("djg6", str(src))
    assert r.returncode == 0 and r.stdout.splitlines()[1] == "1,nee,ja,ja,ja,nee,nee,0,0,0,niet eenzaam"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("R1;jaa;nee;nee;nee;nee;nee;x\n", "Rij 2, kolom djg_3"),
        ("R1;ja;nee;nee;nee;nee;nee;x\nR2;ja;nee;nee;nee;nee;1;x\n", "Rij 3, kolom djg_10"),
        ("R1;ja;nee\n", "Rij 2 heeft 3 cellen"),
    ],
)
def test_an_invalid_answer_is_an_error_and_nothing_is_written(tmp_path, body, words):
    src = tmp_path / "e.csv"
    src.write_text(HEADER + body, encoding="utf-8")
    out = tmp_path / "out.csv"
    r = run("djg6", str(src), "--out", str(out))
    assert r.returncode == 1
    assert words in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and not list(tmp_path.glob(".score-*"))


def test_missing_item_column_and_existing_score_column(tmp_path):
    src = tmp_path / "e.csv"
    src.write_text("respondent;djg_3;djg_4\nR1;ja;nee\n", encoding="utf-8")
    r = run("djg6", str(src))
    assert r.returncode == 1 and "djg_7" in r.stderr
    src.write_text(HEADER.strip() + ";score\nR1;ja;nee;nee;nee;nee;nee;x;9\n", encoding="utf-8")
    r = run("djg6", str(src))
    assert r.returncode == 1 and "score" in r.stderr
    r = run("djg6", str(tmp_path / "bestaat-niet.csv"))
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_quoted_cells_pass_through_unchanged(tmp_path):
    src = tmp_path / "e.csv"
    src.write_text(
        'id;opmerking;djg_3;djg_4;djg_7;djg_8;djg_9;djg_10\n1;"a;b ""c""";ja;ja;ja;ja;nee;nee\n'
        '2;"twee\nregels";nee;nee;nee;nee;nee;nee\n3;x;jaa;ja;ja;ja;ja;ja\n',
        encoding="utf-8",
    )
    r = run("djg6", str(src))
    # the bad answer is on file line 5 (the quoted cell of id 2 spans two lines)
    assert r.returncode == 1 and "Rij 5, kolom djg_3" in r.stderr
    src.write_text(src.read_text(encoding="utf-8").replace("jaa", "ja"), encoding="utf-8")
    r = run("djg6", str(src))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1] == '1;"a;b ""c""";ja;ja;ja;ja;nee;nee;1;1;0;niet eenzaam'
    assert r.stdout.splitlines()[2] == '2;"twee'


def test_participatieladder(tmp_path):
    src = tmp_path / "ladder.csv"
    src.write_text("client;trede\nA;1\nB;6\nC;\n", encoding="utf-8")
    r = run("participatieladder", str(src))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "client;trede;score;category",
        "A;1;1;geïsoleerd",
        "B;6;6;betaald werk",
        "C;;;",
    ]
    src.write_text("client;trede\nA;7\n", encoding="utf-8")
    r = run("participatieladder", str(src))
    assert r.returncode == 1 and "Rij 2, kolom trede" in r.stderr


def test_zrm_levels_per_domain_and_no_total(tmp_path):
    from wijkinzicht.analysis.instruments import ZRM

    src = tmp_path / "zrm.csv"
    values = ["1", "2", "3", "4", "5", "", "3", "3", "3", "3", "3", "3", "5"]
    src.write_text("client;" + ";".join(ZRM.columns) + "\nA;" + ";".join(values) + "\n", encoding="utf-8")
    r = run("zrm", str(src))
    assert r.returncode == 0, r.stderr
    header, row = r.stdout.splitlines()
    assert "score" not in header.split(";") and header.endswith("zrm_justitie_niveau")
    cells = row.split(";")
    assert cells[14:17] == ["acute problematiek", "niet zelfredzaam", "beperkt zelfredzaam"]
    assert cells[19] == ""  # an empty domain stays empty
    values[0] = "0"
    src.write_text("client;" + ";".join(ZRM.columns) + "\nA;" + ";".join(values) + "\n", encoding="utf-8")
    r = run("zrm", str(src))
    assert r.returncode == 1 and "kolom zrm_financien" in r.stderr


DJG11_HEADER = "nr," + ",".join(f"djg_{n}" for n in range(1, 12)) + ",leeftijd\n"


def test_djg11_scores_subscales_categories_and_missing(tmp_path):
    src = tmp_path / "lang.csv"
    src.write_text(
        DJG11_HEADER
        # positive items 1 4 7 8 11 "ja", negative items denied: not lonely
        + "1,ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,ja,71\n"
        # all neutral: very severely lonely
        + "2,"
        + ",".join(["min of meer"] * 11)
        + ",80\n"
        # five-point answers, 9 lonely points: positive items 1 and 4 "ja!", the rest lonely
        + "3,ja!,ja!,ja,ja!,JA,Ja,nee!,nee,ja,ja!,nee!,66\n"
        # one emotional item empty: total and emotional missing, social kept
        + "4,nee,,ja,nee,ja,ja,nee,nee,ja,ja,nee,59\n",
        encoding="utf-8",
    )
    r = run("djg11", str(src))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == DJG11_HEADER.strip() + ",score,emotional,social,category"
    assert lines[1].endswith(",71,0,0,0,niet eenzaam")
    assert lines[2].endswith(",80,11,6,5,zeer ernstig eenzaam")
    assert lines[3].endswith(",66,9,6,3,ernstig eenzaam")
    assert lines[4].endswith(",59,,,5,")


def test_djg11_invalid_answer_names_row_and_column(tmp_path):
    src = tmp_path / "lang.csv"
    src.write_text(DJG11_HEADER + "1,ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,misschien,71\n", encoding="utf-8")
    out = tmp_path / "uit.csv"
    r = run("djg11", str(src), "--out", str(out))
    assert r.returncode == 1 and "Rij 2, kolom djg_11" in r.stderr and "misschien" in r.stderr
    assert not out.exists()
