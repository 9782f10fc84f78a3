"""Notebook sources: each tools/nbgen/<name>.py writes notebooks/<name>.ipynb with write().

The generators are the source of truth for the committed notebooks (tools/nbgen/build.py
regenerates them; `build.py --check`, part of `make test`, fails when a committed notebook
differs from its generator's output, e.g. after an edit made in Jupyter).
"""
import json, os
CHECK = os.environ.get("NBGEN_CHECK") == "1"
MISMATCHES = []
def nb(cells):
    out = []
    for i, (kind, src) in enumerate(cells):
        src = src.strip("\n")
        # Code cells never fold their output into a scroll box (the classic notebook's default for long outputs): figures show whole.
        c = {"cell_type": kind, "id": f"cell-{i}", "metadata": {"scrolled": False} if kind == "code" else {}, "source": src.splitlines(True)}
        if kind == "code":
            c.update({"execution_count": None, "outputs": []})
        out.append(c)
    return {"cells": out, "metadata": {"kernelspec": {"name": "bal-tslab", "display_name": "TypeScript (bal workspace)", "language": "typescript"},
            "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}}, "nbformat": 4, "nbformat_minor": 5}
def write(path, cells):
    text = json.dumps(nb(cells), indent=1) + "\n"
    if CHECK:
        try:
            same = open(path).read() == text
        except FileNotFoundError:
            same = False
        if not same:
            MISMATCHES.append(path)
        return
    open(path, "w").write(text)
