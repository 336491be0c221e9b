package dev.thaw.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The tiny backbones src/test/python/make_test_models.py wrote, copied where a test may change things next to them. */
public final class TestModels {

    public static final Path DIR = Path.of("src/test/resources/models");
    public static final Path TINY_PT = DIR.resolve("tiny-resnet.pt");
    /** The same weights with an exported {@code batch_norm_statistics()} method (and its own sidecar). */
    public static final Path TINY_BN_PT = DIR.resolve("tiny-resnet-bn.pt");
    public static final Path TINY_ONNX = DIR.resolve("tiny-resnet.onnx");
    public static final Path TINY_ONNX_BATCH1 = DIR.resolve("tiny-resnet-b1.onnx");
    public static final Path TINY_SIDECAR = DIR.resolve("tiny-resnet.json");
    public static final Path EXPECTED = DIR.resolve("tiny-resnet.expected.json");

    private TestModels() {
    }

    /** Copies {@code file} into {@code dir} under {@code name}. */
    public static Path copy(Path file, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            return Files.copy(file, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
