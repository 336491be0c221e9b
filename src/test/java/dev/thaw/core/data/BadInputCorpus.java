package dev.thaw.core.data;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A labeled image folder full of what people really collect, made at test time: every good file in
 * an odd format, and every kind of broken file. {@link #GOOD} and {@link #BAD} list what a correct
 * doctor must count and name. Run {@code main} to write one for trying {@code thaw doctor} by hand.
 */
public final class BadInputCorpus {

    /** Readable images per class (relative paths). */
    public static final Map<String, String[]> GOOD = new LinkedHashMap<>();
    /** Unreadable candidate files and the problem kind each must get. */
    public static final Map<String, ProblemKind> BAD = new LinkedHashMap<>();

    static {
        GOOD.put("cats", new String[] {"cats/cat-01.jpg", "cats/cat-02.jpg", "cats/cat-03.jpg", "cats/cat-04.jpg",
            "cats/progressive.jpg", "cats/cmyk.jpg", "cats/gray.jpg", "cats/exif-rotated.jpg", "cats/café au lait 写真 1.jpg",
            "cats/nested/deeper/cat-nested.jpg", "cats/huge 10000x10000.png", "cats/tiny.png", "cats/cat-01 copy.jpg",
            "cats/no-extension"});
        GOOD.put("dogs", new String[] {"dogs/dog-01.png", "dogs/rgba.png", "dogs/gray16.png", "dogs/rgb16.png",
            "dogs/palette.png", "dogs/gray-alpha.png", "dogs/dog.bmp", "dogs/animated.gif", "dogs/dog.tiff", "dogs/lossy.webp",
            "dogs/alpha.webp", "dogs/png named as.jpg"});
        BAD.put("cats/corrupt.jpg", ProblemKind.CORRUPT);
        BAD.put("cats/corrupt-header.jpg", ProblemKind.CORRUPT);
        BAD.put("cats/truncated.jpg", ProblemKind.TRUNCATED);
        BAD.put("cats/truncated-header.jpg", ProblemKind.TRUNCATED);
        BAD.put("cats/empty.jpg", ProblemKind.EMPTY_FILE);
        BAD.put("cats/notes.jpg", ProblemKind.NOT_AN_IMAGE);
        BAD.put("cats/saved page.jpg", ProblemKind.NOT_AN_IMAGE);
        BAD.put("dogs/truncated.png", ProblemKind.TRUNCATED);
        BAD.put("dogs/iphone.jpg", ProblemKind.UNSUPPORTED_FORMAT);
        BAD.put("dogs/bomb.png", ProblemKind.TOO_LARGE);
        BAD.put("dogs/IMG_0001.HEIC", ProblemKind.UNSUPPORTED_FORMAT);
    }

    private BadInputCorpus() {
    }

    public static int goodCount() {
        return GOOD.values().stream().mapToInt(a -> a.length).sum();
    }

    /** Writes the corpus into {@code root} (which should be empty). Symbolic links are skipped where the OS refuses them. */
    public static Path write(Path root) throws IOException {
        Path cats = Files.createDirectories(root.resolve("cats"));
        Path dogs = Files.createDirectories(root.resolve("dogs"));
        Files.createDirectories(root.resolve("empty-class"));

        // cats: JPEG variants
        byte[] cat1 = TestImages.jpeg(TestImages.picture(64, 48, 1), false);
        TestImages.write(cats.resolve("cat-01.jpg"), cat1);
        TestImages.write(cats.resolve("cat-01 copy.jpg"), cat1);
        for (int i = 2; i <= 4; i++) {
            TestImages.write(cats.resolve("cat-0" + i + ".jpg"), TestImages.jpeg(TestImages.picture(64, 48, i), false));
        }
        TestImages.write(cats.resolve("progressive.jpg"), TestImages.jpeg(TestImages.picture(80, 60, 5), true));
        TestImages.write(cats.resolve("cmyk.jpg"), TestImages.cmykJpeg(64, 48));
        TestImages.write(cats.resolve("gray.jpg"), TestImages.jpeg(TestImages.grayBytes(50, 40, 90), false));
        TestImages.write(cats.resolve("exif-rotated.jpg"),
                TestImages.withExifOrientation(TestImages.jpeg(TestImages.picture(60, 40, 6), false), 6));
        TestImages.write(cats.resolve("café au lait 写真 1.jpg"), TestImages.jpeg(TestImages.picture(64, 48, 7), false));
        TestImages.write(cats.resolve("nested/deeper/cat-nested.jpg"), TestImages.jpeg(TestImages.picture(64, 48, 8), false));
        TestImages.hugePng(cats.resolve("huge 10000x10000.png"), 10_000, 10_000);
        TestImages.write(cats.resolve("tiny.png"), TestImages.picture(8, 8, 9), "png");
        TestImages.write(cats.resolve("no-extension"), TestImages.jpeg(TestImages.picture(64, 48, 10), false));

        byte[] good = TestImages.jpeg(TestImages.picture(64, 48, 11), false);
        TestImages.write(cats.resolve("corrupt.jpg"), TestImages.scrambledJpeg(good, 3));
        byte[] header = good.clone();
        Arrays.fill(header, 20, Math.min(header.length, 400), (byte) 0x5A);
        TestImages.write(cats.resolve("corrupt-header.jpg"), header);
        byte[] bigger = TestImages.jpeg(TestImages.picture(200, 150, 13), false);
        TestImages.write(cats.resolve("truncated.jpg"), Arrays.copyOf(bigger, bigger.length * 2 / 3));
        TestImages.write(cats.resolve("truncated-header.jpg"), Arrays.copyOf(good, 300));
        TestImages.write(cats.resolve("empty.jpg"), new byte[0]);
        TestImages.write(cats.resolve("notes.jpg"), "These are my notes about the cats.\nNot a picture.\n".getBytes(StandardCharsets.UTF_8));
        TestImages.write(cats.resolve("saved page.jpg"),
                "<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8));

        // junk people's folders hold
        TestImages.write(cats.resolve(".DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
        TestImages.write(cats.resolve("._cat-01.jpg"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0});
        TestImages.write(cats.resolve(".thumbnails/cat-01.jpg"), cat1);
        TestImages.write(cats.resolve("readme.txt"), "cats from the shelter".getBytes(StandardCharsets.UTF_8));
        TestImages.write(root.resolve("stray.jpg"), TestImages.jpeg(TestImages.picture(64, 48, 12), false));
        TestImages.write(root.resolve("labels.csv"), "file,label\n".getBytes(StandardCharsets.UTF_8));
        trySymlink(cats.resolve("loop"), Path.of(".."));
        trySymlink(cats.resolve("self-loop"), Path.of("self-loop"));
        trySymlink(cats.resolve("gone.jpg"), Path.of("does-not-exist.jpg"));

        // dogs: PNG variants and other formats
        TestImages.write(dogs.resolve("dog-01.png"), TestImages.picture(64, 48, 20), "png");
        TestImages.write(dogs.resolve("rgba.png"), TestImages.rgba(48, 40), "png");
        TestImages.write(dogs.resolve("gray16.png"), TestImages.gray16(48, 40, 0x8000), "png");
        TestImages.write(dogs.resolve("rgb16.png"), TestImages.rgb16(48, 40, 65535, 32768, 0), "png");
        TestImages.write(dogs.resolve("palette.png"), TestImages.palette(48, 40), "png");
        TestImages.write(dogs.resolve("gray-alpha.png"), TestImages.grayAlpha(48, 40, 0, 128), "png");
        TestImages.write(dogs.resolve("dog.bmp"), TestImages.picture(48, 40, 21), "bmp");
        TestImages.write(dogs.resolve("animated.gif"), TestImages.animatedGif(48, 40));
        TestImages.write(dogs.resolve("dog.tiff"), TestImages.picture(48, 40, 22), "tiff");
        Files.copy(resource("lossy.webp"), dogs.resolve("lossy.webp"));
        Files.copy(resource("alpha.webp"), dogs.resolve("alpha.webp"));
        TestImages.write(dogs.resolve("png named as.jpg"), TestImages.picture(48, 40, 23), "png");
        byte[] png = TestImages.encode(TestImages.picture(64, 48, 24), "png");
        TestImages.write(dogs.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        byte[] heic = new byte[64];
        System.arraycopy(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, 0, heic, 0, 12);
        TestImages.write(dogs.resolve("iphone.jpg"), heic);
        TestImages.write(dogs.resolve("IMG_0001.HEIC"), heic);
        TestImages.write(dogs.resolve("bomb.png"), TestImages.bombPngHeader(100_000, 100_000));
        return root;
    }

    static Path resource(String name) {
        try {
            return Path.of(BadInputCorpus.class.getResource("/images/" + name).toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource images/" + name, e);
        }
    }

    static boolean trySymlink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Writes a corpus for trying the CLI by hand: {@code BadInputCorpus DIR}. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "bad-input");
        write(root);
        System.out.println("Wrote " + root.toAbsolutePath());
    }
}
