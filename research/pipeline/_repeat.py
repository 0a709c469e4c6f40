"""Repeating a run from its record: same configuration, same data files, same corpus."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, fields
from pathlib import Path

from research.runs import TABLES, load_run

from ._config import RunConfig
from ._run import input_hashes, run

__all__ = ["RepeatReport", "config_from_record", "repeat_run"]


@dataclass(frozen=True)
class RepeatReport:
    """The tables of a repeated run compared with the original's.

    Attributes
    ----------
    run : Path
        The original run folder.
    out : Path
        The repeated run folder.
    equal : dict of str to bool
        Table -> whether its CSV is byte-identical in both runs (tables the original
        run does not have are left out).
    """

    run: Path
    out: Path
    equal: dict[str, bool]

    @property
    def identical(self) -> bool:
        """Whether every compared table is identical."""
        return all(self.equal.values())

    @property
    def differing(self) -> list[str]:
        """The tables that differ."""
        return [name for name, same in self.equal.items() if not same]


def config_from_record(run_dir: str | os.PathLike, *, out: str | os.PathLike,
                       corpus: str | os.PathLike | None = None) -> RunConfig:
    """Return the configuration of a saved run, to repeat it into ``out``.

    The theme set, gazetteer and events calendar are the run's copies in
    ``RUN/inputs/``, checked against the SHA-256 recorded in ``run.json`` (runs
    written before the copies were kept use the files they recorded, else the
    bundled ones). The corpus is the one recorded (or ``corpus``), checked file by
    file against the recorded SHA-256.

    Parameters
    ----------
    run_dir : path
        A run folder.
    out : path
        Folder of the repeated run.
    corpus : path, optional
        Where the run's corpus is now (default: the path recorded in ``run.json``).

    Returns
    -------
    RunConfig

    Raises
    ------
    FileNotFoundError
        When the corpus or a data file copy is missing.
    ValueError
        When a data file copy or the corpus differs from what the run recorded.
    """
    saved = load_run(run_dir)
    record = saved.record
    known = {f.name for f in fields(RunConfig)}
    config = {k: v for k, v in record["config"].items() if k in known}
    # where the embeddings were computed does not change them: a repeat embeds here
    config.pop("workers", None)
    config.pop("dask_scheduler", None)
    for kind, entry in record.get("data_files", {}).items():
        path = saved.path / entry["file"]
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: the run's {kind} file cannot be reused")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            raise ValueError(f"{path} changed since the run (sha256 {digest[:12]}, recorded "
                             f"{entry['sha256'][:12]}); restore it to repeat the run")
        config[kind] = str(path)
    config["corpus"] = str(corpus) if corpus is not None else config["corpus"]
    corpus_path = Path(config["corpus"])
    if not corpus_path.exists():
        raise FileNotFoundError(f"the corpus of {saved.path} is not at {corpus_path} (as "
                                "recorded); pass its current path (--corpus PATH)")
    recorded = record.get("inputs", {}).get("sha256", {})
    current = input_hashes(corpus_path)
    changed = sorted(n for n in set(recorded) | set(current)
                     if recorded.get(n) != current.get(n))
    if changed:
        raise ValueError(f"the corpus at {corpus_path} is not the one of {saved.path}: "
                         f"{len(changed)} files differ, e.g. {changed[:3]}")
    config["out"] = str(out)
    return RunConfig(**config)


def repeat_run(run_dir: str | os.PathLike, out: str | os.PathLike | None = None, *,
               corpus: str | os.PathLike | None = None) -> RepeatReport:
    """Repeat a saved run from its ``run.json`` and compare the new tables with the old.

    Parameters
    ----------
    run_dir : path
        A run folder.
    out : path, optional
        Folder of the repeated run (default: ``<RUN>-rerun`` next to it); never the
        run folder itself.
    corpus : path, optional
        Where the run's corpus is now (see :func:`config_from_record`).

    Returns
    -------
    RepeatReport
        Which tables came out byte-identical.

    Raises
    ------
    ValueError
        When ``out`` is the run folder, or an input differs from the recorded one.
    """
    run_dir = Path(run_dir)
    out = Path(out) if out is not None else run_dir.with_name(f"{run_dir.name}-rerun")
    if out.resolve() == run_dir.resolve():
        raise ValueError("repeat a run into another folder than the run itself (--out NEW)")
    new = run(config_from_record(run_dir, out=out, corpus=corpus))
    equal = {name: (new / f"{name}.csv").read_bytes() == (run_dir / f"{name}.csv").read_bytes()
             for name in TABLES
             if (run_dir / f"{name}.csv").is_file() and (new / f"{name}.csv").is_file()}
    return RepeatReport(run_dir, new, equal)
