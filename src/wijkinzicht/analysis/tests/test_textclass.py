"""Issue 17, item 3: the theme classifier -- features, the lexicon, calibrated thresholds, model files
without pickles, and an evaluation that beats the lexicon and the majority class on held-out data
(on the synthetic corpus in data/signals; see scripts/signal_corpus.py)."""

import io
import json
from pathlib import Path

import numpy as np
import pytest

from wijkinzicht.analysis import textclass as tc
from wijkinzicht.signals.command import main

CORPUS = Path(__file__).resolve().parents[4] / "data" / "signals" / "signals_synthetic.csv"


@pytest.fixture(scope="module")
def corpus():
    texts, labels = tc.read_labelled(CORPUS.read_text(encoding="utf-8"))
    return texts[:2500], labels[:2500]


def test_features_stem_pairs_and_character_grams():
    feats = tc.features("Eenzaamheid onder ouderen")
    assert "w:eenzaam" in feats and "b:eenzaam ouder" in feats
    assert "c: een" in feats and "c:heid " in feats
    assert not any(f == "w:onder" for f in feats)  # a stop word of the shipped list
    assert "onder" in tc.STOPWORDS and len(tc.STOPWORDS) == 101


def test_lexicon_matches_stemmed_phrases():
    lex = tc.Lexicon.build(
        {"armoede_schulden": ["geen geld", "schulden"], "eenzaamheid": ["eenzaam"]},
        ["armoede_schulden", "eenzaamheid"],
    )
    assert lex.hits("Ze hebben geen geld en veel schulden").tolist() == [2.0, 0.0]
    assert lex.hits("Eenzaamheid onder ouderen").tolist() == [0.0, 1.0]  # eenzaamheid and eenzaam: one stem
    assert set(tc.default_lexicon()) >= {"eenzaamheid", "armoede_schulden", "verslaving"}


def test_read_labelled_names_the_line_and_column():
    with pytest.raises(tc.TextClassError, match="column 'label' not found"):
        tc.read_labelled("text,theme\na,b\n", label_column="label")
    with pytest.raises(tc.TextClassError, match="line 3: column 'theme' is empty"):
        tc.read_labelled("text,theme\nfoo,a\nbar,\n")
    texts, labels = tc.read_labelled("tekst;thema\nfoo;a|b\n", text_column="tekst", label_column="thema")
    assert labels == [["a", "b"]]


def test_training_calibrates_and_round_trips_without_pickles(corpus, tmp_path):
    texts, labels = corpus
    model = tc.train(texts, labels, lexicon=tc.default_lexicon())
    assert model.meta["held_out"]["answer_precision"] >= tc.TARGET_PRECISION - 0.05
    assert ((model.thresholds >= 0.5) & (model.thresholds <= 1.0)).all()
    path = tmp_path / "model.npz"
    model.save(path)
    again = tc.Model.load(path)
    sample = ["Veel jongeren hangen rond bij het winkelcentrum en maken lawaai", "geen geld voor de huur"]
    assert np.allclose(model.probabilities(sample), again.probabilities(sample), atol=1e-5)
    best = again.suggest(sample[0])[0]
    assert best.label == "jeugdoverlast" and best.certain
    assert again.top_features("jeugdoverlast", 5)
    # a file with a pickle inside is refused, not run
    np.savez(tmp_path / "evil.npz", meta=np.array([{"a": 1}], dtype=object))
    with pytest.raises(tc.TextClassError, match="not a model file"):
        tc.Model.load(tmp_path / "evil.npz")


def test_lexicon_only_model_asks_never_answers():
    model = tc.lexicon_only(["eenzaamheid", "verslaving"], tc.default_lexicon())
    suggestions = model.suggest("Ze voelt zich eenzaam en geisoleerd, niemand komt langs")
    assert suggestions[0].label == "eenzaamheid" and not suggestions[0].certain
    assert model.suggest("Het weer was mooi") == []


def test_evaluation_beats_both_baselines_on_held_out_data(corpus):
    texts, labels = corpus
    result = tc.evaluate(texts, labels, folds=3, lexicon=tc.default_lexicon())
    model, lexicon, majority = result["model"], result["lexicon"], result["majority"]
    assert model["macro_f1"] > lexicon["macro_f1"] + 0.1
    assert model["macro_f1"] > majority["macro_f1"] + 0.5
    assert model["micro_f1"] > lexicon["micro_f1"]
    assert set(model["labels"]) == {label for found in labels for label in found}
    for figures in model["labels"].values():
        assert 0 <= figures["precision"] <= 1 and figures["support"] > 0
    assert result["confusion"] and result["confusion"][0]["count"] >= result["confusion"][-1]["count"]
    assert 0 < result["answered_share"] <= 1


def test_stratified_folds_keep_rare_labels_in_every_fold():
    labels = [["a"]] * 50 + [["b"]] * 10 + [["a", "c"]] * 5
    folds = tc.stratified_folds(labels, 5, seed=1)
    for k in range(5):
        rows = [labels[i] for i in np.nonzero(folds == k)[0]]
        assert sum("b" in r for r in rows) == 2 and sum("c" in r for r in rows) == 1


def test_commands_train_and_evaluate(tmp_path, corpus):
    texts, labels = corpus
    data = tmp_path / "signals.csv"
    data.write_text(
        "tekst,label\n"
        + "".join(f'"{t}",{"|".join(found)}\n' for t, found in zip(texts[:600], labels[:600], strict=True)),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    args = ["--data", str(data), "--text-column", "tekst", "--label-column", "label"]
    assert main(["train", *args, "--out", str(tmp_path / "m.npz")], out, err) == 0, err.getvalue()
    assert "written to" in out.getvalue() and (tmp_path / "m.npz").exists()
    out = io.StringIO()
    assert main(["evaluate", *args, "--folds", "3", "--json"], out, err) == 0
    result = json.loads(out.getvalue())
    assert result["folds"] == 3 and result["lexicon"]["covers"]
    out = io.StringIO()
    assert main(["evaluate", *args, "--folds", "3"], out, err) == 0
    text = out.getvalue()
    assert "macro F1" in text and "lexicon" in text and "majority" in text
    assert main(["evaluate", "--data", str(data)], io.StringIO(), err) == 1
    assert "column 'text' not found" in err.getvalue()
