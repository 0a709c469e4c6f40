"""The validation protocol on a run folder: a labelling sheet, then the evaluation."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pandas as pd

from research._io import atomic_write_bytes, write_workbook
from research.annotate import english_key, load_gazetteer
from research.pipeline import RunConfig, ingest
from research.runs import load_run, write_table
from research.trends import period_of

from ._evaluate import evaluate_articles, read_labels
from ._sample import LABEL_COLUMNS, stratified_sample

__all__ = ["sample_run", "write_sheet", "evaluate_run", "SHEET_COLUMNS"]

logger = logging.getLogger(__name__)

#: Columns of a labelling sheet, in order (the label columns are left empty).
SHEET_COLUMNS = ("article_id", "split", "source", "url", "date", "title", "text", *LABEL_COLUMNS)


def _publication_dates(articles: pd.DataFrame) -> pd.Series:
    """Return the corpus's own date of each article: its date column, else its extraction date."""
    given = articles.get("date", pd.Series("", index=articles.index)).fillna("").astype(str)
    extracted = articles.get("date_extracted", pd.Series("", index=articles.index))
    extracted = extracted.fillna("").astype(str).str.slice(0, 10)
    origin = articles.get("date_origin", pd.Series("", index=articles.index)).fillna("")
    use_given = (origin == "date") | (extracted == "")
    return given.where(use_given, extracted).str.slice(0, 10)


def sample_run(run_dir: str | os.PathLike, n: int = 100, *, random_state: int = 0,
               test_share: float = 0.5, corpus: str | os.PathLike | None = None) -> pd.DataFrame:
    """Draw a stratified random sample of a run's articles, as a labelling sheet.

    Strata are the outlet (``source``, when the corpus has one) and the publication
    period (the run's trend period applied to the corpus's own date, not to any
    inferred engagement date, so the sample does not depend on the model). The text
    is the article as collected, read again from the run's corpus.

    Parameters
    ----------
    run_dir : path
        A run folder.
    n : int, default=100
        Articles to sample.
    random_state : int, default=0
    test_share : float, default=0.5
        Share of the sample marked ``split="test"`` (scored once, at the end); the
        rest is ``"dev"``.
    corpus : path, optional
        Where the run's corpus is now (default: the path recorded in ``run.json``,
        which may be relative to where the run was made).

    Returns
    -------
    DataFrame
        :data:`SHEET_COLUMNS`, label columns empty.

    Raises
    ------
    FileNotFoundError
        When the run's corpus can no longer be read.
    ValueError
        When ``n`` exceeds the number of articles.
    """
    run = load_run(run_dir)
    record = run.record
    config = {k: tuple(v) if isinstance(v, list) else v for k, v in record["config"].items()}
    config["corpus"] = str(corpus) if corpus is not None else config["corpus"]
    if not Path(config["corpus"]).exists():
        raise FileNotFoundError(
            f"the corpus of {run.path} is not at {config['corpus']} (as recorded); pass "
            "its current path (corpus=..., or --corpus on the command line)")
    known = set(RunConfig.__dataclass_fields__)
    corpus_read, _ = ingest(RunConfig(**{k: v for k, v in config.items() if k in known}))
    corpus = corpus_read
    texts = corpus.articles.set_index("article_id")["text"]
    articles = run.articles
    missing = sorted(set(articles["article_id"]) - set(texts.index))
    if missing:
        raise FileNotFoundError(
            f"{len(missing)} articles of {run.path} are not in its corpus any more "
            f"({record['inputs']['corpus']}), e.g. {missing[:3]}")
    frame = articles.assign(
        date=_publication_dates(articles),
        source=articles["source"] if "source" in articles.columns else "",
        url=articles["url"] if "url" in articles.columns else "",
    )
    frame["period"] = period_of(frame["date"], record.get("trend_period", "month"))
    strata = ["source", "period"] if "source" in articles.columns else ["period"]
    drawn = stratified_sample(frame, n, strata=strata, random_state=random_state,
                              test_share=test_share)
    drawn["text"] = drawn["article_id"].map(texts)
    for column in LABEL_COLUMNS:
        drawn[column] = ""
    return drawn[list(SHEET_COLUMNS)].reset_index(drop=True)


def write_sheet(sheet: pd.DataFrame, path: str | os.PathLike) -> list[Path]:
    """Write a labelling sheet as CSV and as an Excel workbook with a right-to-left sheet.

    Parameters
    ----------
    sheet : DataFrame
        From :func:`sample_run`.
    path : path
        The CSV file; the workbook is written next to it with the suffix ``.xlsx``.

    Returns
    -------
    list of Path
        The CSV and the workbook.
    """
    path = Path(path)
    write_table(sheet, path)
    xlsx = write_workbook({"labels": sheet}, path.with_suffix(".xlsx"),
                          widths={"text": 80, "title": 40, "url": 30})
    return [path, xlsx]


def _person_key(gazetteer):
    def key(name: str) -> str:
        try:
            return gazetteer.person(name).id
        except KeyError:
            return english_key(name)
    return key


def evaluate_run(run_dir: str | os.PathLike, labels: str | os.PathLike, *,
                 split: str | None = None, out: str | os.PathLike | None = None,
                 n_boot: int = 1000, random_state: int = 0) -> dict:
    """Score a run against a labels file and write ``evaluation.json`` and the confusion table.

    Parameters
    ----------
    run_dir : path
        A run folder.
    labels : path
        A filled labelling sheet (see :func:`research.validation.read_labels`).
    split : str, optional
        Score only the rows of this ``split`` (``"dev"`` or ``"test"``).
    out : path, optional
        Folder for ``evaluation.json`` and ``evaluation_confusion.csv`` (default: the
        run folder). Nothing is written when ``out`` is ``False``.
    n_boot, random_state : int
        Bootstrap settings of the intervals.

    Returns
    -------
    dict
        See :func:`research.validation.evaluate_articles`; ``confusion`` as records.
    """
    run = load_run(run_dir)
    table = read_labels(labels)
    if split is not None:
        if "split" not in table.columns:
            raise ValueError(f"{labels} has no 'split' column to select {split!r} from")
        table = table[table["split"] == split]
    gazetteer = load_gazetteer(run.data_file("gazetteer"))
    result = evaluate_articles(run.articles, table, same_person=_person_key(gazetteer),
                               n_boot=n_boot, random_state=random_state)
    confusion = result.pop("confusion")
    result = {"run": str(run.path), "labels": str(labels), "split": split or "all", **result}
    if out is not False:
        folder = Path(out) if out is not None else run.path
        atomic_write_bytes(folder / "evaluation.json",
                           json.dumps(result, ensure_ascii=False, indent=1).encode("utf-8"))
        write_table(confusion.reset_index(), folder / "evaluation_confusion.csv")
    result["confusion"] = confusion
    return result
