"""The project's Jupyter kernel: this environment's Python, math kernels pinned first.

``research kernel`` (``make kernel``) registers it with Jupyter under the name
:data:`KERNEL_NAME`, which the notebooks name in their metadata. The kernel calls
:func:`research.reproducible_environment` before anything imports numpy or torch,
so that a notebook computes the same numbers as the ``research`` command on every
x86-64 CPU with AVX2 (the variables are set only on such CPUs).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

__all__ = ["KERNEL_NAME", "DISPLAY_NAME", "kernel_spec", "install_kernel"]

#: The kernel's name: the project's name, as in the notebooks' ``kernelspec``.
KERNEL_NAME = "arabic-news-topics"
#: The name Jupyter shows in its launcher and kernel picker.
DISPLAY_NAME = "Python (arabic-news-topics)"
_START = ("import research; research.reproducible_environment(); "
          "from ipykernel import kernelapp; kernelapp.launch_new_instance()")


def kernel_spec(python: str | None = None) -> dict:
    """Return the ``kernel.json`` of the project's kernel.

    Parameters
    ----------
    python : str, optional
        The interpreter to run (default: this one, ``sys.executable``).

    Returns
    -------
    dict
        ``argv`` (the interpreter pins the math kernels, then starts ipykernel on
        ``{connection_file}``), ``display_name``, ``language``.
    """
    return {"argv": [python or sys.executable, "-c", _START, "-f", "{connection_file}"],
            "display_name": DISPLAY_NAME, "language": "python",
            "metadata": {"debugger": True}}


def install_kernel(*, user: bool = True, prefix: str | None = None) -> Path:
    """Register the project's kernel with Jupyter (``jupyter_client``'s kernel-spec manager).

    Parameters
    ----------
    user : bool, default=True
        Install for the current user (``jupyter kernelspec list`` shows it to every
        JupyterLab of this user); False installs system-wide (may need rights).
    prefix : str, optional
        Install under this prefix instead (e.g. ``sys.prefix``: only this
        environment's Jupyter sees it).

    Returns
    -------
    Path
        The folder of the installed kernel spec.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(json.dumps(kernel_spec(), indent=1),
                                               encoding="utf-8")
        where = KernelSpecManager().install_kernel_spec(
            tmp, KERNEL_NAME, user=user and prefix is None, prefix=prefix)
    return Path(where)
