import json, sys
def nb(cells):
    out = []
    for i, (kind, src) in enumerate(cells):
        src = src.strip("\n")
        c = {"cell_type": kind, "id": f"cell-{i}", "metadata": {}, "source": src.splitlines(True)}
        if kind == "code":
            c.update({"execution_count": None, "outputs": []})
        out.append(c)
    return {"cells": out, "metadata": {"kernelspec": {"name": "bal-tslab", "display_name": "TypeScript (bal workspace)", "language": "typescript"},
            "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}}, "nbformat": 4, "nbformat_minor": 5}
def write(path, cells):
    json.dump(nb(cells), open(path, "w"), indent=1); open(path, "a").write("\n")
