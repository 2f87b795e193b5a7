"""`wijkinzicht signals pii|train|evaluate`: the signals' personal-data check and theme classifier
on plain files, without Django (like `wijkinzicht evaluate` and `wijkinzicht network`).

    wijkinzicht signals pii FILE [--json]
    wijkinzicht signals train --data FILE.csv [--text-column text] [--label-column theme] --out MODEL
    wijkinzicht signals evaluate --data FILE.csv [--text-column text] [--label-column theme]
                                 [--folds 5] [--json]

A labelled file is CSV (comma, semicolon or tab) with a text column and a label column holding one
or more labels separated by "|". Labels that are theme keys of the shipped lexicon get its keywords;
`--no-lexicon` leaves the lexicon out.
"""

from __future__ import annotations

import argparse
import json
import sys

MAX_BYTES = 200 * 1024 * 1024


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkinzicht signals", description="Field signals: personal-data check and theme classifier."
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="{pii,train,evaluate}")
    pii = sub.add_parser("pii", help="Check one text per line for personal data.")
    pii.add_argument("file", help="A text file, one text per line ('-' for standard input).")
    pii.add_argument("--json", action="store_true", help="One JSON object per line.")
    pii.add_argument("--no-names", action="store_true", help="Skip deduce's name lists (titles only).")
    for name, text in (
        ("train", "Train a model and write it to --out."),
        ("evaluate", "Cross-validate the classifier and its baselines."),
    ):
        action = sub.add_parser(name, help=text)
        action.add_argument("--data", required=True, help="CSV with a text and a label column.")
        action.add_argument("--text-column", default="text")
        action.add_argument("--label-column", default="theme")
        action.add_argument("--no-lexicon", action="store_true", help="Without the shipped keyword lexicon.")
        action.add_argument("--seed", type=int, default=0)
        if name == "train":
            action.add_argument("--out", required=True, help="Where to write the model (.npz).")
        else:
            action.add_argument("--folds", type=int, default=5)
            action.add_argument("--json", action="store_true", help="Print one JSON object.")
    return parser


def _pii(options, stdout, stderr) -> int:
    from wijkinzicht.analysis import pii
    from wijkinzicht.core.textfile import read_text

    class FileError(ValueError):
        pass

    try:
        text = sys.stdin.read() if options.file == "-" else read_text(options.file, MAX_BYTES, FileError)
    except FileError as exc:
        stderr.write(f"error: {exc}\n")
        return 1
    flagged = 0
    for number, line in enumerate(text.splitlines(), start=1):
        findings = pii.find(line, names=not options.no_names)
        flagged += bool(findings)
        if options.json:
            stdout.write(
                json.dumps({"line": number, "findings": [f.as_dict() for f in findings]}, ensure_ascii=False)
                + "\n"
            )
        elif findings:
            shown = ", ".join(f"{f.kind} {f.start}-{f.end} {f.text!r}" for f in findings)
            stdout.write(f"line {number}: {shown}\n")
    if not options.json:
        stdout.write(f"{flagged} line(s) with personal data\n")
    return 0


def _labelled(options):
    from wijkinzicht.analysis import textclass
    from wijkinzicht.core.textfile import read_text

    text = read_text(options.data, MAX_BYTES, textclass.TextClassError)
    texts, labels = textclass.read_labelled(
        text, text_column=options.text_column, label_column=options.label_column, where=f"{options.data}: "
    )
    lexicon = None if options.no_lexicon else textclass.default_lexicon()
    return texts, labels, lexicon


def main(argv: list[str], stdout=None, stderr=None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    options = build_parser().parse_args(argv)
    if options.action == "pii":
        return _pii(options, stdout, stderr)
    from wijkinzicht.analysis import textclass

    try:
        texts, labels, lexicon = _labelled(options)
        if options.action == "train":
            model = textclass.train(texts, labels, lexicon=lexicon, seed=options.seed)
            with open(options.out, "wb") as out:
                model.save(out)
            held = model.meta.get("held_out") or {}
            stdout.write(
                f"{len(texts)} rows, {len(model.labels)} labels, {model.meta['features']} features, "
                f"{model.meta['seconds']} s; written to {options.out}\n"
            )
            if held:
                stdout.write(
                    f"held-out fifth: {held['answered_share']:.1%} answered with confidence, right "
                    f"{held['answer_precision']:.1%} of the time\n"
                )
            return 0
        result = textclass.evaluate(texts, labels, folds=options.folds, lexicon=lexicon, seed=options.seed)
    except (textclass.TextClassError, OSError) as exc:
        stderr.write(f"error: {exc}\n")
        return 1
    if options.json:
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        stdout.write(textclass.format_report(result))
    return 0
