#!/usr/bin/python3
"""Executes notebooks headless with the project's tslab kernel and saves executed copies.

tslab's own error reply is empty, so on a failing cell this prints the notebook, the cell's
source and the stderr/stack the cell produced, saves the partially executed notebook, and exits 1.

usage: run-notebooks.py [--profile P] [--timeout S] [--out DIR] NOTEBOOK...
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cell_text(cell):
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out.append(o.get("text", ""))
        elif o.get("output_type") == "error":
            out.append("\n".join(o.get("traceback", [])) or f"{o.get('ename')}: {o.get('evalue')}")
    return "".join(out)


class StreamingClient(NotebookClient):
    """Prints the cells' stdout/stderr lines (progress, ETA) while they run, so a long headless run is not silent."""

    def output(self, outs, msg, display_id, cell_index):
        if msg.get("msg_type") == "stream":
            text = msg["content"].get("text", "")
            for line in text.splitlines():
                print(f"  [{self._bal_name} cell {cell_index}] {line}", flush=True)
        return super().output(outs, msg, display_id, cell_index)


def sign(nb):
    """Executed notebooks are the user's own output: sign them so the classic notebook trusts (renders) them."""
    try:
        from nbformat.sign import NotebookNotary
        notary = NotebookNotary()
        notary.sign(nb)
    except Exception as e:  # a missing or read-only Jupyter data folder must not fail the run
        print(f"(could not sign {e!r}: the notebook will open as 'Not Trusted')", flush=True)


# tfjs-backend-wasm's threaded start hangs in about 1 of 60 starts (src/compute/backend.ts times it out
# with this message); a fresh kernel starts fine, so the notebook is run again, at most START_ATTEMPTS times.
START_HANG = "the multithreaded wasm backend did not finish starting"
START_ATTEMPTS = 3


def run(path, args):
    for attempt in range(1, START_ATTEMPTS + 1):
        ok, hung = run_once(path, args)
        if ok or not hung:
            return ok
        print(f"(the wasm backend's threaded start hung in {path}, attempt {attempt} of {START_ATTEMPTS}: running it again in a fresh kernel)", flush=True)
    return False


def run_once(path, args):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "bal-tslab", "display_name": "TypeScript (bal workspace)", "language": "typescript"}
    client = StreamingClient(nb, timeout=args.timeout, kernel_name="bal-tslab", interrupt_on_timeout=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    client._bal_name = os.path.splitext(os.path.basename(path))[0]
    os.makedirs(args.out, exist_ok=True)
    target = os.path.join(args.out, os.path.basename(path))
    start = time.time()
    ok = True
    hung = False
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as e:
        ok = False
        failing = None
        for cell in nb.cells:
            if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                failing = cell
                break
        print(f"\n=== FAILED: {path}", file=sys.stderr)
        if isinstance(e, CellTimeoutError):
            print(f"(a cell ran past --timeout {args.timeout}s)", file=sys.stderr)
        if failing is None:
            # The error may be reported without an error output: take the last executed cell.
            executed = [c for c in nb.cells if c.cell_type == "code" and c.get("execution_count")]
            failing = executed[-1] if executed else None
        hung = failing is not None and START_HANG in cell_text(failing)
        if failing is not None:
            print("--- cell source:\n" + failing.source, file=sys.stderr)
            print("--- cell output (stdout/stderr, stack):\n" + cell_text(failing), file=sys.stderr)
        print(f"--- nbclient: {str(e).strip()[:2000]}", file=sys.stderr)
    finally:
        sign(nb)
        nbformat.write(nb, target)
    print(f"{'ok' if ok else 'FAILED'}: {path} -> {target} ({time.time() - start:.0f}s)", flush=True)
    return ok, hung


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--profile", default=os.environ.get("BAL_PROFILE", "smoke"))
    p.add_argument("--timeout", type=int, default=3600)
    p.add_argument("--out", default=os.path.join(ROOT, "notebooks", "executed"))
    p.add_argument("notebooks", nargs="+")
    args = p.parse_args()
    os.environ["BAL_PROFILE"] = args.profile
    os.environ["JUPYTER_PATH"] = os.path.join(ROOT, "jupyter") + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    results = [run(nb, args) for nb in args.notebooks]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
