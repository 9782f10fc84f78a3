#!/usr/bin/python3
"""PyTorch peer for bench/compute.ts: same models, same workload; prints one JSON object."""
import json, sys, time
import torch
import torch.nn as nn

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(0)

def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(0.5), nn.Linear(400, 120), nn.ReLU(), nn.Dropout(0.25), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

def keras_cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 4), nn.ReLU(), nn.Conv2d(32, 32, 4), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
                         nn.Flatten(), nn.Linear(32 * 11 * 11, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))

def split_at_first_dropout(model):
    """Layers before the first Dropout are deterministic: batchbald_redux's deterministic_forward."""
    layers = list(model)
    cut = next(i for i, l in enumerate(layers) if isinstance(l, nn.Dropout))
    return nn.Sequential(*layers[:cut]), nn.Sequential(*layers[cut:])

def best_of(repeats, fn):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)

def bench(model, train_n=1000, batch=128, mc_n=2000, passes=20, repeats=2):
    x = torch.randn(train_n, 1, 28, 28); y = torch.randint(0, 10, (train_n,))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    def epoch():
        model.train()
        for s in range(0, train_n, batch):
            opt.zero_grad(); loss = nn.functional.cross_entropy(model(x[s:s + batch]), y[s:s + batch]); loss.backward(); opt.step()
    epoch()
    epoch_s = best_of(repeats, epoch)
    xm = torch.randn(mc_n, 1, 28, 28)
    model.train()  # dropout on
    prefix, suffix = split_at_first_dropout(model)
    def mc_whole():
        for _ in range(passes):
            for s in range(0, mc_n, 1000):
                torch.softmax(model(xm[s:s + 1000]), -1)
    def mc_split():
        for s in range(0, mc_n, 1000):
            h = prefix(xm[s:s + 1000])
            for _ in range(passes):
                torch.softmax(suffix(h), -1)
    with torch.no_grad():
        model(xm[:256])
        whole_s = best_of(repeats, mc_whole)
        split_s = best_of(repeats, mc_split)
    return {"epoch_s": epoch_s, "mc_images_per_s": mc_n * passes / whole_s, "mc_split_images_per_s": mc_n * passes / split_s}

print(json.dumps({"threads": torch.get_num_threads(), "version": torch.__version__,
                  "lenet5": bench(lenet()), "keras-cnn": bench(keras_cnn())}))
