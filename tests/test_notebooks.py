"""Notebooks: paired with their text form, committed without outputs, executed top to bottom."""

import json

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))


def test_every_notebook_is_paired_and_in_sync():
    import jupytext

    assert len(NOTEBOOKS) >= 4
    for py in NOTEBOOKS:
        ipynb = py.with_suffix(".ipynb")
        assert ipynb.is_file(), f"{ipynb.name} missing: run `make notebooks`"
        a = jupytext.read(py)
        b = jupytext.read(ipynb)
        assert [c.source for c in a.cells] == [c.source for c in b.cells], (
            f"{py.name} and {ipynb.name} differ: run `make notebooks`")


def test_committed_notebooks_carry_no_outputs():
    for py in NOTEBOOKS:
        nb = json.loads(py.with_suffix(".ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs", []) == [] and cell.get("execution_count") is None


def test_every_notebook_has_a_parameters_cell_and_no_shared_logic():
    import jupytext

    for py in NOTEBOOKS:
        nb = jupytext.read(py)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        assert any("parameters" in t for t in tags), py.name
        # code lives in research/: notebooks define no functions or classes
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "\ndef " not in "\n" + code and "\nclass " not in "\n" + code, py.name


@pytest.mark.parametrize("py", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_top_to_bottom(py, seeds_run, tmp_path):
    import papermill

    out = tmp_path / py.with_suffix(".ipynb").name
    papermill.execute_notebook(
        str(py.with_suffix(".ipynb")), str(out), cwd=str(py.parent), kernel_name="python3",
        parameters={"corpus": str(ROOT / "seeds"), "run_dir": str(seeds_run)},
        progress_bar=False,
    )
    executed = json.loads(out.read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
