#!/usr/bin/python3
"""Step 0 of the survey's MNIST protocol as DeepAL+'s own code runs it (SineZHAN/deepALplus @ 93c2884:
nets.py MNIST_Net / Net.train / Net.predict, parameters.py 'MNIST'): torchvision resnet18 (pretrained=False)
behind a 1x1 conv to 3 channels, Adam 1e-3, batch 128 shuffled, 20 epochs, so 20 updates on 100 images;
then eval mode (batch norm's running statistics) on all 10,000 test images. 100 random initial labels.

It is the peer of tools/survey-step0/ours.js: the two write the eval-mode test accuracy and the predicted
class counts per seed, so the spread of our network's step 0 can be compared with PyTorch's on the same
protocol. Needs torch + torchvision (Debian: apt-get install python3-torch python3-torchvision; or the
device machine's /opt/torch/.venv/bin/python3). One CPU thread: ~20 s a seed.
Usage: tools/survey-step0/pytorch_peer.py [first_seed last_seed] (default 1 13)
"""
import gzip, json, os, sys, time, datetime
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F, torchvision, torchvision.models as models

torch.set_num_threads(1)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.environ.get("BAL_DATA_DIR", os.path.join(ROOT, "..", "shared", "datasets"))
OUT = os.path.join(ROOT, "reference-results", "checks", "survey-step0-pytorch.json")

def idx(name, offset):
    with gzip.open(os.path.join(DATA, "mnist", name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)

x_train = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
y_train = idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
x_test = idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
y_test = torch.tensor(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
# ToTensor then Normalize((0.1307,), (0.3081,)), as parameters.py's MNIST transform.
normalise = lambda x: (torch.tensor(x, dtype=torch.float32).unsqueeze(1) / 255.0 - 0.1307) / 0.3081

class MNIST_Net(nn.Module):
    def __init__(self):
        super().__init__()
        resnet18 = models.resnet18(pretrained=False)
        self.features = nn.Sequential(*list(resnet18.children())[:-1])
        self.conv = nn.Conv2d(1, 3, kernel_size=1)
        self.classifier = nn.Linear(resnet18.fc.in_features, 10)

    def forward(self, x):
        x = self.features(self.conv(x)).view(x.size(0), -1)
        return self.classifier(x), x

first, last = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (1, 13)
test = normalise(x_test)
seeds = []
for seed in range(first, last + 1):
    started = time.time()
    rng = np.random.RandomState(seed)
    torch.manual_seed(seed)
    labelled = rng.permutation(len(x_train))[:100]
    x, y = normalise(x_train[labelled]), torch.tensor(y_train[labelled])
    net = MNIST_Net()
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(20):
        for batch in torch.randperm(100).split(128):
            opt.zero_grad()
            loss = F.cross_entropy(net(x[batch])[0], y[batch])
            loss.backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        predicted = torch.cat([net(test[s:s + 1000])[0].argmax(1) for s in range(0, 10000, 1000)])
    accuracy = (predicted == y_test).float().mean().item()
    counts = np.bincount(predicted.numpy(), minlength=10).tolist()
    seeds.append({"seed": seed, "testAccuracy": accuracy, "predictedClassCounts": counts, "finalTrainLoss": loss.item(), "seconds": time.time() - started})
    print(f"seed {seed}: eval-mode test accuracy {accuracy:.4f}, predicted classes {counts}", flush=True)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT + ".tmp", "w") as f:
    json.dump({"check": "survey MNIST step 0, DeepAL+'s code in PyTorch", "testImages": 10000, "torch": torch.__version__,
               "torchvision": torchvision.__version__, "finishedAt": datetime.datetime.utcnow().isoformat() + "Z", "seeds": seeds}, f, indent=1)
os.replace(OUT + ".tmp", OUT)
print(f"wrote {OUT}")
