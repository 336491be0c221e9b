package dev.thaw.core.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading each kind of backbone and working out its metadata, on the real engines. */
class BackboneLoaderTest {

    private static final AppHome HOME = AppHome.resolve();

    @TempDir
    Path dir;

    private final BackboneLoader loader = new BackboneLoader(HOME);

    private Backbone load(String source, MetadataOverrides o) {
        return loader.load(BackboneSource.parse(source), o, JobMonitor.NONE);
    }

    @Test
    void torchScriptMetadataComesFromItsSidecar() {
        try (Backbone b = load(TestModels.TINY_PT.toString(), MetadataOverrides.NONE)) {
            BackboneMetadata m = b.metadata();
            assertThat(m.format()).isEqualTo(BackboneFormat.TORCHSCRIPT);
            assertThat(m.name()).isEqualTo("Tiny ResNet (test)");
            assertThat(m.inputSize()).isEqualTo(32);
            assertThat(m.mean()).containsExactly(0.5f, 0.5f, 0.5f);
            assertThat(m.std()).containsExactly(0.25f, 0.25f, 0.25f);
            assertThat(m.featureDim()).isEqualTo(32);
            assertThat(m.trainable()).isTrue();
            assertThat(m.onnxFile()).isEqualTo(TestModels.TINY_ONNX);
            assertThat(m.assumptions()).isEmpty();
            assertThat(b.trainable()).isPresent();
        }
    }

    @Test
    void flagsOverrideTheSidecar() {
        try (Backbone b = load(TestModels.TINY_PT.toString(), new MetadataOverrides(48, new float[] {0.4f, 0.4f, 0.4f}, null))) {
            assertThat(b.metadata().inputSize()).isEqualTo(48);
            assertThat(b.metadata().mean()).containsExactly(0.4f, 0.4f, 0.4f);
            assertThat(b.metadata().std()).containsExactly(0.25f, 0.25f, 0.25f);
            assertThat(b.metadata().featureDim()).isEqualTo(32);
        }
    }

    @Test
    void withoutASidecarItInfersAndSaysWhatItAssumed() {
        Path pt = TestModels.copy(TestModels.TINY_PT, dir, "mine.pt");
        try (Backbone b = load(pt.toString(), MetadataOverrides.NONE)) {
            BackboneMetadata m = b.metadata();
            assertThat(m.inputSize()).isEqualTo(224);
            assertThat(m.mean()).containsExactly(BackboneMetadata.IMAGENET_MEAN);
            assertThat(m.featureDim()).isEqualTo(32);
            assertThat(m.onnxFile()).isNull();
            assertThat(String.join("\n", m.assumptions())).contains("input size 224 px assumed (no sidecar mine.json")
                    .contains("ImageNet mean and std assumed").contains("feature dimension 32 measured by a forward pass");
        }
    }

    @Test
    void onnxWithAFixedBatchTakesItsInputSizeFromTheGraphAndIsLocked() {
        try (Backbone fixed = load(TestModels.TINY_ONNX_BATCH1.toString(), new MetadataOverrides(null, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.25f, 0.25f, 0.25f}));
                Backbone dynamic = load(TestModels.TINY_ONNX.toString(), MetadataOverrides.NONE)) {
            BackboneMetadata m = fixed.metadata();
            assertThat(m.format()).isEqualTo(BackboneFormat.ONNX);
            assertThat(m.inputSize()).isEqualTo(32);
            assertThat(m.trainable()).isFalse();
            assertThat(m.lockReason()).contains("ONNX Runtime").contains("frozen feature extractor");
            assertThat(fixed.trainable()).isEmpty();
            assertThat(fixed.embeddingEngine()).isEqualTo("OnnxRuntime");
            // three images through a graph that takes one at a time give what the dynamic graph gives
            float[] x = new float[3 * 3 * 32 * 32];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 89) / 89f - 0.5f;
            }
            float[] a = fixed.embed(x, 3);
            float[] b = dynamic.embed(x, 3);
            assertThat(a).hasSize(3 * 32);
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).isCloseTo(b[i], within(1e-5f));
            }
        }
    }

    @Test
    void onnxInputSizeThatContradictsTheGraphIsAnError() {
        assertThatThrownBy(() -> load(TestModels.TINY_ONNX_BATCH1.toString(), new MetadataOverrides(64, null, null)))
                .hasMessageContaining("takes 32 px images, not 64");
    }

    @Test
    void anOnnxSiblingIsUsedOnlyWhenItGivesTheSameFeatures() {
        float[] probe = new float[2 * 3 * 32 * 32];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = (i % 31) / 31f;
        }
        try (Backbone pt = load(TestModels.TINY_PT.toString(), MetadataOverrides.NONE)) {
            Optional<Backbone> onnx = loader.onnxForm(pt, probe, 2);
            assertThat(onnx).isPresent();
            assertThat(onnx.get().embeddingEngine()).isEqualTo("OnnxRuntime");
            onnx.get().close();
        }
        Path pt = TestModels.copy(TestModels.TINY_PT, dir, "mine.pt");
        TestModels.copy(TestModels.DIR.resolve("tiny-resnet-other.onnx"), dir, "mine.onnx");
        TestModels.copy(TestModels.TINY_SIDECAR, dir, "mine.json");
        try (Backbone b = load(pt.toString(), MetadataOverrides.NONE)) {
            assertThat(b.metadata().onnxFile()).isEqualTo(dir.resolve("mine.onnx"));
            assertThat(loader.onnxForm(b, probe, 2)).isEmpty();
        }
    }

    @Test
    void architecturesLoadWithRandomWeights() {
        try (Backbone b = load("arch:mini-resnet", MetadataOverrides.NONE)) {
            assertThat(b.metadata().format()).isEqualTo(BackboneFormat.DJL);
            assertThat(b.metadata().inputSize()).isEqualTo(64);
            assertThat(b.metadata().featureDim()).isEqualTo(128);
            assertThat(b.trainable()).isPresent();
        }
        assertThatThrownBy(() -> load("arch:vgg99", MetadataOverrides.NONE)).hasMessageContaining("Unknown architecture 'vgg99'")
                .hasMessageContaining("mini-resnet");
    }

    @Test
    void zooNamesResolveThroughTheZooPackage() {
        Path local = TestModels.copy(TestModels.TINY_PT, dir, "zoo-tiny.pt");
        TestModels.copy(TestModels.TINY_SIDECAR, dir, "zoo-tiny.json");
        ZooResolver zoo = new ZooResolver() {
            @Override
            public Path fetch(String name, AppHome home, JobMonitor monitor) {
                assertThat(name).isEqualTo("tiny");
                return local;
            }

            @Override
            public List<String> names() {
                return List.of("tiny");
            }
        };
        try (Backbone b = new BackboneLoader(HOME, zoo).load(BackboneSource.parse("zoo:tiny"), MetadataOverrides.NONE,
                JobMonitor.NONE)) {
            assertThat(b.metadata().source()).isEqualTo("zoo:tiny");
            assertThat(b.metadata().featureDim()).isEqualTo(32);
        }
    }

    @Test
    void unusableFilesGiveMessagesThatNameThem() throws Exception {
        assertThatThrownBy(() -> load(dir.resolve("nope.pt").toString(), MetadataOverrides.NONE))
                .hasMessageContaining("Backbone file not found").hasMessageContaining("nope.pt");
        Path txt = Files.writeString(dir.resolve("weights.h5"), "x");
        assertThatThrownBy(() -> load(txt.toString(), MetadataOverrides.NONE)).hasMessageContaining("Unknown backbone file type '.h5'");
        Path garbage = Files.writeString(dir.resolve("broken.pt"), "not a zip archive");
        assertThatThrownBy(() -> load(garbage.toString(), MetadataOverrides.NONE)).hasMessageContaining("broken.pt")
                .hasMessageContaining("not a TorchScript module").hasMessageContaining("torch.jit.script");
        Path params = Files.writeString(dir.resolve("mine.params"), "x");
        assertThatThrownBy(() -> load(params.toString(), MetadataOverrides.NONE)).hasMessageContaining("mine.json")
                .hasMessageContaining("'arch'");
        Path brokenOnnx = Files.writeString(dir.resolve("broken.onnx"), "\u0001\u0002garbage");
        assertThatThrownBy(() -> load(brokenOnnx.toString(), MetadataOverrides.NONE)).hasMessageContaining("broken.onnx");
    }
}
