package dev.thaw.core.backbone;

/** The file format, and so the engine, a backbone runs in. */
public enum BackboneFormat {
    /** A Thaw architecture built with DJL blocks (random weights, or {@code .params} from {@code thaw pretrain}). */
    DJL("DJL blocks"),
    /** A TorchScript module ({@code .pt}) run by libtorch; trainable. */
    TORCHSCRIPT("TorchScript"),
    /** An ONNX graph run by ONNX Runtime; a frozen feature extractor only. */
    ONNX("ONNX");

    private final String label;

    BackboneFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
