package dev.thaw.core.backbone.zoo;

/**
 * The {@code <base name>.json} next to a backbone file: the same five keys users write for their
 * own TorchScript or ONNX files.
 */
record Sidecar(String name, int inputSize, double[] mean, double[] std, int featureDim) {

    static Sidecar of(ZooEntry entry) {
        return new Sidecar(entry.title(), entry.inputSize(), entry.mean(), entry.std(), entry.featureDim());
    }
}
