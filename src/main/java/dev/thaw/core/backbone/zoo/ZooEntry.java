package dev.thaw.core.backbone.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A backbone the zoo can download, with everything the GUI shows about it before it is fetched.
 *
 * @param name the id users type ({@code thaw zoo download resnet18-embedding}); lower case, safe as a folder name
 * @param title a display name; it becomes the sidecar's {@code name}
 * @param description one or two sentences
 * @param output what the backbone returns: {@code "embedding"} (classifier removed) or {@code "logits"}
 *     (the ImageNet classifier is still on; its 1000 outputs are the features)
 * @param inputSize the square input side the backbone expects, in pixels
 * @param resize the side images are resized to before the center crop, or 0 when not stated
 * @param mean per-channel mean for normalization (RGB, on [0,1] pixels)
 * @param std per-channel standard deviation for normalization
 * @param featureDim the size of one output vector
 * @param license the license as the publisher declares it
 * @param licenseUrl the license text
 * @param website the publisher's page for the model
 * @param source where this entry's facts come from
 * @param onnxNote why there is or is not an ONNX form (shown when there is none)
 * @param files the published files: at most one per format
 */
public record ZooEntry(String name, String title, String description, String output, int inputSize, int resize,
        double[] mean, double[] std, int featureDim, String license, String licenseUrl, String website, String source,
        String onnxNote, List<ZooFile> files) {

    public ZooEntry {
        Objects.requireNonNull(name, "name");
        title = title == null ? name : title;
        description = description == null ? "" : description;
        output = output == null ? "embedding" : output;
        files = List.copyOf(files == null ? List.of() : files);
        mean = mean == null ? null : mean.clone();
        std = std == null ? null : std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** The published file of {@code format}, if there is one. */
    public Optional<ZooFile> file(ModelFormat format) {
        return files.stream().filter(f -> f.format() == format).findFirst();
    }

    public boolean hasTorchScript() {
        return file(ModelFormat.TORCHSCRIPT).isPresent();
    }

    public boolean hasOnnx() {
        return file(ModelFormat.ONNX).isPresent();
    }

    /** The formats on offer, TorchScript first. */
    public List<ModelFormat> formats() {
        List<ModelFormat> list = new ArrayList<>();
        for (ModelFormat f : ModelFormat.values()) {
            if (file(f).isPresent()) {
                list.add(f);
            }
        }
        return list;
    }

    /** The format {@link ModelZoo#fetch} returns: TorchScript when there is one, else ONNX. */
    public ModelFormat primaryFormat() {
        return hasTorchScript() ? ModelFormat.TORCHSCRIPT : ModelFormat.ONNX;
    }

    /** Bytes to download for every file, or -1 when a size is not published. */
    public long downloadSize() {
        long total = 0;
        for (ZooFile f : files) {
            if (f.size() < 0) {
                return -1;
            }
            total += f.size();
        }
        return total;
    }

    /** True when the backbone's output still is the ImageNet classifier's logits. */
    public boolean classifierIncluded() {
        return "logits".equals(output);
    }
}
