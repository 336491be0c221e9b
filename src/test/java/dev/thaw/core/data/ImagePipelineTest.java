package dev.thaw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePipelineTest {

    private static final ImageTransform T32 = ImageTransform.imagenet(32);

    @TempDir
    static Path dir;
    static List<LabeledImage> pictures = new ArrayList<>();
    static Path red;
    static Path halves;
    static Path empty;
    static Path text;

    private final List<ImagePipeline> open = new ArrayList<>();

    @BeforeAll
    static void writeImages() throws IOException {
        for (int i = 0; i < 10; i++) {
            pictures.add(new LabeledImage(TestImages.write(dir.resolve("p" + i + ".jpg"), TestImages.picture(60, 45, i), "png"), i % 3));
        }
        red = TestImages.write(dir.resolve("red.png"), TestImages.solid(50, 40, Color.RED), "png");
        BufferedImage h = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                h.setRGB(x, y, x < 32 ? 0xFF0000 : 0x0000FF);
            }
        }
        halves = TestImages.write(dir.resolve("halves.png"), h, "png");
        empty = TestImages.write(dir.resolve("empty.jpg"), new byte[0]);
        text = TestImages.write(dir.resolve("text.jpg"), "just text".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() {
        open.forEach(ImagePipeline::close);
    }

    private ImagePipeline pipeline(ImageTransform t, int threads, long cache) {
        ImagePipeline p = new ImagePipeline(t, threads, cache);
        open.add(p);
        return p;
    }

    @Test
    void aSolidImageNormalizesToTheExpectedValuesInChwOrder() throws Exception {
        float[] out = pipeline(T32, 1, 0).load(red, Augmentation.NONE, 1);
        assertThat(out).hasSize(T32.floatsPerImage());
        int plane = 32 * 32;
        for (int i = 0; i < plane; i++) {
            assertThat(out[i]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-5f));
            assertThat(out[plane + i]).isCloseTo((0f - 0.456f) / 0.224f, within(1e-5f));
            assertThat(out[2 * plane + i]).isCloseTo((0f - 0.406f) / 0.225f, within(1e-5f));
        }
    }

    @Test
    void layoutIsRowsOfPixelsPerChannel() throws Exception {
        ImageTransform identity = new ImageTransform(32, new float[] {0, 0, 0}, new float[] {1, 1, 1});
        float[] out = pipeline(identity, 1, 0).load(halves, Augmentation.NONE, 1);
        int plane = 32 * 32;
        assertThat(out[5 * 32 + 2]).isEqualTo(1f); // red channel, left
        assertThat(out[5 * 32 + 29]).isEqualTo(0f); // red channel, right
        assertThat(out[2 * plane + 5 * 32 + 29]).isEqualTo(1f); // blue channel, right
    }

    @Test
    void noneIsTheSameCenterCropWhateverTheSeed() throws Exception {
        ImagePipeline p = pipeline(T32, 1, 0);
        Path f = pictures.get(0).file();
        assertThat(p.load(f, Augmentation.NONE, 1)).isEqualTo(p.load(f, Augmentation.NONE, 99));
    }

    @Test
    void augmentationIsFixedBySeedAndVariesWithIt() throws Exception {
        ImagePipeline p = pipeline(T32, 1, 1 << 20);
        Path f = pictures.get(1).file();
        for (Augmentation a : new Augmentation[] {Augmentation.LIGHT, Augmentation.STRONG}) {
            float[] first = p.load(f, a, 7);
            assertThat(p.load(f, a, 7)).as(a + " same seed").isEqualTo(first);
            long differing = 0;
            for (long seed = 8; seed < 12; seed++) {
                differing += Arrays.equals(p.load(f, a, seed), first) ? 0 : 1;
            }
            assertThat(differing).as(a + " other seeds").isEqualTo(4);
        }
    }

    @Test
    void strongAugmentationKeepsPixelsInRangeAndChangesColours() throws Exception {
        ImagePipeline p = pipeline(T32, 1, 0);
        RgbImage plain = p.augmented(red, Augmentation.NONE, 1);
        RgbImage strong = p.augmented(red, Augmentation.STRONG, 3);
        assertThat(strong.width()).isEqualTo(32);
        assertThat(strong.rgb()).isNotEqualTo(plain.rgb());
    }

    @Test
    void aBatchSkipsUnreadableFilesAndSaysWhy() {
        List<LabeledImage> items = List.of(pictures.get(0), new LabeledImage(empty, 1), pictures.get(1), new LabeledImage(text, 2),
                new LabeledImage(dir.resolve("missing.png"), 0));
        LoadedBatch b = pipeline(T32, 2, 0).load(items, Augmentation.LIGHT, 5);
        assertThat(b.count()).isEqualTo(2);
        assertThat(b.data()).hasSize(2 * T32.floatsPerImage());
        assertThat(b.labels()).containsExactly(pictures.get(0).label(), pictures.get(1).label());
        assertThat(b.files()).containsExactly(pictures.get(0), pictures.get(1));
        assertThat(b.skipped()).extracting(SkippedImage::file).containsExactly(empty, text, dir.resolve("missing.png"));
        assertThat(b.skipped()).extracting(SkippedImage::reason).allSatisfy(r -> assertThat(r).isNotBlank());
        assertThat(b.skipped().get(0).reason()).contains("empty");
        assertThat(b.skipped().get(1).reason()).contains("text file");
    }

    @Test
    void loadingOneBadFileThrowsNamingTheFile() {
        assertThatThrownBy(() -> pipeline(T32, 1, 0).load(text, Augmentation.NONE, 1))
                .isInstanceOf(ImageLoadException.class).hasMessageContaining(text.toString()).hasMessageContaining("text file");
    }

    @Test
    void batchesGiveTheSameImagesAsOneLoadWhateverTheBatchSize() {
        List<LabeledImage> items = new ArrayList<>(pictures);
        items.add(3, new LabeledImage(empty, 0));
        ImagePipeline p = pipeline(T32, 2, 1 << 22);
        LoadedBatch all = p.load(items, Augmentation.STRONG, 11);
        float[] joined = new float[0];
        List<SkippedImage> skipped = new ArrayList<>();
        int batches = 0;
        try (BatchIterator it = p.batches(items, 3, Augmentation.STRONG, 11)) {
            assertThat(it.batchCount()).isEqualTo(4);
            while (it.hasNext()) {
                LoadedBatch b = it.next();
                float[] next = Arrays.copyOf(joined, joined.length + b.data().length);
                System.arraycopy(b.data(), 0, next, joined.length, b.data().length);
                joined = next;
                skipped.addAll(b.skipped());
                batches++;
            }
        }
        assertThat(batches).isEqualTo(4);
        assertThat(joined).isEqualTo(all.data());
        assertThat(skipped).extracting(SkippedImage::file).containsExactly(empty);
    }

    @Test
    void laterEpochsComeFromTheCache() {
        ImagePipeline p = pipeline(T32, 2, 1 << 22);
        p.load(pictures, Augmentation.LIGHT, 1);
        CacheStats first = p.cacheStats();
        assertThat(first.misses()).isEqualTo(pictures.size());
        assertThat(first.entries()).isEqualTo(pictures.size());
        p.load(pictures, Augmentation.LIGHT, 2);
        CacheStats second = p.cacheStats();
        assertThat(second.hits()).isEqualTo(pictures.size());
        assertThat(second.misses()).isEqualTo(pictures.size());
    }

    @Test
    void theCacheNeverHoldsMoreThanItsBudget() {
        // a 32 px base image of a 4:3 picture is 37 x 49 x 3 = 5.4 kB; 12 kB holds two
        ImagePipeline p = pipeline(T32, 2, 12_000);
        p.load(pictures, Augmentation.NONE, 1);
        CacheStats s = p.cacheStats();
        assertThat(s.bytes()).isLessThanOrEqualTo(12_000);
        assertThat(s.entries()).isEqualTo(2);
    }

    @Test
    void aBrokenFileIsRememberedNotDecodedAgain() {
        ImagePipeline p = pipeline(T32, 1, 1 << 20);
        List<LabeledImage> items = List.of(new LabeledImage(text, 0));
        p.load(items, Augmentation.NONE, 1);
        LoadedBatch again = p.load(items, Augmentation.NONE, 2);
        assertThat(again.skipped()).hasSize(1);
        assertThat(p.cacheStats().failures()).isEqualTo(1);
    }

    @Test
    void aClosedIteratorStopsPreparingBatches() {
        ImagePipeline p = pipeline(T32, 1, 0);
        BatchIterator it = p.batches(pictures, 2, Augmentation.NONE, 1);
        assertThat(it.next().count()).isEqualTo(2);
        it.close();
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void theHugeImageGoesThroughThePipelineWithoutRunningOutOfMemory() throws Exception {
        Path huge = TestImages.hugePng(dir.resolve("huge.png"), 10_000, 10_000);
        float[] out = pipeline(T32, 1, 0).load(huge, Augmentation.NONE, 1);
        assertThat(out).hasSize(T32.floatsPerImage());
    }

    @Test
    void defaultsAreSizedToTheMachine() {
        assertThat(ImagePipeline.defaultThreads()).isBetween(1, Runtime.getRuntime().availableProcessors());
        assertThat(ImagePipeline.defaultCacheBytes()).isPositive().isLessThanOrEqualTo(1L << 30);
    }
}
