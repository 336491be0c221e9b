package dev.thaw.core.backbone;

import dev.thaw.core.backbone.arch.ResNetBackbone;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Thaw's own backbone architectures, built from DJL blocks. {@code arch:NAME} gives one with random
 * weights (the scratch baseline); {@code thaw pretrain --arch NAME} trains one on a labeled folder.
 */
public final class Architectures {

    /** The small ResNet of the bundled sample backbone: 64 px input, 4 stages, 128 features, ~0.3 M parameters. */
    public static final String MINI_RESNET = "mini-resnet";
    /** ResNet-18's layout (224 px, 4 stages of 2 blocks, 512 features, ~11 M parameters). */
    public static final String RESNET18 = "resnet18";

    /**
     * One architecture.
     *
     * @param name the {@code arch:} name
     * @param description one line for listings
     * @param inputSize the input size it was designed for
     * @param mean default normalization mean
     * @param std default normalization std
     * @param factory makes a new, uninitialized block
     */
    public record Spec(String name, String description, int inputSize, float[] mean, float[] std,
            Supplier<ResNetBackbone> factory) {
    }

    private static final float[] HALF = {0.5f, 0.5f, 0.5f};
    private static final float[] QUARTER = {0.25f, 0.25f, 0.25f};

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        add(new Spec(MINI_RESNET, "small ResNet for 64 px images: 3x3 stem, stages of 16/32/64/128 channels", 64, HALF,
                QUARTER, () -> new ResNetBackbone(16, 3, 1, false, new int[] {16, 32, 64, 128}, new int[] {1, 1, 1, 1}, 2)));
        add(new Spec(RESNET18, "ResNet-18 layout for 224 px images (random weights; DJL builds it, torchvision weights do not fit)",
                224, BackboneMetadata.IMAGENET_MEAN, BackboneMetadata.IMAGENET_STD,
                () -> new ResNetBackbone(64, 7, 2, true, new int[] {64, 128, 256, 512}, new int[] {2, 2, 2, 2}, 1)));
    }

    private Architectures() {
    }

    private static void add(Spec s) {
        SPECS.put(s.name(), s);
    }

    public static List<String> names() {
        return List.copyOf(SPECS.keySet());
    }

    /** The architecture called {@code name}; the message lists the known names when there is none. */
    public static Spec get(String name) {
        Spec s = SPECS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("Unknown architecture '" + name + "'; known: " + String.join(", ", names()));
        }
        return s;
    }
}
