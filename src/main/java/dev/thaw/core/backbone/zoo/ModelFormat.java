package dev.thaw.core.backbone.zoo;

import com.google.gson.annotations.SerializedName;

/** The form a backbone file comes in, and the extension its installed file gets. */
public enum ModelFormat {
    /** A TorchScript module, loaded by the PyTorch engine; can train. */
    @SerializedName("torchscript")
    TORCHSCRIPT(".pt"),
    /** An ONNX graph, loaded by ONNX Runtime; inference only, faster forward passes. */
    @SerializedName("onnx")
    ONNX(".onnx");

    private final String extension;

    ModelFormat(String extension) {
        this.extension = extension;
    }

    /** The extension with its dot: {@code .pt}, {@code .onnx}. */
    public String extension() {
        return extension;
    }

    /** The short name users see ("torchscript", "onnx"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
