#!/usr/bin/python3
"""PyTorch reference for lanes' MLP epoch, measured on the machine at hand.

The MLP trainer's speed targets were set against PyTorch 1.13 timings
taken on an earlier development machine (0.71 s per 60,000-example epoch
on one thread, a Zen 5). A VM's CPU model, clock and neighbours change from machine to
machine, so this script measures the same reference here, to put lanes'
BenchmarkTrainEpoch figures beside a PyTorch epoch of the same machine and
minute:

    anchor  784-256-10 ReLU, SGD lr 0.1 momentum 0.9, batch 128, no
            dropout, 60,000 examples an epoch: the anchor's configuration.
    lanes   the configuration of BenchmarkTrainEpoch (mlp/bench_test.go)
            and the train command: Nesterov momentum 0.9, lr 0.01 held
            constant (lanes' cosine schedule changes the rate, not the
            cost of a step), dropout with keep probability 0.8 on the
            hidden layer, 55,000 examples an epoch.

Both use He-initialised nn.Linear layers, pixels scaled to [0, 1], a fresh
permutation each epoch and batches gathered with index_select (no
DataLoader, whose per-batch Python overhead is not what is compared).
Every (configuration, threads) pair trains its own model; after one
warm-up epoch each, the timed epochs go round-robin over the pairs, so a
slow minute on a shared machine hits them all alike. Each figure is the
median over --epochs timed epochs; one line per pair:

    torch config=anchor threads=1 s/epoch median 0.712 (min 0.700 max 0.730) examples/s 84270 loss 0.244 -> 0.030

with the mean training loss of the first and the last epoch, which shows
that the network trained.

OMP_WAIT_POLICY defaults to PASSIVE here: with OpenMP's default spinning,
two threads on two vCPUs thrash (2.8-3.0 s an epoch, against 0.55-0.9
passive). torch's own vector code runs at the capability its header line
prints (Debian's build: AVX2; ATEN_CPU_CAPABILITY=avx512 selects AVX-512),
its GEMMs in the BLAS that Debian's alternatives point to
(OPENBLAS_CORETYPE=SkylakeX for OpenBLAS's AVX-512 kernels): the anchors'
"best case" row is both.

Run it serialised with the Go benchmark, on an otherwise idle machine:

    flock /tmp/bench.lock /usr/bin/python3 bench/mlpref/mlpref.py
    flock /tmp/bench.lock go test -run '^$' -bench 'TrainEpoch/input=mnist$' -benchtime 5x -count 5 ./mlp

MNIST comes from the IDX files lanes caches (--data, default
$XDG_CACHE_HOME/lanes/mnist or ~/.cache/lanes/mnist, as written by
`go run ./mlp/cmd/train`). torch 1.13 is Debian's python3-torch.
"""

import argparse
import gzip
import os
import statistics
import struct
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def default_data_dir():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "lanes", "mnist")


def read_idx(path):
    """The array of an IDX file (gzipped or not) as (dims, bytes)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = data[4 + 4 * ndim:]
    count = 1
    for d in dims:
        count *= d
    if len(body) != count:
        raise ValueError(f"{path}: {len(body)} bytes of data, the header says {count}")
    return dims, body


def find(data_dir, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path
    sys.exit(f"mlpref: no {stem}[.gz] in {data_dir}: run `go run ./mlp/cmd/train` once, or pass --data")


def load_train(torch, data_dir):
    dims, pixels = read_idx(find(data_dir, "train-images-idx3-ubyte"))
    _, labels = read_idx(find(data_dir, "train-labels-idx1-ubyte"))
    n, dim = dims[0], dims[1] * dims[2]
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(n, dim).float().div_(255)
    y = torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()
    return x, y


CONFIGS = {
    # name: (examples per epoch, lr, nesterov, dropout probability)
    "anchor": (60000, 0.1, False, 0.0),
    "lanes": (55000, 0.01, True, 0.2),
}


def build(torch, dropout):
    nn = torch.nn
    layers = [nn.Linear(784, 256), nn.ReLU()]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(256, 10))
    model = nn.Sequential(*layers)
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return model


def train_epoch(torch, model, opt, x, y, batch, gen):
    """One epoch: its seconds and the mean training loss over its batches."""
    loss_fn = torch.nn.functional.cross_entropy
    perm = torch.randperm(len(x), generator=gen)
    total = torch.zeros(())
    t0 = time.perf_counter()
    for lo in range(0, len(x), batch):
        idx = perm[lo:lo + batch]
        xb, yb = x.index_select(0, idx), y.index_select(0, idx)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.detach()
    secs = time.perf_counter() - t0
    return secs, total.item() / ((len(x) + batch - 1) // batch)


class Run:
    """One (configuration, threads) pair: its model, optimizer, data and
    shuffling generator, and the epochs' seconds and mean losses so far."""

    def __init__(self, label, threads, model, opt, x, y, gen):
        self.label, self.threads = label, threads
        self.model, self.opt, self.x, self.y, self.gen = model, opt, x, y, gen
        self.times, self.losses = [], []


def capability(torch):
    """torch's build line that names its CPU capability, or '?'."""
    for line in torch.__config__.show().splitlines():
        if "CPU capability" in line:
            return line.strip(" -")
    return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=default_data_dir(), help="directory of MNIST's IDX files")
    ap.add_argument("--epochs", type=int, default=7, help="timed epochs per configuration and thread count")
    ap.add_argument("--threads", default="1,2", help="comma-separated torch.set_num_threads values")
    ap.add_argument("--config", default="anchor,lanes", help="comma-separated: " + ", ".join(CONFIGS))
    args = ap.parse_args()
    names = args.config.split(",")
    for name in names:
        if name not in CONFIGS:
            sys.exit(f"mlpref: unknown config {name!r}; choose from {', '.join(CONFIGS)}")
    thread_counts = [int(t) for t in args.threads.split(",")]
    import torch

    x_all, y_all = load_train(torch, args.data)
    print(f"torch {torch.__version__}, {capability(torch)}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}; "
          f"MNIST {len(x_all)} training images from {args.data}", flush=True)
    runs = []
    for name in names:
        n, lr, nesterov, dropout = CONFIGS[name]
        x, y = x_all[:n].contiguous(), y_all[:n].contiguous()
        for threads in thread_counts:
            torch.manual_seed(1)
            model = build(torch, dropout)
            model.train()
            opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=nesterov)
            gen = torch.Generator().manual_seed(2)
            runs.append(Run(f"config={name} threads={threads}", threads, model, opt, x, y, gen))
    for rnd in range(args.epochs + 1):
        for r in runs:
            torch.set_num_threads(r.threads)
            secs, loss = train_epoch(torch, r.model, r.opt, r.x, r.y, 128, r.gen)
            r.losses.append(loss)
            if rnd > 0:  # round 0 warms up
                r.times.append(secs)
    for r in runs:
        med = statistics.median(r.times)
        # A loss that falls from the first epoch to the last shows the
        # timed epochs trained the network.
        print(f"torch {r.label} s/epoch median {med:.3f} (min {min(r.times):.3f} max {max(r.times):.3f}) "
              f"examples/s {len(r.x) / med:.0f} loss {r.losses[0]:.3f} -> {r.losses[-1]:.3f}")


if __name__ == "__main__":
    main()
