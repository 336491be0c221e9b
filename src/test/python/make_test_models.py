#!/usr/bin/env python3
"""Writes the tiny backbones Thaw's tests load: TorchScript and ONNX files plus their sidecars.

Run with Debian's PyTorch (apt install python3-torch python3-torchvision):

    /usr/bin/python3 src/test/python/make_test_models.py src/test/resources/models

The weights are random but seeded, so the files are reproducible on one PyTorch build. The
`.expected.json` files record what PyTorch itself computes for a fixed input, so the Java tests can
check that libtorch (via DJL) and ONNX Runtime give the same numbers as the framework that wrote
the file.
"""
import json
import os
import sys
from typing import List

import torch
import torch.nn as nn

INPUT_SIZE = 32
MEAN = [0.5, 0.5, 0.5]
STD = [0.25, 0.25, 0.25]


class BasicBlock(nn.Module):
    """torchvision's ResNet BasicBlock, so parameter names look like a real ResNet's."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class TinyResNet(nn.Module):
    """A ResNet with torchvision's naming (conv1, bn1, layer1..layer3) and no classifier:
    forward returns the pooled feature vector, as a backbone exported for transfer learning does."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Sequential(BasicBlock(8, 8))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, 2))
        self.layer3 = nn.Sequential(BasicBlock(16, 32, 2))
        self.avgpool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return torch.flatten(self.avgpool(x), 1)


class TinyResNetWithStatistics(TinyResNet):
    """The same network with one exported method. DJL cannot read a TorchScript module's buffers,
    so the freezing tests ask the module itself for its BatchNorm running statistics."""

    @torch.jit.export
    def batch_norm_statistics(self) -> List[torch.Tensor]:
        # Listed one by one: TorchScript cannot iterate over modules of different types.
        return [self.bn1.running_mean, self.bn1.running_var,
                self.layer1[0].bn1.running_mean, self.layer1[0].bn1.running_var,
                self.layer1[0].bn2.running_mean, self.layer1[0].bn2.running_var,
                self.layer2[0].bn1.running_mean, self.layer2[0].bn1.running_var,
                self.layer2[0].bn2.running_mean, self.layer2[0].bn2.running_var,
                self.layer2[0].downsample[1].running_mean, self.layer2[0].downsample[1].running_var,
                self.layer3[0].bn1.running_mean, self.layer3[0].bn1.running_var,
                self.layer3[0].bn2.running_mean, self.layer3[0].bn2.running_var,
                self.layer3[0].downsample[1].running_mean, self.layer3[0].downsample[1].running_var]


BATCH_NORMS = ["bn1", "layer1.0.bn1", "layer1.0.bn2", "layer2.0.bn1", "layer2.0.bn2", "layer2.0.downsample.1",
               "layer3.0.bn1", "layer3.0.bn2", "layer3.0.downsample.1"]


def fixed_input():
    """A deterministic input both sides can build: values in [0, 1) from the element index."""
    n = 2 * 3 * INPUT_SIZE * INPUT_SIZE
    return (torch.arange(n, dtype=torch.float32).reshape(2, 3, INPUT_SIZE, INPUT_SIZE) % 97) / 97.0


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(20261124)
    model = TinyResNet()
    # Give BatchNorm non-trivial running statistics, as a pretrained model has.
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(8, 3, INPUT_SIZE, INPUT_SIZE))
    model.eval()

    x = fixed_input()
    with torch.no_grad():
        y = model(x)
    # Gradients of sum(features) in training mode from fresh weights, to check libtorch's backward.
    trained = TinyResNet()
    trained.load_state_dict(model.state_dict())
    trained.train()
    trained(x).sum().backward()
    grad_sums = {k: round(float(p.grad.sum()), 5) for k, p in trained.named_parameters()}

    name = "tiny-resnet"
    scripted = torch.jit.script(model)
    scripted.save(os.path.join(out_dir, name + ".pt"))
    # The same weights with batch_norm_statistics(), for the freezing tests (own sidecar).
    with_stats = TinyResNetWithStatistics()
    with_stats.load_state_dict(model.state_dict())
    with_stats.eval()
    torch.jit.script(with_stats).save(os.path.join(out_dir, name + "-bn.pt"))
    torch.onnx.export(model, torch.rand(1, 3, INPUT_SIZE, INPUT_SIZE), os.path.join(out_dir, name + ".onnx"),
                      input_names=["input"], output_names=["features"],
                      dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}}, opset_version=13)
    # The same graph with its batch size fixed at 1, as torch.onnx.export writes without dynamic_axes.
    torch.onnx.export(model, torch.rand(1, 3, INPUT_SIZE, INPUT_SIZE), os.path.join(out_dir, name + "-b1.onnx"),
                      input_names=["input"], output_names=["features"], opset_version=13)
    # Another model of the same shape with other weights: an ONNX "sibling" that must be rejected
    # because its features differ from the TorchScript ones.
    torch.manual_seed(7)
    other = TinyResNet().eval()
    torch.onnx.export(other, torch.rand(1, 3, INPUT_SIZE, INPUT_SIZE), os.path.join(out_dir, "tiny-resnet-other.onnx"),
                      input_names=["input"], output_names=["features"],
                      dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}}, opset_version=13)
    sidecar = {"name": "Tiny ResNet (test)", "inputSize": INPUT_SIZE, "mean": MEAN, "std": STD,
               "featureDim": int(y.shape[1])}
    # One sidecar serves both files: a sidecar is "<file name without extension>.json".
    for sidecar_name in (name, name + "-bn"):
        with open(os.path.join(out_dir, sidecar_name + ".json"), "w") as f:
            json.dump(sidecar, f, indent=2)
            f.write("\n")
    # What PyTorch itself counts per module, for the layer-tree tests.
    modules = {}
    for mod_name, module in model.named_modules():
        if mod_name:
            modules[mod_name] = sum(p.numel() for p in module.parameters())
    expected = {"input": "((arange(2*3*S*S) %% 97) / 97) reshaped to [2,3,S,S], S=%d" % INPUT_SIZE,
                "shape": list(y.shape), "output": [round(float(v), 7) for v in y.flatten()],
                "parameters": sum(p.numel() for p in model.parameters()), "moduleParameters": modules,
                "batchNorms": BATCH_NORMS, "trainingGradientSums": grad_sums, "torch": torch.__version__}
    with open(os.path.join(out_dir, name + ".expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("wrote", name, "to", out_dir, "features", tuple(y.shape))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/models")
