"""Signals (issue 17), side by side in one run:

1. **Theme classifier**: training on 50,000 labelled signals and classifying 100,000, on one core,
   ours (analysis/textclass.py) against Signalen's pipeline (Amsterdam: Snowball Dutch stemming +
   TF-IDF of words and word pairs + multinomial logistic regression, one theme per signal, as the
   issue describes it; rebuilt here with scikit-learn), with macro F1 of both on the 100,000.
   The signals are synthetic (scripts/signal_corpus.py, seed 99): there is no public labelled corpus
   of Dutch field signals. The times say how the pipelines scale; the F1 says how they compare on
   the same data, not how well either would do on real signals.
2. **Trend detection** for every wijk and buurt of Amsterdam (631 areas from CBS's 2025 division,
   data/cbs/areas) x 10 themes = 6,310 series of five years of weekly counts: the improved Farrington
   method for the last week, all series at once. The quasi-Poisson fit at its core is checked
   against statsmodels' GLM (in .venv-bench, `make bench`) on 200 of the series.
3. **False alarms and detection** on simulated series (Noufaily et al.'s design: negative binomial
   counts with a yearly wave), with and without injected rises, and with rising signalling effort
   with and without the adjustment.

    .venv/bin/python benchmarks/signals.py [--peer-python .venv-bench/bin/python] [--quick]
"""

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # one core, as the issue asks

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import signal_corpus  # noqa: E402

from wijkinzicht.analysis import surveillance as sv  # noqa: E402
from wijkinzicht.analysis import textclass as tc  # noqa: E402
from wijkinzicht.analysis.text import normalise, stem  # noqa: E402


def signalen_pipeline():
    """Stemming + TF-IDF + logistic regression, one label: Signalen's recipe."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    def preprocess(text: str) -> str:
        return " ".join(stem(w) for w in normalise(text).split())

    stop = sorted({stem(w) for w in tc.STOPWORDS})
    return Pipeline([
        ("tfidf", TfidfVectorizer(preprocessor=preprocess, stop_words=stop, ngram_range=(1, 2), min_df=2,
                                  sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")),
        ("clf", LogisticRegression(C=10.0, max_iter=1000)),
    ])


def classifier(train_n: int, test_n: int) -> dict:
    rows = list(signal_corpus.rows(train_n + test_n, seed=99))
    texts = [r["text"] for r in rows]
    labels = [tc.split_labels(r["theme"]) for r in rows]
    train_x, train_y, test_x, test_y = texts[:train_n], labels[:train_n], texts[train_n:], labels[train_n:]
    names = sorted({label for found in labels for label in found})
    truth = tc.binarise(test_y, names)
    out = {"train": train_n, "classify": test_n}

    started = time.perf_counter()
    model = tc.train(train_x, train_y, lexicon=tc.default_lexicon())
    out["ours_train_s"] = time.perf_counter() - started
    started = time.perf_counter()
    p = np.vstack([model.probabilities(test_x[i:i + 10_000]) for i in range(0, test_n, 10_000)])
    chosen = tc.predict_sets(p)
    out["ours_classify_s"] = time.perf_counter() - started
    index = [model.labels.index(n) for n in names]
    scores = tc._scores(truth, chosen[:, index], names)
    out["ours_macro_f1"], out["ours_micro_f1"] = scores["macro_f1"], scores["micro_f1"]
    answered = p >= model.thresholds
    out["ours_answered_share"] = float(answered.any(axis=1).mean())
    out["ours_answer_precision"] = float(tc.binarise(test_y, model.labels)[answered].mean())

    pipeline = signalen_pipeline()
    started = time.perf_counter()
    pipeline.fit(train_x, [found[0] for found in train_y])
    out["signalen_train_s"] = time.perf_counter() - started
    started = time.perf_counter()
    predicted = np.concatenate([pipeline.predict(test_x[i:i + 10_000]) for i in range(0, test_n, 10_000)])
    out["signalen_classify_s"] = time.perf_counter() - started
    single = np.zeros(truth.shape, dtype=bool)
    for row, label in enumerate(predicted):
        single[row, names.index(label)] = True
    scores = tc._scores(truth, single, names)
    out["signalen_macro_f1"], out["signalen_micro_f1"] = scores["macro_f1"], scores["micro_f1"]
    return out


def amsterdam_areas() -> int:
    with open(ROOT / "data" / "cbs" / "areas" / "nl_gwb_names_2025.csv", newline="", encoding="utf-8") as handle:
        return sum(1 for r in csv.DictReader(handle)
                   if r["gemeente_code"] == "GM0363" and r["level"] in ("wijk", "buurt"))


def trends(peer_python: str | None, runs: int = 5) -> dict:
    areas = amsterdam_areas()
    series = areas * 10
    periods = 5 * 52 + 3 + 26 + 1
    rng = np.random.default_rng(17)
    level = rng.gamma(2.0, 1.5, series)[:, None]
    t = np.arange(periods)
    mean = level * np.exp(0.3 * np.sin(2 * np.pi * t / 52))[None, :]
    size = mean / 0.5
    counts = rng.negative_binomial(size, size / (size + mean)).astype(float)
    effort = rng.integers(8, 14, (series, periods)).astype(float)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = sv.assess(counts, effort)
        timings.append(time.perf_counter() - started)
    out = {"areas": areas, "series": series, "periods": periods, "median_s": float(np.median(timings)),
           "max_s": float(max(timings)), "alarms": int(result.alarm.sum())}
    # the GLM core against statsmodels on 200 series: the first-stage Farrington design
    t0 = periods - 1
    times = np.arange(t0 - 5 * 52 - 3, t0 - 26 + 1)
    levels = sv._season_levels(times - t0, sv.Settings.weekly())
    x = np.column_stack([np.ones(len(times)), (times - t0) / 52,
                         *[(levels == lev).astype(float) for lev in range(1, 10)]])
    y, offset = counts[:200, times], np.log(effort[:200, times])
    beta, mu, _ = sv._irls(x, y, offset, np.ones_like(y))
    phi = sv._phi(y, mu, np.ones_like(y), x.shape[1], np.full(200, len(times)))
    if peer_python:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "glm.npz"
            np.savez(path, x=x, y=y, offset=offset)
            script = (
                "import sys, time, json, numpy as np, statsmodels.api as sm\n"
                "d = np.load(sys.argv[1]); betas, phis, mus = [], [], []\n"
                "t = time.perf_counter()\n"
                "for y, o in zip(d['y'], d['offset']):\n"
                "    r = sm.GLM(y, d['x'], family=sm.families.Poisson(), offset=o).fit(scale='X2')\n"
                "    betas.append(r.params.tolist()); phis.append(float(r.scale)); mus.append(r.fittedvalues.tolist())\n"
                "print(json.dumps({'s': time.perf_counter() - t, 'beta': betas, 'phi': phis, 'mu': mus}))\n"
            )
            done = subprocess.run([peer_python, "-c", script, str(path)], capture_output=True, text=True)
            if done.returncode == 0:
                peer = json.loads(done.stdout)
                out["statsmodels_s_200"] = peer["s"]
                # a season level without a single signal has a coefficient of minus infinity, which each
                # fit stops at a different large negative number: compare coefficients where every level
                # has a count, and the fitted means everywhere
                full = np.array([all(y[i, levels == lev].sum() > 0 for lev in range(10)) for i in range(200)])
                out["series_with_every_level"] = int(full.sum())
                out["max_beta_difference"] = float(np.abs(np.array(peer["beta"]) - beta)[full].max())
                out["max_mu_difference"] = float(np.abs(np.array(peer["mu"]) - mu).max())
                out["max_phi_difference"] = float(np.abs(np.maximum(1, np.array(peer["phi"])) - phi).max())
            else:
                out["peer_error"] = done.stderr.strip().splitlines()[-1:]
    return out


def alarms(series: int) -> list[dict]:
    rows = []
    for label, kw in (
        ("no rise", {"rise": 0}),
        ("rise of 2 sd over 3 weeks", {"rise": 2}),
        ("rise of 3 sd", {"rise": 3}),
        ("rise of 4 sd", {"rise": 4}),
        ("effort +50 % in the last year, adjusted", {"rise": 0, "rising_effort": True, "adjust": True}),
        ("effort +50 % in the last year, not adjusted", {"rise": 0, "rising_effort": True, "adjust": False}),
        ("rise of 3 sd and effort +50 %, adjusted", {"rise": 3, "rising_effort": True, "adjust": True}),
    ):
        result = sv.simulate(series=series, seed=len(rows) + 1, **kw)
        rows.append({"case": label, **result})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_peer = ROOT / ".venv-bench" / "bin" / "python"
    parser.add_argument("--peer-python", default=str(default_peer) if default_peer.exists() else None)
    parser.add_argument("--quick", action="store_true", help="5,000 / 10,000 signals and 100 series")
    options = parser.parse_args()
    train_n, test_n, sims = (5_000, 10_000, 100) if options.quick else (50_000, 100_000, 300)

    c = classifier(train_n, test_n)
    print(f"Theme classifier, {c['train']:,} training and {c['classify']:,} classified signals, one core:")
    print(f"  {'':28}{'train':>9}{'classify':>10}{'macro F1':>10}{'micro F1':>10}")
    print(f"  {'ours (textclass)':28}{c['ours_train_s']:>8.1f}s{c['ours_classify_s']:>9.1f}s"
          f"{c['ours_macro_f1']:>10.3f}{c['ours_micro_f1']:>10.3f}")
    print(f"  {'Signalen pipeline':28}{c['signalen_train_s']:>8.1f}s{c['signalen_classify_s']:>9.1f}s"
          f"{c['signalen_macro_f1']:>10.3f}{c['signalen_micro_f1']:>10.3f}")
    print(f"  ours, confident answers: {c['ours_answered_share']:.1%} of the signals, right "
          f"{c['ours_answer_precision']:.1%} of the time (the rest is asked; Signalen: below 41 % -> 'overig')")
    tr = trends(options.peer_python)
    print(f"Trend detection, Amsterdam: {tr['areas']} wijken and buurten x 10 themes = {tr['series']:,} series "
          f"of {tr['periods']} weeks: median {tr['median_s']:.2f} s, slowest {tr['max_s']:.2f} s "
          f"({tr['alarms']} alarms)")
    if "statsmodels_s_200" in tr:
        print(f"  GLM core against statsmodels on 200 series: largest difference in fitted means "
              f"{tr['max_mu_difference']:.1e}, in dispersion {tr['max_phi_difference']:.1e}, in coefficients "
              f"{tr['max_beta_difference']:.1e} (the {tr['series_with_every_level']} series with a count in "
              f"every season level); statsmodels {tr['statsmodels_s_200']:.2f} s for the 200")
    elif tr.get("peer_error"):
        print(f"  statsmodels check failed: {tr['peer_error']}")
    print(f"False alarms and detection, {sims} simulated weekly series, the last year assessed week by week:")
    for row in alarms(sims):
        detection = "" if row["detection_rate"] is None else f", detected {row['detection_rate']:.0%}"
        print(f"  {row['case']:46} false alarms {row['false_alarm_rate']:.2%} of the weeks{detection}")


if __name__ == "__main__":
    main()
