"""Regenerate the Python code of every proto into libs/vigie-protos (one command, `make protos`).

`--check` regenerates into a temporary folder and fails when it differs from what is committed,
so the generated code can never drift from the contracts.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[1]
PROTOS = ROOT / "protos"
OUT = ROOT / "libs" / "vigie-protos" / "src"


def generate(out: Path) -> None:
    sources = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTOS}",
        f"-I{well_known}",
        f"--python_out={out}",
        f"--grpc_python_out={out}",
        f"--mypy_out={out}",
        f"--mypy_grpc_out={out}",
        *sources,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for folder in [p for p in (out / "vigie").rglob("*") if p.is_dir()] + [out / "vigie"]:
        (folder / "__init__.py").touch()
    (out / "vigie" / "py.typed").touch()


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []
    compare = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found += [f"only in committed: {left / n}" for n in compare.left_only]
    found += [f"missing from committed: {n}" for n in compare.right_only]
    found += [f"differs: {left / n}" for n in compare.diff_files]
    for sub in compare.common_dirs:
        found += differences(left / sub, right / sub)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if committed code is stale")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            problems = differences(OUT / "vigie", Path(tmp) / "vigie")
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("generated code is stale: run `make protos`", file=sys.stderr)
            return 1
        print("generated code matches the protos")
        return 0
    shutil.rmtree(OUT / "vigie", ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    generate(OUT)
    print(f"generated into {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
