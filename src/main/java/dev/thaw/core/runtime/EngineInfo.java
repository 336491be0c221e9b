package dev.thaw.core.runtime;

import java.nio.file.Path;

/**
 * What the engine start-up found: versions, devices and where natives live.
 *
 * @param pytorchVersion libtorch version, e.g. {@code 2.7.1}
 * @param onnxRuntimeVersion ONNX Runtime version, or {@code null} if it failed to load
 * @param onnxRuntimeError why ONNX Runtime is unavailable, or {@code null}
 * @param gpuCount GPUs libtorch can use (0 on a CPU-only build or machine)
 * @param cacheDir the DJL native cache folder
 * @param ompWaitPolicy the OpenMP wait policy native code sees
 * @param startMillis wall time the start-up took
 */
public record EngineInfo(String pytorchVersion, String onnxRuntimeVersion, String onnxRuntimeError, int gpuCount,
        Path cacheDir, String ompWaitPolicy, long startMillis) {

    /** True when frozen forward passes can use ONNX Runtime. */
    public boolean hasOnnxRuntime() {
        return onnxRuntimeVersion != null;
    }

    /** One line for a status bar: "PyTorch 2.7.1 (CPU) · ONNX Runtime 1.22.0". */
    public String summary() {
        String device = gpuCount > 0 ? gpuCount + " GPU" + (gpuCount > 1 ? "s" : "") : "CPU";
        String ort = hasOnnxRuntime() ? " · ONNX Runtime " + onnxRuntimeVersion : " · ONNX Runtime unavailable";
        return "PyTorch " + pytorchVersion + " (" + device + ")" + ort;
    }
}
