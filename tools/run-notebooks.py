#!/usr/bin/python3
"""Executes notebooks headless with the project's tslab kernel and saves executed copies.

Before the first notebook it checks that every dataset file the notebooks' runs read is present
(one list and the fix, in seconds), then prints what will run and its expected time, and a
"notebook i of n" line with an ETA for the whole command before each. tslab's own error reply is
empty, so on a failing cell this prints the notebook, the cell's source and the stderr/stack the
cell produced, and saves the partially executed notebook as <name>.FAILED.ipynb (an older
<name>.ipynb is removed, so nothing failed looks good). A failed notebook does not stop the
others; the command ends with a summary and exits 1 if any failed. The kernel's own stderr (tslab's
shutdown noise) goes to <out>/<name>.kernel.log.

usage: run-notebooks.py [--profile P] [--timeout S] [--out DIR] NOTEBOOK...
"""
import argparse
import json
import os
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

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


# The experiment each notebook runs (its data is checked before anything runs).
NOTEBOOK_EXPERIMENT = {
    "gal-mnist": "gal-mnist", "softmax-repeated-mnist": "softmax-repeated-mnist", "deimos-regression": "deimos",
    "hybrid-cifar10": "hybrid", "survey-catalogue": "survey",
}
# Seconds per notebook in the smoke profile on a quiet 2-core machine (README "Cost"), used until this machine has measured its own.
TYPICAL_SMOKE_SECONDS = {"gal-mnist": 101, "softmax-repeated-mnist": 106, "deimos-regression": 70, "hybrid-cifar10": 551, "survey-catalogue": 235}
TIMINGS = os.path.join(ROOT, "notebooks", "executed", ".timings.json")


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def load_timings():
    try:
        with open(TIMINGS) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_timing(profile, name, seconds):
    timings = load_timings()
    timings.setdefault(profile, {})[name] = round(seconds)
    try:
        os.makedirs(os.path.dirname(TIMINGS), exist_ok=True)
        with open(TIMINGS, "w") as f:
            json.dump(timings, f, indent=1, sort_keys=True)
    except OSError:
        pass


def expected_seconds(profile, name):
    """(seconds, basis) or (None, why) for one notebook."""
    measured = load_timings().get(profile, {}).get(name)
    if measured:
        return measured, "measured here"
    if profile == "smoke" and name in TYPICAL_SMOKE_SECONDS:
        return TYPICAL_SMOKE_SECONDS[name], "typical on 2 cores"
    return None, "no time measured on this machine yet for this profile (README Cost: paper profiles take hours)"


def minutes(s):
    return f"{s / 60:.0f} min" if s >= 90 else f"{s:.0f} s"


def check_data(notebooks, profile):
    """Exits 2 in seconds, listing every missing dataset file, when the notebooks' runs need data that is absent."""
    experiments = sorted({NOTEBOOK_EXPERIMENT[name_of(p)] for p in notebooks if name_of(p) in NOTEBOOK_EXPERIMENT})
    if not experiments:
        return
    cli = os.path.join(ROOT, "build", "src", "cli.js")
    r = subprocess.run(["node", cli, "data-check", "--profile", profile, *experiments], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr or r.stdout)
        print(f"\nStopped before the first notebook: the data above is missing ({len(notebooks)} notebook(s) not run).", file=sys.stderr, flush=True)
        sys.exit(2)
    print(r.stdout.strip(), flush=True)


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
    name = name_of(path)
    target = os.path.join(args.out, os.path.basename(path))
    failed_target = os.path.join(args.out, f"{name}.FAILED.ipynb")
    kernel_log = os.path.join(args.out, f"{name}.kernel.log")
    start = time.time()
    ok = True
    hung = False
    try:
        # The kernel process's own stderr (tslab's "Socket is closed ... EBADF" at shutdown) goes to a log, not the terminal.
        with open(kernel_log, "w") as log:
            client.execute(stderr=log)
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
    except DeadKernelError as e:
        # The kernel process itself died (e.g. tslab's file watcher when sources change under a running notebook): its stderr says why.
        ok = False
        print(f"\n=== FAILED: {path}: the kernel died ({e}); the end of its log {kernel_log}:", file=sys.stderr)
        try:
            with open(kernel_log) as f:
                print("".join(f.readlines()[-15:]), file=sys.stderr)
        except OSError:
            pass
    finally:
        sign(nb)
        # A failed notebook is kept apart, and an older good copy removed, so nothing failed looks good on disk.
        for stale in ([failed_target] if ok else [target]):
            if os.path.exists(stale):
                os.remove(stale)
        nbformat.write(nb, target if ok else failed_target)
    seconds = time.time() - start
    if ok:
        save_timing(args.profile, name, seconds)
    print(f"{'ok' if ok else 'FAILED'}: {path} -> {target if ok else failed_target} ({seconds:.0f}s)" +
          ("" if ok else f"; kernel log: {kernel_log}"), flush=True)
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
    check_data(args.notebooks, args.profile)
    plan = [(nb, *expected_seconds(args.profile, name_of(nb))) for nb in args.notebooks]
    known = [s for _, s, _ in plan if s]
    total = sum(known)
    print(f"Running {len(plan)} notebook(s), profile '{args.profile}'" +
          (f", expected about {minutes(total)} on this machine" if len(known) == len(plan) else "") + ":", flush=True)
    for nb, s, basis in plan:
        print(f"  {name_of(nb)}: {minutes(s) + ' (' + basis + ')' if s else basis}", flush=True)
    started = time.time()
    results = []
    for i, (nb, s, _) in enumerate(plan):
        left = sum(x or 0 for _, x, _ in plan[i:])
        eta = time.strftime("%H:%M", time.localtime(time.time() + left)) if all(x for _, x, _ in plan[i:]) else "unknown"
        print(f"== notebook {i + 1} of {len(plan)} ({name_of(nb)}): started after {minutes(time.time() - started)}; whole command ETA {eta}", flush=True)
        results.append(run(nb, args))
    failed = [name_of(nb) for nb, ok in zip(args.notebooks, results) if not ok]
    took = minutes(time.time() - started)
    if failed:
        print(f"\n{len(failed)} of {len(results)} notebooks FAILED ({took}): {', '.join(failed)} "
              f"(partial outputs: {args.out}/<name>.FAILED.ipynb; the failing cell is printed above each)", flush=True)
        sys.exit(1)
    print(f"\nAll {len(results)} notebooks ran ({took}).", flush=True)


if __name__ == "__main__":
    main()
