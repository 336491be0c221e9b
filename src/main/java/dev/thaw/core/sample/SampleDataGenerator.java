package dev.thaw.core.sample;

import dev.thaw.core.util.FileTrees;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Makes Thaw's synthetic sample datasets (see {@link Dataset}) so the whole product can be tried
 * offline, with data the project made itself.
 *
 * <p>Everything is a pure function of a seed: each image draws its randomness from a generator
 * seeded by a hash of (seed, dataset, class, index), so any single image can be re-rendered
 * without the others (the tests re-render a few and compare them with the committed files).
 * Geometry is drawn with Java2D (antialiased, no fonts: font availability differs between machines);
 * backgrounds, blur and noise are plain Java arithmetic; files are written one after another with
 * fixed encoder settings.
 *
 * <p>Regenerate the committed data from the project directory with
 *
 * <pre>{@code
 * ./mvnw -q compile
 * java -cp target/classes dev.thaw.core.sample.SampleDataGenerator sample-data --seed 1729
 * }</pre>
 */
public final class SampleDataGenerator {

    /** The seed of the committed {@code sample-data/}. */
    public static final long DEFAULT_SEED = 1729L;

    /** Width and height of every image, in pixels. */
    public static final int IMAGE_SIZE = Canvas.SIZE;

    /** The unlabeled folder's ground truth ({@code file,class}), beside that folder, not in it. */
    public static final String UNLABELED_LABELS_CSV = "shapes-unlabeled.labels.csv";

    /** JPEG quality for the target and unlabeled sets: small files, mild artefacts. */
    static final float JPEG_QUALITY = 0.9f;

    private SampleDataGenerator() {}

    /**
     * One file of a dataset.
     *
     * @param dataset the dataset it belongs to
     * @param relativePath its path under the sample-data folder, {@code /}-separated
     * @param className its class
     * @param index its index within its class, the last argument of {@link #render}
     */
    public record SampleFile(Dataset dataset, String relativePath, String className, int index) {

        /** The file name without folders. */
        public String fileName() {
            return relativePath.substring(relativePath.lastIndexOf('/') + 1);
        }
    }

    /**
     * Renders one image (before any JPEG compression).
     *
     * @param which the dataset, which decides the look and the class list
     * @param className one of {@code which.classes()}
     * @param index 0 to {@code which.perClass() - 1}
     * @param seed the dataset seed, {@link #DEFAULT_SEED} for the committed data
     * @return a new {@value #IMAGE_SIZE}x{@value #IMAGE_SIZE} {@link BufferedImage#TYPE_INT_RGB} image
     */
    public static BufferedImage render(Dataset which, String className, int index, long seed) {
        Glyphs.Spec spec = which.spec(className);
        if (index < 0 || index >= which.perClass()) {
            throw new IllegalArgumentException("index " + index + " outside 0.." + (which.perClass() - 1));
        }
        Rng r = new Rng(imageSeed(seed, which, className, index));
        return switch (which) {
            case SOURCE -> Looks.source(spec, r);
            case TARGET_TRAIN, TARGET_VAL -> Looks.target(spec, r);
            case UNLABELED -> Looks.unlabeled(spec, r);
        };
    }

    /**
     * Every file of a dataset in a stable order: by class, then index; for {@link
     * Dataset#UNLABELED} in the shuffled order of its names {@code u0001.jpg, u0002.jpg, ...}.
     */
    public static List<SampleFile> files(Dataset which, long seed) {
        List<SampleFile> out = new ArrayList<>(which.imageCount());
        if (which.labeledByFolder()) {
            for (String cls : which.classes()) {
                for (int i = 0; i < which.perClass(); i++) {
                    out.add(new SampleFile(which,
                            String.format(Locale.ROOT, "%s/%s/%04d.%s", which.folder(), cls, i, which.extension()),
                            cls, i));
                }
            }
            return out;
        }
        // Flat and unlabeled: a seeded Fisher-Yates shuffle, so neither the name nor the position
        // of a file tells its class.
        int[][] items = new int[which.imageCount()][];
        int k = 0;
        for (int c = 0; c < which.classes().size(); c++) {
            for (int i = 0; i < which.perClass(); i++) {
                items[k++] = new int[] {c, i};
            }
        }
        Rng r = new Rng(Rng.mix(seed ^ Rng.mix(which.folder().hashCode() ^ 0x5_4FF1EL)));
        for (int i = items.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int[] t = items[i];
            items[i] = items[j];
            items[j] = t;
        }
        for (int n = 0; n < items.length; n++) {
            out.add(new SampleFile(which,
                    String.format(Locale.ROOT, "%s/u%04d.%s", which.folder(), n + 1, which.extension()),
                    which.classes().get(items[n][0]), items[n][1]));
        }
        return out;
    }

    /**
     * Writes all datasets and the unlabeled labels under {@code outDir}. The dataset folders and the
     * labels file are replaced; anything else in {@code outDir} (the README, a backbone) is left
     * alone.
     */
    public static void generate(Path outDir, long seed) throws IOException {
        Files.createDirectories(outDir);
        for (Dataset d : Dataset.values()) {
            FileTrees.deleteTree(outDir.resolve(d.folder()));
        }
        for (Dataset d : Dataset.values()) {
            for (SampleFile f : files(d, seed)) {
                Path p = outDir.resolve(f.relativePath());
                Files.createDirectories(p.getParent());
                Files.write(p, encode(render(d, f.className(), f.index(), seed), d.extension()));
            }
        }
        StringBuilder csv = new StringBuilder("file,class\n");
        for (SampleFile f : files(Dataset.UNLABELED, seed)) {
            csv.append(f.fileName()).append(',').append(f.className()).append('\n');
        }
        Files.writeString(outDir.resolve(UNLABELED_LABELS_CSV), csv, StandardCharsets.UTF_8);
    }

    /**
     * Encodes an image as PNG (lossless) or as baseline JPEG at quality {@value #JPEG_QUALITY}.
     *
     * @param extension {@code png} or {@code jpg}
     */
    public static byte[] encode(BufferedImage img, String extension) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (extension.equals("png")) {
                ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
                try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                    ImageWriteParam p = w.getDefaultWriteParam();
                    // the strongest deflate level: lossless either way, and the committed data is
                    // thousands of small files
                    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    p.setCompressionQuality(0.0f);
                    w.setOutput(out);
                    w.write(null, new IIOImage(img, null, null), p);
                } finally {
                    w.dispose();
                }
            } else if (extension.equals("jpg")) {
                ImageWriter w = jpegWriter();
                try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                    ImageWriteParam p = w.getDefaultWriteParam();
                    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    p.setCompressionQuality(JPEG_QUALITY);
                    p.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
                    w.setOutput(out);
                    w.write(null, new IIOImage(img, null, null), p);
                } finally {
                    w.dispose();
                }
            } else {
                throw new IllegalArgumentException("unknown extension " + extension);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The JDK's own JPEG writer where present. Other plugins on the class path (TwelveMonkeys)
     * register writers too; the JDK's is always there, so choosing it keeps the bytes the same
     * whether the generator runs with the full class path or with target/classes alone.
     */
    private static ImageWriter jpegWriter() {
        ImageWriter first = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageWriter")) {
                if (first != null) {
                    first.dispose();
                }
                return w;
            }
            if (first == null) {
                first = w;
            } else {
                w.dispose();
            }
        }
        if (first == null) {
            throw new IllegalStateException("no JPEG writer");
        }
        return first;
    }

    static long imageSeed(long seed, Dataset which, String className, int index) {
        long h = Rng.mix(seed + 0x7468617753414D50L); // "thawSAMP"
        h = Rng.mix(h ^ which.folder().hashCode());
        h = Rng.mix(h ^ ((long) className.hashCode() << 32));
        return Rng.mix(h + index);
    }

    /**
     * Command line: {@code SampleDataGenerator OUT_DIR [--seed N]} writes all datasets under
     * OUT_DIR (for the committed data: {@code sample-data --seed 1729}).
     */
    public static void main(String[] args) throws IOException {
        Path out = null;
        long seed = DEFAULT_SEED;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seed") && i + 1 < args.length) {
                seed = Long.parseLong(args[++i]);
            } else if (out == null && !args[i].startsWith("--")) {
                out = Path.of(args[i]);
            } else {
                System.err.println("usage: SampleDataGenerator OUT_DIR [--seed N]");
                System.exit(2);
            }
        }
        if (out == null) {
            System.err.println("usage: SampleDataGenerator OUT_DIR [--seed N]");
            System.exit(2);
        }
        long start = System.nanoTime();
        generate(out, seed);
        int total = 0;
        for (Dataset d : Dataset.values()) {
            System.out.printf(Locale.ROOT, "%-20s %2d classes x %3d = %4d images%n",
                    d.folder(), d.classes().size(), d.perClass(), d.imageCount());
            total += d.imageCount();
        }
        System.out.printf(Locale.ROOT, "%d images, seed %d, in %s, %.1f s%n",
                total, seed, out.toAbsolutePath().normalize(), (System.nanoTime() - start) / 1e9);
    }
}
