#!/usr/bin/python3
"""Regenerates every notebook from tools/nbgen/*.py; with --check, writes nothing and fails when
a committed notebook differs from its generator (edit the generator, then rerun this)."""
import glob, os, runpy, sys
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.chdir(ROOT)
sys.path.insert(0, os.path.join(ROOT, "tools", "nbgen"))
if "--check" in sys.argv:
    os.environ["NBGEN_CHECK"] = "1"
import mknb  # noqa: E402  (after NBGEN_CHECK is set)
mknb.CHECK = os.environ.get("NBGEN_CHECK") == "1"
for gen in sorted(glob.glob("tools/nbgen/*.py")):
    if os.path.basename(gen) in ("mknb.py", "build.py"):
        continue
    runpy.run_path(gen)
if mknb.CHECK:
    if mknb.MISMATCHES:
        print("Notebooks that differ from their generators (tools/nbgen/):", ", ".join(mknb.MISMATCHES))
        print("Edit the generator and run `python3 tools/nbgen/build.py` (the .ipynb files are generated).")
        sys.exit(1)
    print("Every committed notebook equals its generator's output.")
else:
    print("Notebooks regenerated from tools/nbgen/.")
