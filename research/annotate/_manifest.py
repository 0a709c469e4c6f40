"""The researcher's manifest: reading it, matching it to articles, applying it.

A manifest (:func:`read_manifest`) gives, per article, a date, its evidence, a
counterpart and other metadata. :func:`match_manifest` pairs its rows with
articles; :func:`apply_given_date` and :func:`apply_counterpart` override the
inferred values in an output row and report contradictions with the text.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import pandas as pd

from ._article import ArticleAnnotation
from ._gazetteer import Gazetteer
from ._windows import Window, parse_iso_window

__all__ = ["read_manifest", "match_manifest", "apply_given_date", "apply_counterpart"]


def read_manifest(
    path: str | Path, *, errors: Literal["raise", "report"] = "raise"
) -> pd.DataFrame:
    """Read and validate a researcher's manifest (CSV).

    Parameters
    ----------
    path : str or Path
        CSV with a key column ``file`` (file name of the article) and/or
        ``article_id``, an optional ``date`` (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``
        or ``START/END``), optional ``date_evidence`` and ``counterpart`` (English
        name, id or Arabic alias from the gazetteer) and any other metadata columns.
    errors : {"raise", "report"}, default="raise"
        What to do with malformed dates: raise, or keep them so that
        :func:`research.annotate.annotate_articles` lists them in its notes.

    Returns
    -------
    pandas.DataFrame
        All columns as strings, empty cells as ''.

    Raises
    ------
    FileNotFoundError, ValueError
        Missing file; no key column; a row without a key; duplicate keys; a malformed
        date (with ``errors="raise"``). Messages name the row and the value.
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', got {errors!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"manifest not found: {path}")
    df = pd.read_csv(path, dtype=str, keep_default_na=False).rename(
        columns=lambda c: str(c).strip()
    )
    keys = [c for c in ("file", "article_id") if c in df.columns]
    if not keys:
        raise ValueError(
            f"manifest {path} needs a key column 'file' or 'article_id'; "
            f"columns: {list(df.columns)}"
        )
    df = df.apply(lambda col: col.str.strip())
    missing = [i + 2 for i in range(len(df)) if not any(df[k].iat[i] for k in keys)]
    if missing:
        raise ValueError(f"manifest {path}: rows {missing} have no {' or '.join(keys)}")
    for k in keys:
        dup = df[k][(df[k] != "") & df[k].duplicated()]
        if len(dup):
            raise ValueError(f"manifest {path}: duplicate {k} values {sorted(set(dup))}")
    if "date" in df.columns and errors == "raise":
        for i, value in enumerate(df["date"]):
            if value:
                try:
                    parse_iso_window(value)
                except ValueError as exc:
                    raise ValueError(f"manifest {path}: row {i + 2}: date {exc}") from None
    return df


def match_manifest(
    articles: pd.DataFrame, manifest: pd.DataFrame
) -> tuple[dict[int, int], list[int]]:
    """Map article positions to manifest rows; return (matches, unmatched manifest rows)."""
    ids = articles["article_id"].astype(str).tolist()
    col = next((c for c in ("file", "source_file") if c in articles.columns), None)
    files = articles[col].astype(str).tolist() if col else [""] * len(ids)
    by_file = {Path(f).name: i for i, f in enumerate(files) if f}
    by_id = {a: i for i, a in enumerate(ids)}
    matched, unmatched = {}, []
    for r in range(len(manifest)):
        f = str(manifest["file"].iat[r]) if "file" in manifest.columns else ""
        a = str(manifest["article_id"].iat[r]) if "article_id" in manifest.columns else ""
        pos = None
        if f:
            name = Path(f).name
            pos = by_file.get(name, by_id.get(name, by_id.get(Path(name).stem)))
        if pos is None and a:
            pos = by_id.get(a)
        if pos is None:
            unmatched.append(r)
        elif pos not in matched:
            matched[pos] = r
    return matched, unmatched


def apply_given_date(
    out: dict,
    ann: ArticleAnnotation,
    value: str,
    evidence: str,
    aid: str,
    notes: list,
    gaz: Gazetteer,
    manifest_cp: str,
) -> None:
    """Override the inferred date with a manifest/corpus date and report contradictions."""
    try:
        lo, hi = parse_iso_window(value)
    except ValueError as exc:
        notes.append((aid, "manifest_bad_date", f"{evidence}: {exc}; inferred date kept"))
        return
    problems = []
    if ann.tenure_evidence and Window.between(lo, hi).intersect(ann.tenure).empty:
        a, b = ann.tenure.hull() if not ann.tenure.empty else (None, None)
        problems.append(
            f"{value} is outside the tenure window {a}..{b} of " + "; ".join(ann.tenure_evidence)
        )
    if (
        ann.date
        and ann.date_source in ("text", "event")
        and not (lo - timedelta(days=2) <= ann.date <= hi + timedelta(days=2))
    ):
        problems.append(
            f"{value} contradicts the {ann.date_source} date {ann.date} "
            f"({ann.date_evidence.split(';')[0]})"
        )
    if manifest_cp:
        try:
            p = gaz.person(manifest_cp)
            if not any(gaz.interval(t)[0] <= hi and lo <= gaz.interval(t)[1] for t in p.tenures):
                problems.append(f"{p.name} held no listed office on {value}")
        except KeyError:
            pass
    for msg in problems:
        notes.append((aid, "manifest_conflict", f"{evidence}: {msg}"))
    out.update(
        {
            "date": lo.isoformat() if lo == hi else "",
            "date_min": lo.isoformat(),
            "date_max": hi.isoformat(),
            "date_source": "manifest",
            "date_evidence": evidence
            + (f" [conflict: {' | '.join(problems)}]" if problems else ""),
            "date_confidence": 0.5 if problems else 1.0,
        }
    )


def apply_counterpart(
    out: dict, ann: ArticleAnnotation, value: str, aid: str, notes: list, gaz: Gazetteer
) -> None:
    """Override the counterpart with a manifest's and report a disagreement with the text."""
    try:
        p = gaz.person(value)
    except KeyError:
        notes.append(
            (
                aid,
                "manifest_unknown_counterpart",
                f"counterpart {value!r} is not in the gazetteer; kept as written",
            )
        )
        out.update(
            counterpart=value,
            counterpart_country="",
            counterpart_role="",
            engagement_type="",
            engagement_evidence="manifest",
            counterpart_confidence=1.0,
        )
        return
    if ann.counterpart.person_id and ann.counterpart.person_id != p.id:
        notes.append(
            (
                aid,
                "manifest_counterpart_differs",
                f"manifest says {p.name}, the text suggests {ann.counterpart.name}",
            )
        )
    lo = date.fromisoformat(out["date_min"]) if out["date_min"] else gaz.period[0]
    hi = date.fromisoformat(out["date_max"]) if out["date_max"] else gaz.period[1]
    same = ann.counterpart.person_id == p.id
    out.update(
        counterpart=p.name,
        counterpart_country=p.country,
        counterpart_role=(out["counterpart_role"] if same else "")
        or gaz.role_in_window(p.id, lo, hi),
        engagement_type=out["engagement_type"] if same else "",
        engagement_evidence=f"manifest; text: {out['engagement_evidence']}"
        if same
        else "manifest",
        counterpart_confidence=1.0,
    )
