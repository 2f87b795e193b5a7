"""Theme suggestions for field signals: a transparent, retrainable text classifier (issue 17).

No Django. The pipeline, each step inspectable:

1. **Normalise** (`analysis.text.normalise`: lower case, accents and punctuation gone) and split
   into words; drop the Snowball project's Dutch stop words (shipped in `data/stopwords_nl.txt`).
2. **Features**: the Snowball Dutch stem of every word (``w:eenzaam``), every pair of neighbouring
   stems (``b:voedselbank wachtlijst``), and the character 3- to 5-grams of every word padded with
   spaces (``c: eenz``), which catch typos and compounds ("hangjongeren", "jongerenoverlast").
   Features seen in fewer than two texts are dropped. Weights are TF-IDF (sublinear term
   frequency, smooth idf, rows scaled to length 1).
3. **The lexicon**: per theme, keywords that curators chose (one or more words, stemmed and
   matched as a sequence). Its hit counts are extra features, so a model trained on few
   confirmed signals still leans on it; with no model at all, the lexicon alone suggests (always
   as a question).
4. **A linear model per theme** (logistic regression, one against the rest, so a signal can have
   several themes), from scikit-learn. Each theme's weights can be read: `top_features`.
5. **Calibrated confidence**: a stratified fifth of the training rows is held out; the model learns
   from the other four fifths, and per theme the threshold is the lowest probability at which at
   least 90 % of its suggestions on the held-out fifth were right (`TARGET_PRECISION`). Above it a
   suggestion is an answer (ticked); below it, a question to the person. A theme that never reaches
   90 % stays a question. The thresholds and the held-out figures are kept with the model. (With
   fewer than 20 texts nothing is held out and every suggestion stays a question.)

`evaluate` measures the same pipeline under stratified k-fold cross-validation on any labelled
file, with the lexicon and the majority class beside it. A model is saved as a numpy archive
without pickles (`save`, `load`: arrays and JSON only), so loading a model file never runs code.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from scipy import sparse

from .text import normalise, stem

FORMAT_VERSION = 1
TARGET_PRECISION = 0.9
LABEL_SEPARATOR = "|"
CHAR_NGRAMS = (3, 4, 5)
MIN_DF = 2
MAX_FEATURES = 400_000


class TextClassError(ValueError):
    """A training file or model that cannot be used, with the reason."""


def _data(name: str) -> str:
    return resources.files("wijkinzicht.analysis").joinpath("data", name).read_text(encoding="utf-8")


STOPWORDS = frozenset(
    line.strip()
    for line in _data("stopwords_nl.txt").splitlines()
    if line.strip() and not line.startswith("#")
)


def default_lexicon() -> dict[str, list[str]]:
    """The shipped keyword lexicon per theme key (data/signal_lexicon_nl.csv)."""
    lexicon: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(_data("signal_lexicon_nl.csv"))):
        lexicon.setdefault(row["theme"], []).append(row["keyword"])
    return lexicon


# ---- text to features ----------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return normalise(text).split()


def _char_grams(word: str) -> list[str]:
    padded = f" {word} "
    return [f"c:{padded[i : i + n]}" for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)]


def features(text: str) -> list[str]:
    """The features of one text, with repeats (see the module's description)."""
    content = [w for w in words(text) if w not in STOPWORDS]
    stems = [stem(w) for w in content]
    out = [f"w:{s}" for s in stems]
    out += [f"b:{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]
    for w in content:
        out += _char_grams(w)
    return out


@dataclass
class Lexicon:
    """Keywords per label, as stem sequences."""

    labels: list[str]
    patterns: list[list[tuple[str, ...]]]  # per label, its keywords as stem tuples

    @classmethod
    def build(cls, lexicon: dict[str, Sequence[str]] | None, labels: Sequence[str]) -> Lexicon:
        lexicon = lexicon or {}
        patterns = []
        for label in labels:
            keys = []
            for keyword in lexicon.get(label, ()):
                stems = tuple(stem(w) for w in words(keyword))
                if stems:
                    keys.append(stems)
            patterns.append(keys)
        return cls(list(labels), patterns)

    @property
    def covers(self) -> list[str]:
        return [label for label, keys in zip(self.labels, self.patterns, strict=True) if keys]

    def hits(self, text: str) -> np.ndarray:
        stems = [stem(w) for w in words(text)]
        joined = " " + " ".join(stems) + " "
        return np.array(
            [sum(joined.count(" " + " ".join(k) + " ") for k in keys) for keys in self.patterns], dtype=float
        )

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        if not self.labels:
            return np.zeros((len(texts), 0))
        return np.vstack([self.hits(t) for t in texts]) if texts else np.zeros((0, len(self.labels)))


class Vectoriser:
    """Features to a TF-IDF matrix, with the vocabulary learnt by `fit`."""

    def __init__(self, vocabulary: dict[str, int] | None = None, idf: np.ndarray | None = None):
        self.vocabulary = vocabulary or {}
        self.idf = idf if idf is not None else np.zeros(0)
        self._word_ids: dict[str, np.ndarray] = {}

    def fit(self, texts: Sequence[str]) -> Vectoriser:
        df: Counter = Counter()
        for text in texts:
            df.update(set(features(text)))
        kept = [(f, n) for f, n in df.items() if n >= MIN_DF]
        if len(kept) > MAX_FEATURES:
            kept = sorted(kept, key=lambda item: (-item[1], item[0]))[:MAX_FEATURES]
        kept.sort()
        self.vocabulary = {f: i for i, (f, _) in enumerate(kept)}
        counts = np.array([n for _, n in kept], dtype=float)
        self.idf = np.log((1 + len(texts)) / (1 + counts)) + 1
        self._word_ids = {}
        return self

    def _ids_of_word(self, word: str) -> np.ndarray:
        """Ids of a word's own features (stem and character grams), computed once per word."""
        ids = self._word_ids.get(word)
        if ids is None:
            vocab = self.vocabulary
            names = [f"w:{stem(word)}", *_char_grams(word)]
            ids = np.array([vocab[n] for n in names if n in vocab], dtype=np.int64)
            self._word_ids[word] = ids
        return ids

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        vocab = self.vocabulary
        pieces: list[np.ndarray] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for row, text in enumerate(texts):
            content = [w for w in words(text) if w not in STOPWORDS]
            stems = [stem(w) for w in content]
            parts = [self._ids_of_word(w) for w in content]
            pairs = [vocab.get(f"b:{a} {b}") for a, b in zip(stems, stems[1:], strict=False)]
            pair_ids = np.array([p for p in pairs if p is not None], dtype=np.int64)
            ids = np.concatenate([*parts, pair_ids]) if parts else pair_ids
            pieces.append(ids)
            lengths[row] = len(ids)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        matrix = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(texts), len(vocab)))
        matrix.sum_duplicates()
        matrix.data = (1 + np.log(matrix.data)) * self.idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix)


# ---- labels --------------------------------------------------------------------------------------


def split_labels(value: str) -> list[str]:
    return sorted({part.strip() for part in (value or "").split(LABEL_SEPARATOR) if part.strip()})


def read_labelled(
    text: str, *, text_column: str = "text", label_column: str = "theme", where: str = ""
) -> tuple[list[str], list[list[str]]]:
    """Texts and label sets from CSV text (comma, semicolon or tab). Rows without text or label
    are refused with their line number."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(h or "").strip() for h in (reader.fieldnames or [])]
    for column in (text_column, label_column):
        if column not in header:
            raise TextClassError(f"{where}column '{column}' not found (columns: {', '.join(header)})")
    texts, labels = [], []
    try:
        for row in reader:
            row = {(k or "").strip(): v for k, v in row.items()}
            body = (row.get(text_column) or "").strip()
            found = split_labels(row.get(label_column) or "")
            if not body:
                raise TextClassError(f"{where}line {reader.line_num}: column '{text_column}' is empty")
            if not found:
                raise TextClassError(f"{where}line {reader.line_num}: column '{label_column}' is empty")
            texts.append(body)
            labels.append(found)
    except csv.Error as exc:
        raise TextClassError(f"{where}line {reader.line_num}: {exc}") from None
    if not texts:
        raise TextClassError(f"{where}no rows")
    return texts, labels


def binarise(label_sets: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    y = np.zeros((len(label_sets), len(labels)), dtype=np.int8)
    for row, found in enumerate(label_sets):
        for label in found:
            if label in index:
                y[row, index[label]] = 1
    return y


def stratified_folds(label_sets: Sequence[Sequence[str]], folds: int, seed: int = 0) -> np.ndarray:
    """Fold number per row: rows are stratified by their rarest label (labels rarer than the number
    of folds are pooled), so every fold holds about the same share of each label."""
    from sklearn.model_selection import StratifiedKFold

    counts = Counter(label for found in label_sets for label in found)
    strata = []
    for found in label_sets:
        rarest = min(found, key=lambda label: (counts[label], label))
        strata.append(rarest if counts[rarest] >= folds else "(zeldzaam)")
    if Counter(strata).most_common()[-1][1] < folds:
        strata = ["(alle)"] * len(label_sets)
    fold_of = np.zeros(len(label_sets), dtype=np.int64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(strata)), strata)):
        fold_of[test] = k
    return fold_of


# ---- the model -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float
    certain: bool  # at or above the calibrated threshold: an answer, not a question


@dataclass
class Model:
    labels: list[str]
    vectoriser: Vectoriser
    lexicon: Lexicon
    coef: np.ndarray  # labels x (features + lexicon labels)
    intercept: np.ndarray
    thresholds: np.ndarray
    meta: dict = field(default_factory=dict)

    def _matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        tfidf = self.vectoriser.transform(texts)
        lex = np.minimum(self.lexicon.matrix(texts), 3) / 3
        return sparse.hstack([tfidf, sparse.csr_matrix(lex)], format="csr")

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, len(self.labels)))
        scores = self._matrix(texts) @ self.coef.T + self.intercept
        return 1 / (1 + np.exp(-np.clip(scores, -35, 35)))

    def suggest(self, text: str, *, limit: int = 3) -> list[Suggestion]:
        """The likeliest themes (at most limit), with their confidence; certain ones first."""
        p = self.probabilities([text])[0]
        order = np.argsort(-p)[:limit]
        out = [Suggestion(self.labels[i], float(p[i]), bool(p[i] >= self.thresholds[i])) for i in order]
        return [s for s in out if s.certain or s.confidence >= 0.2]

    def top_features(self, label: str, n: int = 15) -> list[tuple[str, float]]:
        """The features that speak most for a label, with their weights (what the model learnt)."""
        i = self.labels.index(label)
        names = [None] * len(self.vectoriser.vocabulary)
        for name, j in self.vectoriser.vocabulary.items():
            names[j] = name
        names += [f"lexicon:{lab}" for lab in self.lexicon.labels]
        order = np.argsort(-self.coef[i])[:n]
        return [(names[j], float(self.coef[i, j])) for j in order if self.coef[i, j] > 0]

    # -- files --

    def save(self, target) -> None:
        vocab = sorted(self.vectoriser.vocabulary.items(), key=lambda item: item[1])
        meta = dict(
            self.meta,
            format=FORMAT_VERSION,
            labels=self.labels,
            lexicon={
                lab: [" ".join(k) for k in keys]
                for lab, keys in zip(self.lexicon.labels, self.lexicon.patterns, strict=True)
            },
        )
        np.savez_compressed(
            target,
            meta=np.array(json.dumps(meta, ensure_ascii=False)),
            vocabulary=np.array([name for name, _ in vocab], dtype=str),
            idf=self.vectoriser.idf,
            coef=self.coef.astype(np.float32),
            intercept=self.intercept,
            thresholds=self.thresholds,
        )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    @classmethod
    def load(cls, source) -> Model:
        if isinstance(source, bytes | bytearray | memoryview):
            source = io.BytesIO(bytes(source))
        try:
            with np.load(source, allow_pickle=False) as archive:
                meta = json.loads(str(archive["meta"]))
                if meta.get("format") != FORMAT_VERSION:
                    raise TextClassError(f"model format {meta.get('format')} is not {FORMAT_VERSION}")
                vocabulary = {str(name): i for i, name in enumerate(archive["vocabulary"])}
                model = cls(
                    labels=list(meta["labels"]),
                    vectoriser=Vectoriser(vocabulary, archive["idf"]),
                    lexicon=Lexicon(
                        list(meta["lexicon"]),
                        [[tuple(k.split()) for k in keys] for keys in meta["lexicon"].values()],
                    ),
                    coef=archive["coef"].astype(np.float64),
                    intercept=archive["intercept"],
                    thresholds=archive["thresholds"],
                    meta={k: v for k, v in meta.items() if k not in {"labels", "lexicon", "format"}},
                )
        except (OSError, ValueError, KeyError) as exc:
            if isinstance(exc, TextClassError):
                raise
            raise TextClassError(f"not a model file: {exc}") from None
        return model


def _fit_linear(x, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((y.shape[1], x.shape[1]))
    intercept = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():  # never or always: a constant
            intercept[j] = 35.0 if y[0, j] else -35.0
            continue
        # the dual problem is the faster one here (about as many features as texts)
        fitted = LogisticRegression(C=c, solver="liblinear", dual=True, max_iter=200).fit(x, y[:, j])
        coef[j] = fitted.coef_[0]
        intercept[j] = fitted.intercept_[0]
    return coef, intercept


def _fit(texts, y, labels, lexicon, c) -> Model:
    vectoriser = Vectoriser().fit(texts)
    lex = Lexicon.build(lexicon, labels)
    model = Model(
        labels, vectoriser, lex, np.zeros((len(labels), 0)), np.zeros(len(labels)), np.ones(len(labels))
    )
    model.coef, model.intercept = _fit_linear(model._matrix(texts), y, c)
    return model


def calibrated_thresholds(p: np.ndarray, y: np.ndarray, target: float = TARGET_PRECISION) -> np.ndarray:
    """Per label, the lowest probability at which the suggestions at or above it were right at
    least `target` of the time (1.0 when no threshold reaches it: always a question)."""
    thresholds = np.ones(p.shape[1])
    for j in range(p.shape[1]):
        order = np.argsort(-p[:, j], kind="stable")
        right = np.cumsum(y[order, j])
        precision = right / np.arange(1, len(order) + 1)
        ok = np.nonzero((precision >= target) & (y[order, j] == 1))[0]
        if len(ok):
            thresholds[j] = max(float(p[order[ok[-1]], j]), 0.5)
    return thresholds


def train(
    texts: Sequence[str],
    label_sets: Sequence[Sequence[str]],
    *,
    lexicon: dict | None = None,
    c: float = 4.0,
    seed: int = 0,
    hold_out: float = 0.2,
) -> Model:
    """A model from labelled texts (see the module's description for the calibration)."""
    started = time.perf_counter()
    if len(texts) != len(label_sets) or not len(texts):
        raise TextClassError("no labelled texts")
    labels = sorted({label for found in label_sets for label in found})
    counts = Counter(label for found in label_sets for label in found)
    y = binarise(label_sets, labels)
    folds = max(2, round(1 / hold_out))
    held_figures: dict = {}
    thresholds = np.ones(len(labels))
    if len(texts) >= 20 and min(counts.values()) >= 2:
        fold_of = stratified_folds(label_sets, folds, seed)
        train_rows, held = np.nonzero(fold_of != 0)[0], np.nonzero(fold_of == 0)[0]
        first = _fit([texts[i] for i in train_rows], y[train_rows], labels, lexicon, c)
        p_held = first.probabilities([texts[i] for i in held])
        thresholds = calibrated_thresholds(p_held, y[held])
        answered = p_held >= thresholds
        held_figures = {
            "rows": int(len(held)),
            "answered_share": float(answered.any(axis=1).mean()),
            "answer_precision": float(y[held][answered].mean()) if answered.any() else None,
        }
    # the model trained on four fifths is kept: the thresholds were calibrated for it, on the fifth it
    # did not see (refitting on all rows would double the training time for little gain)
    model = first if held_figures else _fit(list(texts), y, labels, lexicon, c)
    model.thresholds = thresholds
    model.meta = {
        "rows": len(texts),
        "label_counts": {label: counts[label] for label in labels},
        "held_out": held_figures,
        "target_precision": TARGET_PRECISION,
        "c": c,
        "features": len(model.vectoriser.vocabulary),
        "seconds": round(time.perf_counter() - started, 2),
    }
    return model


def lexicon_only(labels: Sequence[str], lexicon: dict[str, Sequence[str]]) -> Model:
    """The model of day one: no training, the lexicon's hits only; every suggestion is a question."""
    lex = Lexicon.build(lexicon, labels)
    n = len(labels)
    # a hit scores 0.6, two hits 0.8, three or more 0.93 (features are min(hits, 3) / 3): never certain
    coef = np.hstack([np.zeros((n, 0)), np.eye(n) * 6.3])
    model = Model(
        list(labels),
        Vectoriser({}, np.zeros(0)),
        lex,
        coef,
        np.full(n, -1.7),
        np.full(n, 1.01),
        {"lexicon_only": True},
    )
    return model


# ---- evaluation ----------------------------------------------------------------------------------


def predict_sets(p: np.ndarray) -> np.ndarray:
    """Every label at probability 0.5 or more, and the likeliest one when none is: each text gets
    at least one theme (the rule `evaluate` scores)."""
    chosen = p >= 0.5
    none = ~chosen.any(axis=1)
    if none.any() and p.shape[1]:
        chosen[np.nonzero(none)[0], p[none].argmax(axis=1)] = True
    return chosen


def _scores(y: np.ndarray, chosen: np.ndarray, labels: Sequence[str]) -> dict:
    tp = (y.astype(bool) & chosen).sum(axis=0)
    fp = (~y.astype(bool) & chosen).sum(axis=0)
    fn = (y.astype(bool) & ~chosen).sum(axis=0)
    per = {}
    for j, label in enumerate(labels):
        precision = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else 0.0
        recall = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
            "support": int(y[:, j].sum()),
        }
    micro_p = tp.sum() / (tp.sum() + fp.sum()) if tp.sum() + fp.sum() else 0.0
    micro_r = tp.sum() / (tp.sum() + fn.sum()) if tp.sum() + fn.sum() else 0.0
    return {
        "labels": per,
        "macro_precision": float(np.mean([v["precision"] for v in per.values()])),
        "macro_recall": float(np.mean([v["recall"] for v in per.values()])),
        "macro_f1": float(np.mean([v["f1"] for v in per.values()])),
        "micro_f1": float(2 * micro_p * micro_r / (micro_p + micro_r)) if micro_p + micro_r else 0.0,
        "exact_match": float((chosen == y.astype(bool)).all(axis=1).mean()),
    }


def _confusion(y: np.ndarray, chosen: np.ndarray, labels: Sequence[str]) -> list[dict]:
    """How often a text of label a was given label b without having it, most frequent first."""
    pairs = []
    yb = y.astype(bool)
    for a in range(len(labels)):
        rows = yb[:, a]
        for b in range(len(labels)):
            if a == b:
                continue
            n = int((chosen[rows, b] & ~yb[rows, b]).sum())
            if n:
                pairs.append({"true": labels[a], "predicted": labels[b], "count": n})
    return sorted(pairs, key=lambda d: (-d["count"], d["true"], d["predicted"]))


def evaluate(
    texts: Sequence[str],
    label_sets: Sequence[Sequence[str]],
    *,
    folds: int = 5,
    lexicon: dict | None = None,
    c: float = 4.0,
    seed: int = 0,
) -> dict:
    """Per label precision, recall and F1 under stratified k-fold cross-validation; macro and micro
    F1; the confusion; the lexicon (for the labels it has keywords for) and majority baselines; the
    share of texts that got a confident answer at the calibrated thresholds, and how often those
    answers were right."""
    if folds < 2:
        raise TextClassError("--folds must be 2 or more")
    if len(texts) < folds * 2:
        raise TextClassError(f"{len(texts)} rows are too few for {folds} folds")
    started = time.perf_counter()
    labels = sorted({label for found in label_sets for label in found})
    y = binarise(label_sets, labels)
    fold_of = stratified_folds(label_sets, folds, seed)
    p = np.zeros(y.shape)
    answered = np.zeros(y.shape, dtype=bool)
    for k in range(folds):
        train_rows, test_rows = np.nonzero(fold_of != k)[0], np.nonzero(fold_of == k)[0]
        model = train(
            [texts[i] for i in train_rows],
            [label_sets[i] for i in train_rows],
            lexicon=lexicon,
            c=c,
            seed=seed,
        )
        index = [model.labels.index(label) if label in model.labels else -1 for label in labels]
        fold_p = model.probabilities([texts[i] for i in test_rows])
        for j, m in enumerate(index):
            if m >= 0:
                p[test_rows, j] = fold_p[:, m]
                answered[test_rows, j] = fold_p[:, m] >= model.thresholds[m]
    chosen = predict_sets(p)
    result = {
        "rows": len(texts),
        "folds": folds,
        "model": _scores(y, chosen, labels),
        "confusion": _confusion(y, chosen, labels),
        "answered_share": float(answered.any(axis=1).mean()),
        "answer_precision": float(y[answered].mean()) if answered.any() else None,
    }
    # the lexicon baseline: the label(s) with the most keyword hits; nothing when there is no hit
    lex = Lexicon.build(lexicon, labels)
    covered = lex.covers
    if covered:
        hits = lex.matrix(texts)
        best = hits.max(axis=1, keepdims=True)
        lex_chosen = (hits == best) & (best > 0)
        cols = [labels.index(label) for label in covered]
        scores = _scores(y[:, cols], lex_chosen[:, cols], covered)
        scores["covers"] = covered
        result["lexicon"] = scores
    else:
        result["lexicon"] = None
    majority = int(y.sum(axis=0).argmax())
    maj_chosen = np.zeros(y.shape, dtype=bool)
    maj_chosen[:, majority] = True
    result["majority"] = dict(_scores(y, maj_chosen, labels), label=labels[majority])
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def format_report(result: dict) -> str:
    """The evaluation as plain text (what `wijkinzicht signals evaluate` prints)."""
    lines = [
        f"{result['rows']} rows, {result['folds']}-fold stratified cross-validation ({result['seconds']} s)",
        "",
    ]
    width = max(len(label) for label in result["model"]["labels"]) + 2
    lines.append(f"{'label':<{width}}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
    for label, s in result["model"]["labels"].items():
        lines.append(
            f"{label:<{width}}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}{s['support']:>9}"
        )
    lines.append("")
    rows = [("model", result["model"]), ("lexicon", result["lexicon"]), ("majority", result["majority"])]
    lines.append(f"{'':<10}{'macro P':>9}{'macro R':>9}{'macro F1':>10}{'micro F1':>10}")
    for name, s in rows:
        if s is None:
            lines.append(f"{name:<10}  (no keywords for these labels)")
            continue
        lines.append(
            f"{name:<10}{s['macro_precision']:>9.3f}{s['macro_recall']:>9.3f}"
            f"{s['macro_f1']:>10.3f}{s['micro_f1']:>10.3f}"
        )
    if result["lexicon"] and len(result["lexicon"]["covers"]) < len(result["model"]["labels"]):
        lines.append(f"(lexicon on the {len(result['lexicon']['covers'])} labels it has keywords for)")
    lines.append(f"(majority: always '{result['majority']['label']}')")
    share = result["answered_share"]
    lines.append("")
    precision = result["answer_precision"]
    lines.append(
        f"confident answers (calibrated thresholds): {share:.1%} of the texts, right "
        + (f"{precision:.1%}" if precision is not None else "-")
        + " of the time; the rest is asked"
    )
    if result["confusion"]:
        lines.append("")
        lines.append("most confused (true -> also given):")
        for pair in result["confusion"][:10]:
            lines.append(f"  {pair['true']} -> {pair['predicted']}: {pair['count']}")
    return "\n".join(lines) + "\n"
