"""The researcher's data files of a run: theme set, gazetteer and events calendar.

Each is the bundled file (``research/data/*.yaml``) or one a researcher passes with
``--themes``, ``--gazetteer`` or ``--events``, so that nobody edits the installed
package to study other counterparts, years or frames. The files are validated
before anything else runs (errors name the file, the entry and the allowed values),
copied into ``RUN/inputs/`` and their SHA-256 recorded in ``run.json``; re-running
themes and drawing figures read them back from there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from research._io import atomic_write_bytes
from research.annotate import EventCalendar, Gazetteer, calendar_from_dict
from research.themes import Theme, load_themes

__all__ = ["DataFiles", "DATA_FILES", "load_data_files"]

#: Data file kind -> bundled file name.
DATA_FILES = {"themes": "themes.yaml", "gazetteer": "counterparts.yaml",
              "events": "events.yaml"}


@dataclass(frozen=True)
class DataFiles:
    """The validated data files of a run and their bytes (to copy into the run folder).

    Attributes
    ----------
    themes : tuple of research.themes.Theme
    gazetteer : research.annotate.Gazetteer
    events : research.annotate.EventCalendar
    sources : dict of str to str
        Kind -> where the file came from (a path, or ``bundled:<name>``).
    contents : dict of str to bytes
        Kind -> the file's bytes.
    """

    themes: tuple[Theme, ...]
    gazetteer: Gazetteer
    events: EventCalendar
    sources: dict[str, str]
    contents: dict[str, bytes]

    def record(self) -> dict[str, dict[str, str]]:
        """Return ``{kind: {"source", "file", "sha256"}}`` for ``run.json``."""
        return {kind: {"source": self.sources[kind], "file": f"inputs/{DATA_FILES[kind]}",
                       "sha256": hashlib.sha256(data).hexdigest()}
                for kind, data in self.contents.items()}

    def write(self, run_dir: str | Path) -> list[Path]:
        """Copy the files into ``run_dir/inputs/``; return the paths written."""
        out = []
        for kind, data in self.contents.items():
            path = Path(run_dir) / "inputs" / DATA_FILES[kind]
            atomic_write_bytes(path, data)
            out.append(path)
        return out


def _read(kind: str, path: str | Path | None) -> tuple[str, bytes]:
    if path is None:
        name = DATA_FILES[kind]
        return f"bundled:{name}", resources.files("research").joinpath(f"data/{name}").read_bytes()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{kind} file not found: {path}")
    return str(path), path.read_bytes()


def load_data_files(themes: str | Path | None = None, gazetteer: str | Path | None = None,
                    events: str | Path | None = None) -> DataFiles:
    """Read and validate a run's theme set, gazetteer and events calendar.

    Parameters
    ----------
    themes, gazetteer, events : path, optional
        YAML files in the documented schemas (see the comments at the top of the
        bundled files and the README); the bundled file when None.

    Returns
    -------
    DataFiles

    Raises
    ------
    FileNotFoundError
        For a path that does not exist.
    ValueError
        For a file that is not valid YAML or breaks its schema; the message starts
        with the kind and the file.
    """
    import yaml

    sources, contents, parsed = {}, {}, {}
    for kind, path in (("themes", themes), ("gazetteer", gazetteer), ("events", events)):
        source, data = _read(kind, path)
        try:
            value = yaml.safe_load(data.decode("utf-8")) or {}
            if not isinstance(value, dict):
                raise ValueError(f"expected a YAML mapping at the top, got {type(value).__name__}")
            if kind == "themes":
                parsed[kind] = load_themes(value)
            elif kind == "gazetteer":
                parsed[kind] = Gazetteer.from_dict(value)
            else:
                parsed[kind] = calendar_from_dict(value)
        except (ValueError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ValueError(f"{kind} file {source}: {exc}") from exc
        sources[kind], contents[kind] = source, data
    unknown = parsed["events"].unknown_counterparts(parsed["gazetteer"])
    if unknown:
        raise ValueError(f"events file {sources['events']}: engagements {unknown} name "
                         f"counterparts that are not persons of the gazetteer "
                         f"{sources['gazetteer']}")
    return DataFiles(parsed["themes"], parsed["gazetteer"], parsed["events"], sources,
                     contents)
