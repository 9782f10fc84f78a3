#!/usr/bin/python3
"""PyTorch peer of bench/compute.ts, as a PyTorch user would write it: the same models and workloads,
the same thread count, MC passes under torch.inference_mode with dropout on (train mode), chunked.

It is a long-lived process so that the bench can interleave its measurements with ours: one JSON
command per line on stdin, one JSON answer per line on stdout.
  {"op": "setup", "model": "lenet5" | "keras-cnn", "device": "cpu" | "cuda"}   (cuda: when torch.cuda.is_available())
  {"op": "epoch"}                                   -> {"s": seconds}   1,000 images, batch 128, Adam
  {"op": "mc", "mode": "whole" | "split", "chunk": n, "images": 2000, "passes": 20} -> {"s": seconds}
  {"op": "check"}   -> {"max_abs_diff": ...}  split passes == whole passes with the same dropout masks
Allocator: glibc's defaults (what a PyTorch user has). Chunks of 1,000 images make glibc map and
unmap the activation buffers on every pass; the bench therefore picks each side's best chunk from
a short sweep and states it, rather than tuning the allocator.
"""
import json, sys, time
import torch
import torch.nn as nn

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(0)

def sync():
    """Timers read after the GPU finished the work (CUDA runs asynchronously)."""
    if state.get("device", "cpu") == "cuda":
        torch.cuda.synchronize()

def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(0.5), nn.Linear(400, 120), nn.ReLU(), nn.Dropout(0.25), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

def keras_cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 4), nn.ReLU(), nn.Conv2d(32, 32, 4), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
                         nn.Flatten(), nn.Linear(32 * 11 * 11, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))

MODELS = {"lenet5": lenet, "keras-cnn": keras_cnn}

def split_at_first_dropout(model):
    """Layers before the first Dropout are deterministic: batchbald_redux's deterministic_forward."""
    layers = list(model)
    cut = next(i for i, l in enumerate(layers) if isinstance(l, nn.Dropout))
    return nn.Sequential(*layers[:cut]), nn.Sequential(*layers[cut:])

state = {}

def setup(name, device="cpu"):
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("torch_peer: device cuda asked, but torch.cuda.is_available() is False")
    model = MODELS[name]().to(device)
    x = torch.randn(1000, 1, 28, 28).to(device); y = torch.randint(0, 10, (1000,)).to(device)
    state.update(model=model, x=x, y=y, opt=torch.optim.Adam(model.parameters(), 1e-3), xm=torch.randn(2000, 1, 28, 28).to(device),
                 parts=split_at_first_dropout(model), device=device)
    epoch(); mc("whole", 128, 256, 1)  # warm-up
    return {}

def epoch():
    m, x, y, opt = state["model"], state["x"], state["y"], state["opt"]
    m.train()
    sync()
    t = time.perf_counter()
    for s in range(0, 1000, 128):
        opt.zero_grad(); loss = nn.functional.cross_entropy(m(x[s:s + 128]), y[s:s + 128]); loss.backward(); opt.step()
    sync()
    return time.perf_counter() - t

def mc(mode, chunk, images, passes):
    m, xm = state["model"], state["xm"][:images]
    prefix, suffix = state["parts"]
    m.train()  # dropout on
    sync()
    t = time.perf_counter()
    with torch.inference_mode():
        if mode == "whole":
            for _ in range(passes):
                for s in range(0, images, chunk):
                    torch.softmax(m(xm[s:s + chunk]), -1)
        else:
            for s in range(0, images, chunk):
                h = prefix(xm[s:s + chunk])
                for _ in range(passes):
                    torch.softmax(suffix(h), -1)
    sync()
    return time.perf_counter() - t

def check():
    m, xm = state["model"], state["xm"][:256]
    prefix, suffix = state["parts"]
    m.train()
    with torch.inference_mode():
        torch.manual_seed(7); whole = torch.softmax(m(xm), -1)
        torch.manual_seed(7); split = torch.softmax(suffix(prefix(xm)), -1)
    return {"max_abs_diff": float((whole - split).abs().max())}

print(json.dumps({"ready": True, "version": torch.__version__, "threads": torch.get_num_threads(), "cuda": torch.cuda.is_available(),
                  "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    op = cmd["op"]
    if op == "setup":
        out = setup(cmd["model"], cmd.get("device", "cpu"))
    elif op == "epoch":
        out = {"s": epoch()}
    elif op == "mc":
        out = {"s": mc(cmd["mode"], cmd["chunk"], cmd.get("images", 2000), cmd.get("passes", 20))}
    elif op == "check":
        out = check()
    else:
        out = {"error": f"unknown op {op}"}
    print(json.dumps(out), flush=True)
