#!/usr/bin/env python3
"""PyTorch reference for Thaw's benchmarks: the same jobs done the plain PyTorch way.

    /usr/bin/python3 src/bench/python/pytorch_reference.py JOB --images DIR --backbone FILE.pt [options] [--json]

JOB is one of
    embed      (a) embedding pass: DataLoader end to end, and compute-only on pre-decoded tensors
    head       (b) Linear head trained on precomputed embeddings, samples/s
    finetune   (c) training-step throughput for the head / last / full presets, batch 16 and 32
    pipeline   (d) DataLoader decode + augment throughput with 0, 1 and 2 workers
    fe-run     (e) whole tutorial feature-extraction run (frozen backbone re-run every epoch)
    ft-run     (e) whole fine-tuning run (default preset last)
    peak       this CPU's measured GEMM / conv FLOP/s, ResNet-18 FLOPs per image, images/s limit
    all        every job above, in that order

"The plain PyTorch way" means what the common tutorials write: torchvision ImageFolder + DataLoader,
torchvision transforms on PIL images, an eager torchvision resnet18 with `fc` replaced, a standard
`for x, y in loader: zero_grad / forward / loss / backward / step` loop, and, for feature
extraction, a frozen backbone that is re-run on every batch of every epoch.

Output: a readable table. With --json, stdout carries only JSON, one object per line per result
(schema SCHEMA below), and the table and progress go to stderr; that is what `thaw bench` parses.
Only torch, torchvision, numpy and Pillow are used. Run it with Debian's python3-torch.
"""
import argparse
import json
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time

SCHEMA = "thaw-bench-pytorch/1"
JOBS = ["peak", "embed", "head", "pipeline", "finetune", "fe-run", "ft-run"]
PRESETS = ["head", "last", "full"]
WAIT_POLICIES = ["env", "default", "PASSIVE", "ACTIVE"]
# Marks a process we re-executed to change OMP_WAIT_POLICY, so it does not re-execute again.
REEXEC_MARK = "THAW_BENCH_REEXEC"


# ----------------------------------------------------------------------------------------------
# Command line. Parsed before torch is imported: OMP_WAIT_POLICY is read once, when libgomp
# starts, so changing it means starting the interpreter again with a different environment.

def csv_ints(text):
    return [int(v) for v in text.split(",") if v.strip()]


def csv_words(choices):
    def parse(text):
        words = [v.strip() for v in text.split(",") if v.strip()]
        for w in words:
            if w not in choices:
                raise argparse.ArgumentTypeError("%r is not one of %s" % (w, ", ".join(choices)))
        return words
    return parse


def default_threads():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def build_parser():
    common = argparse.ArgumentParser(add_help=False)
    g = common.add_argument_group("common options")
    g.add_argument("--images", help="ImageFolder root holding train/ and val/ (or a single ImageFolder)")
    g.add_argument("--backbone", help="TorchScript backbone (.pt) from make_bench_backbone.py; "
                                      "its sidecar <name>.json gives inputSize, mean, std")
    g.add_argument("--model", choices=["eager", "torchscript"], default="eager",
                   help="eager: torchvision resnet18 with the file's weights loaded (the plain way, "
                        "default); torchscript: run the scripted file itself")
    g.add_argument("--threads", type=int, default=default_threads(),
                   help="torch.set_num_threads (default: usable cores, %(default)s here)")
    g.add_argument("--workers", type=int, default=0,
                   help="DataLoader num_workers for end-to-end jobs (default 0; see the pipeline job)")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--omp-wait-policy", type=csv_words(WAIT_POLICIES), default=["env"],
                   help="env (leave the environment alone, default), default (unset), PASSIVE, ACTIVE; "
                        "a comma list runs the job once per policy in child processes")
    g.add_argument("--json", action="store_true", help="JSON lines on stdout, table on stderr")

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    sub = parser.add_subparsers(dest="job", required=True, metavar="JOB")

    p = sub.add_parser("embed", parents=[common], help="(a) embedding pass, images/s")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--split", default="train", help="which split to embed (default train)")
    p.add_argument("--warmup", type=int, default=2, help="batches run and discarded first (default 2)")
    p.add_argument("--grad-modes", type=csv_words(["no_grad", "inference_mode"]),
                   default=["no_grad", "inference_mode"])

    p = sub.add_parser("head", parents=[common], help="(b) Linear head on cached embeddings, samples/s")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--warmup-epochs", type=int, default=1, help="epochs on a throwaway head first")
    add_optimizer_options(p, default_lr=0.01)

    p = sub.add_parser("finetune", parents=[common], help="(c) training-step throughput, images/s")
    p.add_argument("--preset", type=csv_words(PRESETS), default=PRESETS,
                   help="head, last, full or a comma list (default all three)")
    p.add_argument("--batch-sizes", type=csv_ints, default=[16, 32])
    p.add_argument("--steps", type=int, default=15, help="timed steps (default 15)")
    p.add_argument("--warmup", type=int, default=3, help="steps run first and not timed (default 3)")
    p.add_argument("--modes", type=csv_words(["e2e", "compute"]), default=["e2e", "compute"],
                   help="e2e: DataLoader + augment + step; compute: step on pre-decoded tensors")
    p.add_argument("--augment", choices=["basic", "jitter"], default="basic",
                   help="basic: RandomResizedCrop+flip (the tutorial's); jitter: + ColorJitter(0.2,0.2,0.2)")
    add_optimizer_options(p, default_lr=0.001)

    p = sub.add_parser("pipeline", parents=[common], help="(d) decode+augment throughput, images/s")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--workers-list", type=csv_ints, default=[0, 1, 2])
    p.add_argument("--epochs", type=int, default=2, help="timed passes, after one untimed pass (default 2)")

    p = sub.add_parser("fe-run", parents=[common], help="(e) whole tutorial feature-extraction run, seconds")
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--target-epochs", type=int, default=50,
                   help="epochs the result is extrapolated to when --epochs is smaller (default 50)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--transform", choices=["augment", "fixed"], default="augment",
                   help="training transform: augment (tutorial: RandomResizedCrop+flip, default) or "
                        "fixed (Resize+CenterCrop, the same pixels a cached-embedding run sees)")
    p.add_argument("--frozen-bn", action="store_true",
                   help="keep the frozen backbone in eval mode (BatchNorm statistics fixed); the "
                        "tutorial leaves it in train mode, so its statistics drift")
    add_optimizer_options(p, default_lr=0.01)

    p = sub.add_parser("ft-run", parents=[common], help="(e) whole fine-tuning run, seconds")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--preset", choices=PRESETS, default="last")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--augment", choices=["basic", "jitter"], default="basic")
    add_optimizer_options(p, default_lr=0.001)

    p = sub.add_parser("peak", parents=[common], help="CPU FLOP/s, ResNet-18 FLOPs, images/s limit")
    p.add_argument("--gemm-sizes", type=csv_ints, default=[512, 1024, 2048, 4096])
    p.add_argument("--repeats", type=int, default=5, help="best of this many runs per measurement")
    p.add_argument("--batch-size", type=int, default=32, help="conv and forward batch (default 32)")
    p.add_argument("--classes", type=int, default=10, help="head size for training-FLOP counts")

    p = sub.add_parser("all", parents=[common], help="every job with its defaults")
    p.add_argument("--quick", action="store_true",
                   help="small sizes everywhere (a smoke run: minutes, numbers not meaningful)")
    p.add_argument("--fe-epochs", type=int, default=None, help="fe-run --epochs (default 50; quick 2)")
    p.add_argument("--ft-epochs", type=int, default=None, help="ft-run --epochs (default 5; quick 1)")
    return parser


def add_optimizer_options(p, default_lr):
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd",
                   help="sgd (momentum 0.9, the torchvision fine-tuning tutorial's) or adam")
    p.add_argument("--lr", type=float, default=default_lr, help="learning rate (default %(default)s)")


# ----------------------------------------------------------------------------------------------
# OMP wait policy: re-execute with the wanted environment, or fan out over several policies.

def wanted_env_value(policy):
    return None if policy == "default" else policy


def ensure_wait_policy(argv, args):
    """Returns an exit code when the work was done elsewhere (children), or None to go on here."""
    policies = args.omp_wait_policy
    if len(policies) > 1:
        worst = 0
        for policy in policies:
            child_argv = replace_option(argv, "--omp-wait-policy", policy)
            env = dict(os.environ)
            env.pop(REEXEC_MARK, None)
            value = wanted_env_value(policy) if policy != "env" else os.environ.get("OMP_WAIT_POLICY")
            env.pop("OMP_WAIT_POLICY", None)
            if value is not None:
                env["OMP_WAIT_POLICY"] = value
            env[REEXEC_MARK] = "1"
            log("== OMP_WAIT_POLICY=%s ==" % (value or "(unset)"))
            rc = subprocess.call([sys.executable, os.path.abspath(__file__)] + child_argv, env=env)
            worst = worst or rc
        return worst
    policy = policies[0]
    if policy == "env" or os.environ.get(REEXEC_MARK):
        return None
    value = wanted_env_value(policy)
    if os.environ.get("OMP_WAIT_POLICY") == value:
        return None
    env = dict(os.environ)
    env.pop("OMP_WAIT_POLICY", None)
    if value is not None:
        env["OMP_WAIT_POLICY"] = value
    env[REEXEC_MARK] = "1"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + argv, env)
    return None  # not reached


def replace_option(argv, name, value):
    out, skip = [], False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if a == name:
            skip = True
            continue
        if a.startswith(name + "="):
            continue
        out.append(a)
    return out + [name, value]


# ----------------------------------------------------------------------------------------------
# Reporting

class Reporter:
    """Collects result records; prints JSON lines (stdout) and/or a table."""

    def __init__(self, as_json, env_fields):
        self.as_json = as_json
        self.env = env_fields
        self.table = sys.stderr if as_json else sys.stdout
        self.rows = []

    def emit(self, job, variant, metric, value, unit, normalize=False, **fields):
        record = {"schema": SCHEMA, "job": job, "variant": variant, "metric": metric,
                  "value": round(value, 4) if isinstance(value, float) else value, "unit": unit}
        record.update({k: (round(v, 5) if isinstance(v, float) else v) for k, v in fields.items()})
        util = fields.get("cpu_utilization")
        if normalize and util:
            # What the rate would be had this process had its threads' cores to itself: a guide on
            # a busy machine, not a measurement. Only for torch compute loops, which keep every
            # thread busy: decoding is single-threaded and workers' CPU time is not counted.
            record["cpu_normalized_value"] = round(value / util, 4)
        record["load_avg_1m"] = round(os.getloadavg()[0], 2)
        record.update(self.env)
        self.rows.append(record)
        if self.as_json:
            print(json.dumps(record, sort_keys=False), flush=True)
        extra = []
        for key in ("batch_size", "workers", "accuracy", "val_accuracy", "fraction_of_peak", "extrapolated",
                    "cpu_utilization"):
            if key in fields and fields[key] is not None:
                v = fields[key]
                extra.append("%s=%s" % (key.replace("cpu_utilization", "cpu_util"),
                                        ("%.3f" % v) if isinstance(v, float) else v))
        print("%-10s %-34s %12s %-10s %s" % (job, variant, fmt_value(value), unit, " ".join(extra)),
              file=self.table, flush=True)


def fmt_value(v):
    if isinstance(v, float):
        if abs(v) >= 1e9:
            return "%.3e" % v
        return "%.2f" % v if abs(v) < 1000 else "%.0f" % v
    return str(v)


def log(msg):
    print("# " + msg, file=sys.stderr, flush=True)


class Timed:
    """Wall time (perf_counter) and this process's CPU time over a block. cpu_utilization =
    cpu_s / (seconds * threads): well below 1 means the run was starved by other processes (or
    waited on data); it does not count DataLoader worker processes."""

    def __init__(self, threads):
        self.threads = threads

    def __enter__(self):
        self.r0 = resource.getrusage(resource.RUSAGE_SELF)
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        self.sys_s = r1.ru_stime - self.r0.ru_stime
        self.cpu_s = r1.ru_utime - self.r0.ru_utime + self.sys_s
        return False

    def fields(self):
        return {"seconds": self.seconds, "cpu_s": self.cpu_s, "sys_s": self.sys_s,
                "cpu_utilization": self.cpu_s / (self.seconds * self.threads) if self.seconds > 0 else None}


# ----------------------------------------------------------------------------------------------
# Everything below runs after torch is imported (main() imports it into these globals).

torch = nn = torchvision = T = None
DataLoader = ImageFolder = TensorDataset = None


IMPORT_SECONDS = None


def import_torch():
    global torch, nn, torchvision, T, DataLoader, ImageFolder, TensorDataset, IMPORT_SECONDS
    t0 = time.perf_counter()
    import torch as _torch
    import torch.nn as _nn
    import torchvision as _torchvision
    import torchvision.transforms as _T
    from torch.utils.data import DataLoader as _DL, TensorDataset as _TD
    from torchvision.datasets import ImageFolder as _IF
    torch, nn, torchvision, T = _torch, _nn, _torchvision, _T
    DataLoader, ImageFolder, TensorDataset = _DL, _IF, _TD
    IMPORT_SECONDS = time.perf_counter() - t0  # not in any timing; reported for whole-run comparisons


def environment(threads):
    """What a result depends on, repeated in every JSON record so each line stands alone."""
    torch_default = torch.get_num_threads()  # before we set it: Debian's build starts at 1
    torch.set_num_threads(threads)
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    onednn = None
    for line in torch.__config__.show().splitlines():
        if "MKL-DNN" in line or "oneDNN" in line:
            onednn = line.strip(" -")
    return {"threads": torch.get_num_threads(), "torch_default_threads": torch_default,
            "interop_threads": torch.get_num_interop_threads(),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
            "torch": torch.__version__, "torchvision": torchvision.__version__,
            "python": platform.python_version(), "cpu": cpu, "cores": default_threads(),
            "blas": linked_blas(), "onednn": onednn, "import_torch_s": round(IMPORT_SECONDS, 3)}


def linked_blas():
    """The BLAS library torch.mm calls, from this process's memory map (Debian picks it with
    update-alternatives: reference BLAS, OpenBLAS, BLIS or MKL can all sit behind libblas.so.3)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path).lower()
                if any(k in name for k in ("blas", "mkl_rt", "mkl_core", "blis")):
                    libs.add(os.path.realpath(path))
    except OSError:
        return None
    return ", ".join(sorted(libs)) or None


def seed_everything(seed):
    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy as np
        np.random.seed(seed % (2 ** 32))
    except ImportError:
        pass


def seeded_generator(seed):
    return torch.Generator().manual_seed(seed)


def worker_init(worker_id):
    # torch seeds each worker's torch RNG from the loader's generator; make Python's follow it.
    random.seed(torch.initial_seed() % (2 ** 32))


def read_sidecar(backbone):
    spec = {"inputSize": 224, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
    if backbone:
        path = os.path.splitext(backbone)[0] + ".json"
        if os.path.exists(path):
            with open(path) as f:
                spec.update(json.load(f))
    return spec


def split_dir(args, split):
    """OUT/train, OUT/val; or the folder itself when it has no split subfolders (train only)."""
    if not args.images:
        sys.exit("--images is required for this job")
    candidate = os.path.join(args.images, split)
    if os.path.isdir(candidate):
        return candidate
    if split == "train":
        return args.images
    return None


def eval_transform(spec):
    size = spec["inputSize"]
    return T.Compose([T.Resize(round(size * 256 / 224)), T.CenterCrop(size), T.ToTensor(),
                      T.Normalize(spec["mean"], spec["std"])])


def train_transform(spec, augment):
    size = spec["inputSize"]
    steps = [T.RandomResizedCrop(size), T.RandomHorizontalFlip()]
    if augment == "jitter":
        steps.append(T.ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2))
    return T.Compose(steps + [T.ToTensor(), T.Normalize(spec["mean"], spec["std"])])


def describe(transform):
    """The transform chain with its settings (interpolation, sizes), for the record."""
    return " + ".join(" ".join(repr(t).split()) for t in transform.transforms)


def load_backbone(args):
    """The bench backbone: eager torchvision resnet18 with the file's weights (default), or the
    TorchScript module itself. Both end in the 512-d pooled embedding."""
    if not args.backbone:
        sys.exit("--backbone FILE.pt is required for this job (make it with make_bench_backbone.py)")
    scripted = torch.jit.load(args.backbone, map_location="cpu")
    if args.model == "torchscript":
        return scripted
    model = torchvision.models.resnet18(weights=None)
    model.fc = nn.Identity()
    model.load_state_dict(scripted.state_dict())
    return model


def build_classifier(args, classes, preset):
    """Backbone + Linear head, frozen the tutorial way: requires_grad=False on what is not
    trained; the whole model still runs in train mode, so frozen BatchNorm statistics drift."""
    backbone = load_backbone(args)
    torch.manual_seed(args.seed)  # the head's initial weights
    head = nn.Linear(512, classes)
    if args.model == "eager":
        backbone.fc = head
        model = backbone
    else:
        model = nn.Sequential(backbone, head)  # head parameters are named "1.weight", "1.bias"
    for name, p in model.named_parameters():
        p.requires_grad = trainable(name, preset)
    return model


def trainable(name, preset):
    if preset == "full":
        return True
    if name.startswith("fc.") or name.startswith("1."):
        return True
    return preset == "last" and ("layer4." in name)


def make_optimizer(args, params):
    params = [p for p in params if p.requires_grad]
    if args.optimizer == "adam":
        return torch.optim.Adam(params, lr=args.lr)
    return torch.optim.SGD(params, lr=args.lr, momentum=0.9)


def loader(dataset, args, batch_size, shuffle, workers=None, drop_last=False):
    workers = args.workers if workers is None else workers
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, num_workers=workers,
                      persistent_workers=workers > 0, drop_last=drop_last,
                      generator=seeded_generator(args.seed), worker_init_fn=worker_init)


def predecode(dataset, count):
    """The first `count` samples as tensors (indices spread over the whole set, so every class is in)."""
    n = len(dataset)
    idx = [round(i * n / count) % n for i in range(count)] if count <= n else [i % n for i in range(count)]
    xs, ys = zip(*(dataset[i] for i in idx))
    return torch.stack(xs), torch.tensor(ys)


# ----------------------------------------------------------------------------------------------
# (a) embed

def job_embed(args, rep):
    spec = read_sidecar(args.backbone)
    model = load_backbone(args)
    model.eval()
    ds = ImageFolder(split_dir(args, args.split), eval_transform(spec))
    bs = args.batch_size
    log("embed: %d images, %s" % (len(ds), describe(ds.transform)))
    for mode in args.grad_modes:
        ctx = torch.inference_mode if mode == "inference_mode" else torch.no_grad
        dl = loader(ds, args, bs, shuffle=False)
        with ctx():
            it = iter(dl)
            for _ in range(min(args.warmup, len(dl))):
                model(next(it)[0])
            del it
            n, wait = 0, 0.0
            with Timed(args.threads) as tm:
                t_fetch = time.perf_counter()
                for x, _ in dl:
                    wait += time.perf_counter() - t_fetch
                    model(x)
                    n += x.shape[0]
                    t_fetch = time.perf_counter()
        rep.emit("embed", "e2e/" + mode, "images_per_s", n / tm.seconds, "images/s", batch_size=bs,
                 workers=args.workers, images=n, data_wait_s=wait, **tm.fields(),
                 transform=describe(ds.transform), model=args.model,
                 warmup="%d batches discarded, then 1 timed pass over the split" % args.warmup)

    # Compute only: the same pixels decoded once, forward timed over full batches.
    batches = max(len(ds) // bs, 3)
    x_all, _ = predecode(ds, batches * bs)
    for mode in args.grad_modes:
        ctx = torch.inference_mode if mode == "inference_mode" else torch.no_grad
        with ctx():
            for i in range(args.warmup):
                model(x_all[(i % batches) * bs:(i % batches + 1) * bs])
            with Timed(args.threads) as tm:
                for i in range(batches):
                    model(x_all[i * bs:(i + 1) * bs])
        rep.emit("embed", "compute/" + mode, "images_per_s", batches * bs / tm.seconds, "images/s", normalize=True,
                 batch_size=bs, images=batches * bs, **tm.fields(), model=args.model,
                 warmup="%d batches discarded, then %d timed batches" % (args.warmup, batches))


# ----------------------------------------------------------------------------------------------
# (b) head

def compute_embeddings(args, model, folder, spec):
    ds = ImageFolder(folder, eval_transform(spec))
    xs, ys = [], []
    with torch.inference_mode():
        for x, y in loader(ds, args, 32, shuffle=False):
            xs.append(model(x))
            ys.append(y)
    return torch.cat(xs).clone(), torch.cat(ys), ds.classes


def train_head_dataloader(args, emb, labels, classes, epochs, bs):
    """The tutorial way: TensorDataset + DataLoader(shuffle=True) + the usual step."""
    torch.manual_seed(args.seed)
    head = nn.Linear(emb.shape[1], classes)
    opt = make_optimizer(args, head.parameters())
    crit = nn.CrossEntropyLoss()
    dl = DataLoader(TensorDataset(emb, labels), batch_size=bs, shuffle=True,
                    generator=seeded_generator(args.seed))
    for _ in range(epochs):
        for x, y in dl:
            opt.zero_grad()
            crit(head(x), y).backward()
            opt.step()
    return head


def train_head_tensors(args, emb, labels, classes, epochs, bs):
    """The same training with batches sliced from a shuffled index: no per-sample collate."""
    torch.manual_seed(args.seed)
    head = nn.Linear(emb.shape[1], classes)
    opt = make_optimizer(args, head.parameters())
    crit = nn.CrossEntropyLoss()
    g = seeded_generator(args.seed)
    n = emb.shape[0]
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            opt.zero_grad()
            crit(head(emb[idx]), labels[idx]).backward()
            opt.step()
    return head


def accuracy(head, emb, labels):
    if emb is None or emb.shape[0] == 0:
        return None
    with torch.no_grad():
        return (head(emb).argmax(1) == labels).float().mean().item()


def job_head(args, rep):
    spec = read_sidecar(args.backbone)
    model = load_backbone(args)
    model.eval()
    t0 = time.perf_counter()
    emb, labels, classes = compute_embeddings(args, model, split_dir(args, "train"), spec)
    val = split_dir(args, "val")
    vemb, vlabels = (compute_embeddings(args, model, val, spec)[:2]) if val else (None, None)
    log("head: embeddings %s train, %s val in %.1f s (not timed)"
        % (tuple(emb.shape), None if vemb is None else tuple(vemb.shape), time.perf_counter() - t0))
    n = emb.shape[0]
    for variant, fn in (("dataloader", train_head_dataloader), ("tensor-slices", train_head_tensors)):
        fn(args, emb, labels, len(classes), args.warmup_epochs, args.batch_size)  # warm-up, thrown away
        with Timed(args.threads) as tm:
            head = fn(args, emb, labels, len(classes), args.epochs, args.batch_size)
        rep.emit("head", variant, "samples_per_s", n * args.epochs / tm.seconds, "samples/s",
                 batch_size=args.batch_size, epochs=args.epochs, samples=n, **tm.fields(),
                 optimizer=args.optimizer, lr=args.lr, accuracy=accuracy(head, emb, labels),
                 val_accuracy=accuracy(head, vemb, vlabels),
                 warmup="%d epoch(s) on a throwaway head, then a fresh head timed" % args.warmup_epochs)


# ----------------------------------------------------------------------------------------------
# (c) finetune

def train_step(model, opt, crit, x, y):
    opt.zero_grad()
    loss = crit(model(x), y)
    loss.backward()
    opt.step()
    return loss


def cycle(dl):
    while True:
        for batch in dl:
            yield batch


def job_finetune(args, rep):
    spec = read_sidecar(args.backbone)
    ds = ImageFolder(split_dir(args, "train"), train_transform(spec, args.augment))
    classes = len(ds.classes)
    crit = nn.CrossEntropyLoss()
    log("finetune: %d images, %s" % (len(ds), describe(ds.transform)))
    for preset in args.preset:
        for bs in args.batch_sizes:
            for mode in args.modes:
                seed_everything(args.seed)
                model = build_classifier(args, classes, preset)
                model.train()
                opt = make_optimizer(args, model.parameters())
                n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
                wait = 0.0
                if mode == "e2e":
                    batches = cycle(loader(ds, args, bs, shuffle=True, drop_last=True))
                    for _ in range(args.warmup):
                        train_step(model, opt, crit, *next(batches))
                    with Timed(args.threads) as tm:
                        for _ in range(args.steps):
                            t_fetch = time.perf_counter()
                            x, y = next(batches)
                            wait += time.perf_counter() - t_fetch
                            train_step(model, opt, crit, x, y)
                    del batches
                else:
                    # Two different pre-augmented batches, alternated: decoding is out of the loop.
                    xs, ys = predecode(ds, 2 * bs)
                    pool = [(xs[:bs], ys[:bs]), (xs[bs:], ys[bs:])]
                    for i in range(args.warmup):
                        train_step(model, opt, crit, *pool[i % 2])
                    with Timed(args.threads) as tm:
                        for i in range(args.steps):
                            train_step(model, opt, crit, *pool[i % 2])
                rep.emit("finetune", "%s/%s/bs%d" % (preset, mode, bs), "images_per_s",
                         args.steps * bs / tm.seconds, "images/s", normalize=mode == "compute",
                         preset=preset, mode=mode, batch_size=bs,
                         workers=args.workers if mode == "e2e" else None, steps=args.steps,
                         **tm.fields(), data_wait_s=wait if mode == "e2e" else None,
                         trainable_params=n_train, optimizer=args.optimizer, lr=args.lr,
                         transform=describe(ds.transform), model=args.model,
                         warmup="%d steps discarded, then %d timed steps" % (args.warmup, args.steps))


# ----------------------------------------------------------------------------------------------
# (d) pipeline

def job_pipeline(args, rep):
    spec = read_sidecar(args.backbone)
    ds = ImageFolder(split_dir(args, "train"), train_transform(spec, "jitter"))
    log("pipeline: %d images, %s" % (len(ds), describe(ds.transform)))
    for workers in args.workers_list:
        dl = loader(ds, args, args.batch_size, shuffle=True, workers=workers)
        for _ in dl:  # one untimed pass: starts the workers, warms the page cache
            pass
        n = 0
        with Timed(args.threads) as tm:
            for _ in range(args.epochs):
                for x, _ in dl:
                    n += x.shape[0]
        rep.emit("pipeline", "workers%d" % workers, "images_per_s", n / tm.seconds, "images/s",
                 batch_size=args.batch_size, workers=workers, images=n, **tm.fields(),
                 transform=describe(ds.transform),
                 warmup="1 untimed pass, then %d timed passes" % args.epochs)
        del dl


# ----------------------------------------------------------------------------------------------
# (e) whole runs

def run_epochs(args, model, opt, train_dl, val_dl, epochs, train_mode):
    """The tutorial's train_model loop: a train phase and a val phase every epoch."""
    crit = nn.CrossEntropyLoss()
    times, accs = [], []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        train_mode(model)
        for x, y in train_dl:
            train_step(model, opt, crit, x, y)
        correct = total = 0
        if val_dl is not None:
            model.eval()
            with torch.no_grad():
                for x, y in val_dl:
                    correct += (model(x).argmax(1) == y).sum().item()
                    total += y.shape[0]
        accs.append(correct / total if total else None)
        times.append(time.perf_counter() - t0)
        log("epoch %d/%d: %.1f s, val acc %s" % (epoch + 1, epochs, times[-1], accs[-1]))
    return times, accs


def job_whole_run(args, rep, kind):
    timer = Timed(args.threads).__enter__()  # the run starts here: model loading and folder scanning count
    start = timer.t0
    spec = read_sidecar(args.backbone)
    seed_everything(args.seed)
    if kind == "fe-run":
        preset = "head"
        tf = train_transform(spec, "basic") if args.transform == "augment" else eval_transform(spec)
    else:
        preset = args.preset
        tf = train_transform(spec, args.augment)
    train_ds = ImageFolder(split_dir(args, "train"), tf)
    val_folder = split_dir(args, "val")
    val_ds = ImageFolder(val_folder, eval_transform(spec)) if val_folder else None
    model = build_classifier(args, len(train_ds.classes), preset)
    opt = make_optimizer(args, model.parameters())
    train_dl = loader(train_ds, args, args.batch_size, shuffle=True)
    val_dl = loader(val_ds, args, args.batch_size, shuffle=False) if val_ds else None
    frozen_bn = kind == "fe-run" and args.frozen_bn

    def train_mode(m):
        m.train()
        if frozen_bn:  # only the head trains; keep the backbone's BatchNorm in eval mode
            for name, child in m.named_children():
                if name not in ("fc", "1"):
                    child.eval()

    setup = time.perf_counter() - start
    times, accs = run_epochs(args, model, opt, train_dl, val_dl, args.epochs, train_mode)
    timer.__exit__(None, None, None)
    wall = timer.seconds
    # Steady epochs: the first one also pays for lazy initialisation and cold caches.
    per_epoch = statistics.median(times[1:]) if len(times) > 1 else times[0]
    target = getattr(args, "target_epochs", args.epochs)
    extrapolated = args.epochs < target
    projected = setup + times[0] + (target - 1) * per_epoch if extrapolated else wall
    fields = dict(epochs=args.epochs, batch_size=args.batch_size, workers=args.workers, preset=preset,
                  setup_s=setup, seconds_per_epoch=per_epoch, first_epoch_s=times[0],
                  val_accuracy=accs[-1], best_val_accuracy=max((a for a in accs if a is not None), default=None),
                  train_images=len(train_ds), val_images=len(val_ds) if val_ds else 0,
                  optimizer=args.optimizer, lr=args.lr, transform=describe(tf), model=args.model,
                  backbone_bn="eval" if frozen_bn else "train", cpu_s=timer.cpu_s,
                  cpu_utilization=timer.fields()["cpu_utilization"],
                  warmup="none: a whole run is timed from model loading to the last val pass "
                         "(interpreter start and import torch excluded)")
    rep.emit(kind, "%s/measured" % preset, "wall_s", wall, "s", extrapolated=False, **fields)
    if extrapolated:
        rep.emit(kind, "%s/%d-epochs" % (preset, target), "wall_s", projected, "s", extrapolated=True,
                 target_epochs=target, **{k: v for k, v in fields.items() if k != "val_accuracy"})


# ----------------------------------------------------------------------------------------------
# peak

def best_time(fn, repeats):
    fn()  # warm-up: oneDNN builds its kernels on first use
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def count_flops(model, size, classes=None):
    """Multiply-adds of every Conv2d and Linear, times 2, by forward hooks (batch 2, per image).
    With trainable parts, also the backward FLOPs: a layer costs one more pass for its weight
    gradient when its weight is trained, and one more for its input gradient when anything
    before it is trained (autograd skips both otherwise)."""
    fwd = [0]
    bwd = [0]

    def hook(m, inputs, output):
        if isinstance(m, nn.Conv2d):
            macs = output.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        else:
            macs = output.numel() * m.in_features
        fwd[0] += 2 * macs
        if m.weight.requires_grad:
            bwd[0] += 2 * macs
        if inputs[0].requires_grad:
            bwd[0] += 2 * macs

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model(torch.randn(2, 3, size, size))
    for h in handles:
        h.remove()
    return fwd[0] / 2, bwd[0] / 2


def job_peak(args, rep):
    spec = read_sidecar(args.backbone)
    size = spec["inputSize"]
    bs = args.batch_size
    torch.manual_seed(args.seed)

    # GEMM through torch.mm: whatever BLAS torch is linked to.
    mm_best = 0.0
    for n in args.gemm_sizes:
        a, b = torch.randn(n, n), torch.randn(n, n)
        probe = best_time(lambda: torch.mm(a[:256, :256], b[:256, :256]), 1)
        if probe * (n / 256) ** 3 > 20:  # a slow (reference) BLAS: skip sizes that take minutes
            log("peak: torch.mm %d skipped (would take ~%.0f s)" % (n, probe * (n / 256) ** 3))
            continue
        t = best_time(lambda: torch.mm(a, b), args.repeats)
        flops = 2 * n ** 3 / t
        mm_best = max(mm_best, flops)
        rep.emit("peak", "gemm/torch.mm/%d" % n, "flops_per_s", flops, "FLOP/s", size=n,
                 seconds=t, repeats=args.repeats, note="fp32 square matmul, best of repeats")

    # GEMM through oneDNN, the library ResNet's convolutions run on (mkldnn tensors -> linear).
    dnn_best = 0.0
    if torch.backends.mkldnn.is_available():
        for n in args.gemm_sizes:
            a = torch.randn(n, n).to_mkldnn()
            w = torch.randn(n, n)
            t = best_time(lambda: torch._C._nn.mkldnn_linear(a, w, None), args.repeats)
            flops = 2 * n ** 3 / t
            dnn_best = max(dnn_best, flops)
            rep.emit("peak", "gemm/onednn/%d" % n, "flops_per_s", flops, "FLOP/s", size=n,
                     seconds=t, repeats=args.repeats, note="fp32 matmul via mkldnn_linear, best of repeats")

    # 3x3 convolutions as ResNet-18 has them at 224 px (the 56, 28, 14 and 7 px stages), batch bs.
    conv_best = 0.0
    scale = size / 224
    with torch.inference_mode():
        for channels, hw in ((64, 56), (128, 28), (256, 14), (512, 7)):
            hw = max(1, round(hw * scale))
            conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False).eval()
            x = torch.randn(bs, channels, hw, hw)
            t = best_time(lambda: conv(x), args.repeats)
            flops = 2 * bs * channels * channels * 9 * hw * hw / t
            conv_best = max(conv_best, flops)
            rep.emit("peak", "conv3x3/%dch/%dpx" % (channels, hw), "flops_per_s", flops, "FLOP/s",
                     batch_size=bs, seconds=t, repeats=args.repeats,
                     note="fp32 Conv2d forward (oneDNN), best of repeats")

    # The model's FLOPs, counted (not assumed).
    model = load_backbone(args) if args.backbone else resnet18_embedding()
    model.eval()
    with torch.no_grad():
        fwd, _ = count_flops(model, size)
    rep.emit("peak", "resnet18/forward_flops_per_image", "flops", fwd, "FLOP",
             note="sum of Conv2d+Linear multiply-adds x2 by hooks at %d px" % size, input_size=size)
    peak = max(mm_best, dnn_best, conv_best)
    rep.emit("peak", "measured_peak", "flops_per_s", peak, "FLOP/s",
             gemm_torch_mm=mm_best, gemm_onednn=dnn_best, conv3x3=conv_best,
             note="best of all GEMM and conv measurements above")
    rep.emit("peak", "limit/forward", "images_per_s", peak / fwd, "images/s",
             note="measured peak FLOP/s / forward FLOPs per image")

    # Training FLOPs per image for each preset, and what the peak allows.
    for preset in PRESETS:
        clf = resnet18_embedding()
        clf.fc = nn.Linear(512, args.classes)
        for name, p in clf.named_parameters():
            p.requires_grad = trainable(name, preset)
        clf.train()
        f, b = count_flops(clf, size)
        rep.emit("peak", "limit/train-%s" % preset, "images_per_s", peak / (f + b), "images/s",
                 preset=preset, train_flops_per_image=f + b, forward_flops_per_image=f,
                 note="forward + weight-gradient + input-gradient FLOPs for what this preset trains")

    # What the embedding pass actually reaches (compute only: pre-made tensors, forward only).
    x = torch.randn(bs, 3, size, size)
    with torch.inference_mode():
        for _ in range(2):
            model(x)
        runs = 5
        with Timed(args.threads) as tm:
            for _ in range(runs):
                model(x)
    ips = runs * bs / tm.seconds
    rep.emit("peak", "achieved/embed-compute", "images_per_s", ips, "images/s", normalize=True, batch_size=bs,
             fraction_of_peak=ips * fwd / peak, achieved_flops_per_s=ips * fwd,
             fraction_of_conv_peak=ips * fwd / conv_best if conv_best else None, model=args.model,
             **tm.fields(),
             warmup="2 batches discarded, %d timed" % runs)


def resnet18_embedding():
    m = torchvision.models.resnet18(weights=None)
    m.fc = nn.Identity()
    return m


# ----------------------------------------------------------------------------------------------
# all

def job_all(parser, argv, args):
    """Runs every job with its own defaults (or small sizes with --quick), sharing common options."""
    common = strip_all_options(argv)
    quick = {
        "peak": ["--gemm-sizes", "256,512", "--repeats", "2"],
        "embed": ["--warmup", "1"],
        "head": ["--epochs", "5"],
        "pipeline": ["--epochs", "1", "--workers-list", "0,2"],
        "finetune": ["--steps", "2", "--warmup", "1", "--batch-sizes", "16"],
        "fe-run": [], "ft-run": [],
    }
    fe_epochs = args.fe_epochs if args.fe_epochs is not None else (2 if args.quick else 50)
    ft_epochs = args.ft_epochs if args.ft_epochs is not None else (1 if args.quick else 5)
    worst = 0
    for job in JOBS:
        extra = quick[job] if args.quick else []
        if job == "fe-run":
            extra = extra + ["--epochs", str(fe_epochs)]
        if job == "ft-run":
            extra = extra + ["--epochs", str(ft_epochs)]
        log("== %s ==" % job)
        sub_args = parser.parse_args([job] + common + extra)
        worst = worst or run_job(sub_args, parser, [job] + common + extra)
    return worst


def strip_all_options(argv):
    out, skip = [], False
    for a in argv[1:]:
        if skip:
            skip = False
            continue
        if a in ("--fe-epochs", "--ft-epochs"):
            skip = True
            continue
        if a == "--quick" or a.startswith("--fe-epochs=") or a.startswith("--ft-epochs="):
            continue
        out.append(a)
    return out


RUNNERS = {"embed": job_embed, "head": job_head, "finetune": job_finetune, "pipeline": job_pipeline,
           "fe-run": lambda a, r: job_whole_run(a, r, "fe-run"),
           "ft-run": lambda a, r: job_whole_run(a, r, "ft-run"), "peak": job_peak}

REPORTER = None


def run_job(args, parser, argv):
    global REPORTER
    if torch is None:
        import_torch()
    if REPORTER is None:
        REPORTER = Reporter(args.json, environment(args.threads))
        log("torch %s, %d threads (torch's own default here: %d), OMP_WAIT_POLICY=%s, BLAS %s"
            % (torch.__version__, torch.get_num_threads(), REPORTER.env["torch_default_threads"],
               REPORTER.env["omp_wait_policy"], REPORTER.env["blas"]))
    if args.job == "all":
        return job_all(parser, argv, args)
    seed_everything(args.seed)
    RUNNERS[args.job](args, REPORTER)
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    rc = ensure_wait_policy(argv, args)
    if rc is not None:
        return rc
    return run_job(args, parser, argv)


if __name__ == "__main__":
    sys.exit(main())
