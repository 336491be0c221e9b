package dev.thaw.core.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.sample.SampleDataGenerator.SampleFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generator is deterministic, and the committed {@code sample-data/} is exactly what it makes
 * (so the data in the repository is reproducible from the code in the repository).
 */
class SampleDataGeneratorTest {

    /** Surefire runs in the project directory. */
    private static final Path ROOT = Path.of("sample-data");

    private static final long SEED = SampleDataGenerator.DEFAULT_SEED;

    // ---------------------------------------------------------------- the generator

    @ParameterizedTest
    @EnumSource(Dataset.class)
    void sameSeedGivesIdenticalPixels(Dataset d) {
        String cls = d.classes().get(d.classes().size() / 2);
        int[] a = pixels(SampleDataGenerator.render(d, cls, 3, 42L));
        int[] b = pixels(SampleDataGenerator.render(d, cls, 3, 42L));
        assertThat(b).isEqualTo(a);
    }

    @ParameterizedTest
    @EnumSource(Dataset.class)
    void differentSeedOrIndexGivesDifferentImages(Dataset d) {
        String cls = d.classes().get(0);
        int[] base = pixels(SampleDataGenerator.render(d, cls, 5, 42L));
        assertThat(differingPixels(base, pixels(SampleDataGenerator.render(d, cls, 5, 43L)))).isGreaterThan(500);
        assertThat(differingPixels(base, pixels(SampleDataGenerator.render(d, cls, 6, 42L)))).isGreaterThan(500);
    }

    @Test
    void anImageDoesNotDependOnWhatWasRenderedBefore() {
        int[] alone = pixels(SampleDataGenerator.render(Dataset.TARGET_VAL, "keyhole", 17, SEED));
        for (int i = 0; i < 17; i++) {
            SampleDataGenerator.render(Dataset.TARGET_VAL, "keyhole", i, SEED);
        }
        assertThat(pixels(SampleDataGenerator.render(Dataset.TARGET_VAL, "keyhole", 17, SEED))).isEqualTo(alone);
    }

    @Test
    void trainValAndUnlabeledImagesAreDistinctRenderings() {
        int[] train = pixels(SampleDataGenerator.render(Dataset.TARGET_TRAIN, "hourglass", 0, SEED));
        int[] val = pixels(SampleDataGenerator.render(Dataset.TARGET_VAL, "hourglass", 0, SEED));
        int[] unl = pixels(SampleDataGenerator.render(Dataset.UNLABELED, "hourglass", 0, SEED));
        assertThat(differingPixels(train, val)).isGreaterThan(500);
        assertThat(differingPixels(val, unl)).isGreaterThan(500);
    }

    @ParameterizedTest
    @EnumSource(Dataset.class)
    void rendersAre64x64Rgb(Dataset d) {
        BufferedImage img = SampleDataGenerator.render(d, d.classes().get(1), 0, SEED);
        assertThat(img.getWidth()).isEqualTo(64);
        assertThat(img.getHeight()).isEqualTo(64);
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void rejectsUnknownClassesAndIndices() {
        assertThatThrownBy(() -> SampleDataGenerator.render(Dataset.SOURCE, "keyhole", 0, SEED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SampleDataGenerator.render(Dataset.TARGET_TRAIN, "keyhole", 24, SEED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void classesAndCountsAreAsDocumented() {
        assertThat(Dataset.SOURCE.classes()).containsExactly(
                "arrow", "chevron", "circle", "crescent", "cross", "diamond", "heart", "hexagon",
                "lightning", "plus", "ring", "spiral", "square", "star", "triangle", "zigzag");
        List<String> target = List.of("asterisk", "circle_in_square", "concentric_rings", "cross_in_circle",
                "double_arrow", "hourglass", "keyhole", "three_dots");
        assertThat(Dataset.TARGET_TRAIN.classes()).isEqualTo(target);
        assertThat(Dataset.TARGET_VAL.classes()).isEqualTo(target);
        assertThat(Dataset.UNLABELED.classes()).isEqualTo(target);
        assertThat(target).doesNotContainAnyElementsOf(Dataset.SOURCE.classes());

        assertThat(Dataset.SOURCE.perClass()).isEqualTo(200);
        assertThat(Dataset.TARGET_TRAIN.perClass()).isEqualTo(24);
        assertThat(Dataset.TARGET_VAL.perClass()).isEqualTo(40);
        assertThat(Dataset.UNLABELED.perClass()).isEqualTo(40);
        for (Dataset d : Dataset.values()) {
            List<SampleFile> files = SampleDataGenerator.files(d, SEED);
            assertThat(files).hasSize(d.imageCount());
            assertThat(files.stream().map(SampleFile::relativePath).distinct()).hasSize(d.imageCount());
            Map<String, Long> perClass = files.stream()
                    .collect(Collectors.groupingBy(SampleFile::className, Collectors.counting()));
            assertThat(perClass.keySet()).containsExactlyInAnyOrderElementsOf(d.classes());
            assertThat(perClass.values()).allMatch(n -> n == d.perClass());
        }
    }

    // ---------------------------------------------------------------- the committed data

    @ParameterizedTest
    @EnumSource(Dataset.class)
    void committedFilesAreExactlyTheGeneratedOnes(Dataset d) throws IOException {
        Set<String> expected = new TreeSet<>();
        for (SampleFile f : SampleDataGenerator.files(d, SEED)) {
            expected.add(f.relativePath());
        }
        Set<String> actual = new TreeSet<>();
        Path dir = ROOT.resolve(d.folder());
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> actual.add(ROOT.relativize(p).toString().replace('\\', '/')));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actual).allMatch(p -> p.chars().allMatch(c -> c < 128));
    }

    @ParameterizedTest
    @EnumSource(Dataset.class)
    void committedDataMatchesTheGenerator(Dataset d) {
        List<SampleFile> files = SampleDataGenerator.files(d, SEED);
        int checked = 0;
        // a spread of files across all classes: first, last and every n-th
        for (int i = 0; i < files.size(); i += Math.max(1, files.size() / 6)) {
            check(files.get(i));
            checked++;
        }
        check(files.get(files.size() - 1));
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    private static void check(SampleFile f) {
        BufferedImage committed = read(ROOT.resolve(f.relativePath()));
        assertThat(committed.getWidth()).as(f.relativePath()).isEqualTo(64);
        assertThat(committed.getHeight()).as(f.relativePath()).isEqualTo(64);
        assertThat(committed.getColorModel().getNumComponents()).as(f.relativePath()).isEqualTo(3);
        assertThat(committed.getColorModel().hasAlpha()).as(f.relativePath()).isFalse();

        BufferedImage fresh = SampleDataGenerator.render(f.dataset(), f.className(), f.index(), SEED);
        // Compare decoded pixels. For JPEG, put the fresh render through the same encoder and
        // decoder first. The raw render must still agree with the file in 4x4 block averages
        // (JPEG keeps those, while it drops much of the per-pixel noise), so that the comparison
        // does not rest on the codec alone.
        BufferedImage reference = f.dataset().extension().equals("jpg")
                ? decode(SampleDataGenerator.encode(fresh, "jpg"))
                : fresh;
        int[] a = pixels(committed);
        // tiny tolerance: another JDK's rasteriser or JPEG codec may round a few edge pixels otherwise
        assertThat(meanAbsDiff(a, pixels(reference))).as(f.relativePath()).isLessThan(1.0);
        assertThat(fractionOff(a, pixels(reference), 24)).as(f.relativePath()).isLessThan(0.02);
        assertThat(meanAbsDiff(blockMeans(a), blockMeans(pixels(fresh)))).as(f.relativePath()).isLessThan(6.0);
    }

    @Test
    void unlabeledFileNamesDoNotRevealTheClass() throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.list(ROOT.resolve(Dataset.UNLABELED.folder()))) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names).hasSize(Dataset.UNLABELED.imageCount());
        assertThat(names).allMatch(n -> n.matches("u\\d{4}\\.jpg"));
        for (String cls : Dataset.UNLABELED.classes()) {
            assertThat(names).noneMatch(n -> n.contains(cls));
        }
        // nor does the order: the first 40 names (one class' worth) hold many classes
        List<SampleFile> files = SampleDataGenerator.files(Dataset.UNLABELED, SEED);
        assertThat(files.subList(0, 40).stream().map(SampleFile::className).distinct().count())
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void labelsCsvCoversEveryUnlabeledFile() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(SampleDataGenerator.UNLABELED_LABELS_CSV),
                StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("file,class");
        Map<String, String> labels = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(",");
            assertThat(parts).hasSize(2);
            assertThat(labels.put(parts[0], parts[1])).as("duplicate " + parts[0]).isNull();
        }
        Set<String> onDisk = new HashSet<>();
        try (Stream<Path> s = Files.list(ROOT.resolve(Dataset.UNLABELED.folder()))) {
            s.forEach(p -> onDisk.add(p.getFileName().toString()));
        }
        assertThat(labels.keySet()).isEqualTo(onDisk);
        assertThat(labels.values()).allMatch(Dataset.UNLABELED.classes()::contains);
        Map<String, Long> perClass = labels.values().stream()
                .collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()));
        assertThat(perClass.values()).allMatch(n -> n == Dataset.UNLABELED.perClass());
        for (SampleFile f : SampleDataGenerator.files(Dataset.UNLABELED, SEED)) {
            assertThat(labels.get(f.fileName())).isEqualTo(f.className());
        }
        // the ground truth lives beside the folder, never inside it
        assertThat(onDisk).noneMatch(n -> n.endsWith(".csv"));
    }

    @Test
    void readmeDocumentsTheClassesCountsAndCommand() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("--seed " + SEED);
        for (Dataset d : Dataset.values()) {
            assertThat(readme).contains(d.folder());
            for (String cls : d.classes()) {
                assertThat(readme).contains(cls);
            }
        }
        assertThat(readme).contains(SampleDataGenerator.UNLABELED_LABELS_CSV);
    }

    @Test
    void committedDataStaysSmall() throws IOException {
        long bytes;
        try (Stream<Path> s = Files.walk(ROOT)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
        assertThat(bytes).as(String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)).isLessThan(20_000_000L);
    }

    // ---------------------------------------------------------------- helpers

    private static BufferedImage read(Path p) {
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            assertThat(img).as(p.toString()).isNotNull();
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static int differingPixels(int[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }

    /** 4x4 block averages of a 64x64 image, packed again as RGB ints (16x16 of them). */
    private static int[] blockMeans(int[] px) {
        int[] out = new int[16 * 16];
        for (int by = 0; by < 16; by++) {
            for (int bx = 0; bx < 16; bx++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int y = by * 4; y < by * 4 + 4; y++) {
                    for (int x = bx * 4; x < bx * 4 + 4; x++) {
                        int v = px[y * 64 + x];
                        r += (v >> 16) & 0xFF;
                        g += (v >> 8) & 0xFF;
                        b += v & 0xFF;
                    }
                }
                out[by * 16 + bx] = ((r + 8) / 16 << 16) | ((g + 8) / 16 << 8) | (b + 8) / 16;
            }
        }
        return out;
    }

    private static List<int[]> channels(int[] a, int[] b) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                out.add(new int[] {(a[i] >> shift) & 0xFF, (b[i] >> shift) & 0xFF});
            }
        }
        return out;
    }

    private static double meanAbsDiff(int[] a, int[] b) {
        return channels(a, b).stream().mapToInt(c -> Math.abs(c[0] - c[1])).average().orElse(0);
    }

    private static double fractionOff(int[] a, int[] b, int tolerance) {
        List<int[]> c = channels(a, b);
        return c.stream().filter(x -> Math.abs(x[0] - x[1]) > tolerance).count() / (double) c.size();
    }
}
