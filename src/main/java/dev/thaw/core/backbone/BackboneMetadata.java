package dev.thaw.core.backbone;

import dev.thaw.core.data.ImageTransform;
import java.nio.file.Path;
import java.util.List;

/**
 * What Thaw knows about a backbone: how to feed it, what it returns and whether it can train.
 *
 * @param name a display name ("ResNet-18", "mini-resnet (pretrained on shapes-source)")
 * @param source the source text it was loaded from ({@code sample}, {@code arch:NAME}, a path …)
 * @param format the engine format
 * @param file the weights file, or {@code null} for a randomly initialized architecture
 * @param onnxFile an ONNX form of the same weights (the file itself for an ONNX backbone, a
 *     same-named {@code .onnx} sibling of a {@code .pt}), or {@code null}
 * @param architecture Thaw's architecture name for {@link BackboneFormat#DJL} backbones, else {@code null}
 * @param inputSize square input size in pixels
 * @param mean per-channel mean (R, G, B) of the normalization
 * @param std per-channel std (R, G, B) of the normalization
 * @param featureDim length of the feature vector the backbone returns per image
 * @param lockReason why this backbone cannot train, or {@code null} if it can
 * @param assumptions what was assumed or inferred rather than read from the file, its sidecar or a
 *     flag, in words (shown by the CLI and the GUI so nothing is silently guessed)
 */
public record BackboneMetadata(String name, String source, BackboneFormat format, Path file, Path onnxFile,
        String architecture, int inputSize, float[] mean, float[] std, int featureDim, String lockReason,
        List<String> assumptions) {

    /** ImageNet's normalization, the usual one for torchvision backbones. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public BackboneMetadata {
        mean = mean.clone();
        std = std.clone();
        assumptions = List.copyOf(assumptions);
    }

    /** True if the backbone's weights can be trained (fine-tuning, scratch). */
    public boolean trainable() {
        return lockReason == null;
    }

    /** How images become this backbone's input. */
    public ImageTransform transform() {
        return new ImageTransform(inputSize, mean, std);
    }

    public BackboneMetadata withFeatureDim(int dim, List<String> newAssumptions) {
        return new BackboneMetadata(name, source, format, file, onnxFile, architecture, inputSize, mean, std, dim, lockReason,
                newAssumptions);
    }
}
