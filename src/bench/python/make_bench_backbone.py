#!/usr/bin/env python3
"""Writes the ResNet-18 benchmark backbone that both Thaw and the PyTorch reference load.

    /usr/bin/python3 src/bench/python/make_bench_backbone.py OUT_DIR [--seed 18]

Writes into OUT_DIR (a bench work folder; these ~45 MB files are never committed):

    resnet18-bench.pt             TorchScript (torch.jit.script), forward(x[N,3,224,224]) -> [N,512]
    resnet18-bench.onnx           the same weights as ONNX, opset 13, dynamic batch axis
    resnet18-bench.json           sidecar: name, inputSize, mean, std, featureDim (Thaw's five keys)
    resnet18-bench.expected.json  what PyTorch computes for a fixed input, plus provenance

The model is torchvision's resnet18 with `fc` replaced by Identity, so forward returns the 512-d
pooled embedding, as a backbone exported for transfer learning does. No weights can be downloaded
here, so the weights are random but seeded (torchvision's own initialisation). Accuracy numbers on
the synthetic bench images therefore compare the two implementations with each other; they say
nothing about ImageNet transfer. Speed does not depend on the weight values.

The file is scripted rather than traced: a scripted module keeps its train/eval switch (BatchNorm
behaves differently in training), which libtorch needs to fine-tune it from Java. Files written by
PyTorch 1.13 load in libtorch 2.7.1 (see shared docs/stack.md).
"""
import argparse
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision

NAME = "resnet18-bench"
INPUT_SIZE = 224
# ImageNet statistics, as torchvision's pretrained ResNets use: the bench images are normalised the
# way a user's real photos would be for a real pretrained backbone.
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def smooth_noise_batch(generator, n, size):
    """Natural-looking random images (low-frequency colour blobs plus fine grain), already
    normalised with MEAN/STD. Used only to give BatchNorm realistic running statistics."""
    coarse = torch.rand(n, 3, size // 16, size // 16, generator=generator)
    img = nn.functional.interpolate(coarse, size=(size, size), mode="bicubic", align_corners=False)
    img = (img + 0.08 * torch.randn(n, 3, size, size, generator=generator)).clamp(0, 1)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (img - mean) / std


def build(seed):
    """torchvision resnet18 with seeded weights, fc removed, BatchNorm statistics calibrated."""
    torch.manual_seed(seed)
    model = torchvision.models.resnet18(weights=None)
    model.fc = nn.Identity()
    # Freshly initialised BatchNorm has running mean 0 / var 1, which in eval mode lets activations
    # grow block after block. A pretrained model has statistics that match its inputs; give ours the
    # same by running a few seeded noise batches in training mode (cumulative average, momentum None).
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    generator = torch.Generator().manual_seed(seed + 1)
    model.train()
    with torch.no_grad():
        for _ in range(4):
            model(smooth_noise_batch(generator, 16, INPUT_SIZE))
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.1  # torchvision's default, so fine-tuning behaves as usual
    model.eval()
    return model


def fixed_input():
    """A deterministic input the Java side can rebuild: ((arange(n) % 251) / 251 - 0.5) * 4."""
    n = 2 * 3 * INPUT_SIZE * INPUT_SIZE
    x = (torch.arange(n, dtype=torch.float32) % 251) / 251.0
    return ((x - 0.5) * 4.0).reshape(2, 3, INPUT_SIZE, INPUT_SIZE)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", help="bench work folder to write into (created if missing)")
    parser.add_argument("--seed", type=int, default=18, help="weight seed (default 18)")
    args = parser.parse_args(argv)

    os.makedirs(args.out_dir, exist_ok=True)
    model = build(args.seed)
    x = fixed_input()
    with torch.no_grad():
        y = model(x)

    pt_path = os.path.join(args.out_dir, NAME + ".pt")
    scripted = torch.jit.script(model)
    scripted.save(pt_path)

    # Check what was written: it loads, matches eager, and can train (a backward pass reaches conv1).
    loaded = torch.jit.load(pt_path)
    loaded.eval()
    with torch.no_grad():
        diff = (loaded(x) - y).abs().max().item()
    if diff > 1e-4:
        sys.exit("scripted model differs from eager by %g" % diff)
    loaded.train()
    loaded(torch.randn(2, 3, INPUT_SIZE, INPUT_SIZE)).sum().backward()
    if loaded.conv1.weight.grad is None:
        sys.exit("scripted model does not propagate gradients")

    onnx_path = os.path.join(args.out_dir, NAME + ".onnx")
    torch.onnx.export(model, torch.rand(1, 3, INPUT_SIZE, INPUT_SIZE), onnx_path,
                      input_names=["input"], output_names=["features"],
                      dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}},
                      opset_version=13, do_constant_folding=True)

    sidecar = {"name": "ResNet-18 (bench, random seeded weights)", "inputSize": INPUT_SIZE,
               "mean": MEAN, "std": STD, "featureDim": int(y.shape[1])}
    # One sidecar serves both files: a sidecar is "<file name without extension>.json".
    with open(os.path.join(args.out_dir, NAME + ".json"), "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    expected = {"input": "((arange(2*3*S*S) %% 251) / 251 - 0.5) * 4 reshaped to [2,3,S,S], S=%d" % INPUT_SIZE,
                "shape": list(y.shape),
                "first16": [[round(float(v), 6) for v in row[:16]] for row in y],
                "sum": [round(float(v), 4) for v in y.sum(dim=1)],
                "seed": args.seed, "torch": torch.__version__, "torchvision": torchvision.__version__}
    with open(os.path.join(args.out_dir, NAME + ".expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    write_conv_peak_models(args.out_dir)
    sizes = {p: os.path.getsize(os.path.join(args.out_dir, NAME + p)) for p in (".pt", ".onnx")}
    print("wrote %s.{pt,onnx,json,expected.json} to %s (features %s, pt %.1f MB, onnx %.1f MB)"
          % (NAME, args.out_dir, tuple(y.shape), sizes[".pt"] / 1e6, sizes[".onnx"] / 1e6))


# ResNet-18's 3x3 stride-1 convolutions, one shape per stage: (channels, pixels). `thaw bench` times them
# in ONNX Runtime (the engine of Thaw's embedding pass) for the peak FLOP/s of that engine's kernels. Each
# file chains PEAK_DEPTH of them, so copying the input in and the output out is a small part of a call.
PEAK_CONVS = [(64, 56), (128, 28), (256, 14), (512, 7)]
PEAK_DEPTH = 8


def conv_peak_name(channels, pixels):
    return "conv3x3x%d-%dch-%dpx.onnx" % (PEAK_DEPTH, channels, pixels)


def write_conv_peak_models(out_dir):
    torch.manual_seed(0)
    for c, hw in PEAK_CONVS:
        conv = nn.Sequential(*[nn.Conv2d(c, c, 3, padding=1, bias=True) for _ in range(PEAK_DEPTH)]).eval()
        torch.onnx.export(conv, torch.rand(1, c, hw, hw), os.path.join(out_dir, conv_peak_name(c, hw)),
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13)


if __name__ == "__main__":
    main()
