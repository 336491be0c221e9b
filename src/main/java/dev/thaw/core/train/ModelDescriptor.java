package dev.thaw.core.train;

import java.util.List;

/**
 * {@code model.json} in a run's {@code model/} folder (and in each checkpoint): what is needed to
 * load the trained model back and feed it.
 *
 * @param format {@value #FORMAT}
 * @param classes class names; the head's output {@code i} is {@code classes[i]} (also in {@code labels.txt})
 * @param backboneSource the backbone source the run used
 * @param backboneFormat {@code DJL}, {@code TORCHSCRIPT} or {@code ONNX}
 * @param backboneArchitecture the Thaw architecture of a DJL backbone, else {@code null}
 * @param backboneWeights the trained backbone's file in this folder ({@code backbone.params},
 *     {@code backbone.pt}), or {@code null} when the backbone did not train and
 *     {@code backboneFile} is used as it is
 * @param backboneFile the original backbone file, or {@code null} for a random architecture
 * @param backboneSha256 SHA-256 of {@code backboneFile}, to detect it changed
 * @param inputSize input size in pixels
 * @param mean normalization mean (R, G, B)
 * @param std normalization std (R, G, B)
 * @param featureDim features the backbone returns
 * @param head the head's weights file ({@code head.params}, a DJL Linear block)
 * @param epoch the epoch these weights come from
 * @param valAccuracy validation accuracy of these weights
 */
public record ModelDescriptor(String format, List<String> classes, String backboneSource, String backboneFormat,
        String backboneArchitecture, String backboneWeights, String backboneFile, String backboneSha256, int inputSize,
        float[] mean, float[] std, int featureDim, String head, int epoch, double valAccuracy) {

    public static final String FORMAT = "thaw-model/1";
    public static final String FILE = "model.json";
    public static final String LABELS = "labels.txt";
    public static final String HEAD = "head.params";
}
