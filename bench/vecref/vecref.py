#!/usr/bin/python3
"""numpy and PyTorch reference rates for lanes' vector kernels.

Measures, on one thread, the rate (Gelem/s = elements per ns) of

    Add      dst = x + y      np.add(x, y, out=dst)      torch.add(x, y, out=dst)
    Dot      s = x . y        np.dot(x, y)               torch.dot(x, y)
    Exp      dst = e**x       np.exp(x, out=dst)         torch.exp(x, out=dst)
    Sigmoid  1/(1+e**-x)      (numpy has none)           torch.sigmoid(x, out=dst)
    Tanh     dst = tanh(x)    np.tanh(x, out=dst)        torch.tanh(x, out=dst)

for float32 arrays of n = 1,000,000 (4 MB each: Add's three arrays stay in
L3) and n = 4096, with the inputs the Go benchmarks use
(kernels/vec_bench_test.go: uniform in [-4, 4) for Add and Dot;
kernels/math_test.go: normal with standard deviation 4 for the math kernels).
Every result writes into a preallocated array, as the Go benchmarks do.

Each figure is the median over --rounds timings; one timing runs the call
enough times to last about 50 ms and divides. Output: one line per
(library, kernel, n), "lib kernel n=N median Gelem/s (min-max)".

Huge pages: numpy >= 1.16 madvise()s arrays of 4 MiB and more for transparent
huge pages, and with /sys/kernel/mm/transparent_hugepage/enabled = madvise
(as on the development machine) the 2 MiB-aligned part of each 1M-element
array lands on a huge page (6144 kB of the four 4 MB arrays here), while
Go's heap and torch 1.13's allocator use 4 KiB pages. Three 4 MB arrays are
3072 4 KiB pages, the whole L2 TLB of a Zen 4 core, so this matters for Add.
--no-hugepage turns numpy's madvise off (numpy.core.multiarray.
_set_madvise_hugepage(False)) so every library runs on 4 KiB pages; the
script prints how many kB of the arrays' memory sit on huge pages
(AnonHugePages in /proc/self/smaps) so each run says which case it measured.

Run it on an idle machine, serialised with the Go benchmarks:

    flock /tmp/bench.lock /usr/bin/python3 bench/vecref/vecref.py
    flock /tmp/bench.lock /usr/bin/python3 bench/vecref/vecref.py --no-hugepage
    flock /tmp/bench.lock go test -run '^$' -bench '^Benchmark(Add|Dot|Exp|Sigmoid|Tanh)$' ./kernels

numpy 1.24 and torch 1.13 are Debian's python3-numpy and python3-torch.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402


def time_call(fn, target=0.05):
    """Seconds per call of fn, over enough calls to last about target s."""
    fn()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        if dt >= target:
            return dt / reps
        reps *= 2 if dt < target / 8 else max(2, int(target / dt * 1.2))


def rate(fn, n, rounds):
    rates = [n / time_call(fn) / 1e9 for _ in range(rounds)]
    return statistics.median(rates), min(rates), max(rates)


def huge_kb():
    """kB of this process's anonymous memory on transparent huge pages."""
    total = 0
    with open("/proc/self/smaps") as f:
        for line in f:
            if line.startswith("AnonHugePages:"):
                total += int(line.split()[1])
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7, help="timings per figure")
    ap.add_argument("--sizes", default="1000000,4096")
    ap.add_argument("--no-hugepage", action="store_true",
                    help="keep numpy's arrays on 4 KiB pages")
    ap.add_argument("--libs", default="numpy,torch")
    ap.add_argument("--kernels", default="Add,Dot,Exp,Sigmoid,Tanh")
    args = ap.parse_args()

    if args.no_hugepage:
        np.core.multiarray._set_madvise_hugepage(False)
    libs = args.libs.split(",")
    kernels = args.kernels.split(",")
    torch = None
    if "torch" in libs:
        import torch
        torch.set_num_threads(1)

    thp = open("/sys/kernel/mm/transparent_hugepage/enabled").read().strip()
    print(f"# numpy {np.__version__}"
          + (f", torch {torch.__version__}" if torch else "")
          + f", THP {thp}, numpy hugepage madvise "
          + ("off" if args.no_hugepage else "on"))

    for n in [int(s) for s in args.sizes.split(",")]:
        rng = np.random.default_rng(1)
        x = rng.uniform(-4, 4, n).astype(np.float32)
        y = rng.uniform(-4, 4, n).astype(np.float32)
        xm = (rng.standard_normal(n) * 4).astype(np.float32)
        dst = np.empty(n, np.float32)
        for a in (x, y, xm, dst):
            a[:] = a  # touch every page before timing
        print(f"# n={n}: numpy arrays' memory on huge pages: {huge_kb()} kB")
        cases = {
            "numpy": {
                "Add": lambda: np.add(x, y, out=dst),
                "Dot": lambda: np.dot(x, y),
                "Exp": lambda: np.exp(xm, out=dst),
                "Tanh": lambda: np.tanh(xm, out=dst),
            },
        }
        if torch:
            # Tensors from torch's own allocator (from_numpy would share
            # numpy's memory, huge pages included).
            tx, ty, txm, tdst = (torch.empty(n, dtype=torch.float32) for _ in range(4))
            for t, a in ((tx, x), (ty, y), (txm, xm), (tdst, dst)):
                t.copy_(torch.from_numpy(a))
            print(f"# n={n}: numpy and torch arrays on huge pages: {huge_kb()} kB")
            cases["torch"] = {
                "Add": lambda: torch.add(tx, ty, out=tdst),
                "Dot": lambda: torch.dot(tx, ty),
                "Exp": lambda: torch.exp(txm, out=tdst),
                "Sigmoid": lambda: torch.sigmoid(txm, out=tdst),
                "Tanh": lambda: torch.tanh(txm, out=tdst),
            }
        for lib in libs:
            for k in kernels:
                fn = cases.get(lib, {}).get(k)
                if fn is None:
                    continue
                med, lo, hi = rate(fn, n, args.rounds)
                print(f"{lib:5} {k:7} n={n:<7} {med:6.2f} Gelem/s ({lo:.2f}-{hi:.2f})")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
