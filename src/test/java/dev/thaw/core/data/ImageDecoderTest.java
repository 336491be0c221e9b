package dev.thaw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDecoderTest {

    @TempDir
    static Path dir;
    static Path corpus;
    final ImageDecoder decoder = new ImageDecoder();

    @BeforeAll
    static void writeCorpus() throws IOException {
        corpus = BadInputCorpus.write(dir.resolve("corpus"));
    }

    static Stream<String> goodFiles() {
        return BadInputCorpus.GOOD.values().stream().flatMap(Arrays::stream);
    }

    static Stream<Map.Entry<String, ProblemKind>> badFiles() {
        return BadInputCorpus.BAD.entrySet().stream();
    }

    private static int[] rgb(RgbImage img, int x, int y) {
        int p = 3 * (y * img.width() + x);
        byte[] b = img.rgb();
        return new int[] {b[p] & 0xFF, b[p + 1] & 0xFF, b[p + 2] & 0xFF};
    }

    private static void assertColor(RgbImage img, int x, int y, int r, int g, int b, int tolerance) {
        int[] c = rgb(img, x, y);
        assertThat(c[0]).as("red at %d,%d", x, y).isCloseTo(r, org.assertj.core.data.Offset.offset(tolerance));
        assertThat(c[1]).as("green at %d,%d", x, y).isCloseTo(g, org.assertj.core.data.Offset.offset(tolerance));
        assertThat(c[2]).as("blue at %d,%d", x, y).isCloseTo(b, org.assertj.core.data.Offset.offset(tolerance));
    }

    @ParameterizedTest
    @MethodSource("goodFiles")
    void everyGoodFileOfTheCorpusDecodesToRgb(String file) throws Exception {
        DecodedImage d = decoder.decode(corpus.resolve(file));
        assertThat(d.width()).isPositive();
        assertThat(d.image().rgb()).hasSize(d.image().width() * d.image().height() * 3);
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void everyBadFileIsRefusedWithItsKindAndAReason(Map.Entry<String, ProblemKind> bad) {
        Path file = corpus.resolve(bad.getKey());
        assertThatThrownBy(() -> decoder.decode(file))
                .isInstanceOfSatisfying(ImageLoadException.class, e -> {
                    assertThat(e.kind()).as(e.reason()).isEqualTo(bad.getValue());
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.reason()).isNotBlank();
                    assertThat(e.getMessage()).contains(file.toString());
                });
    }

    @Test
    void cmykJpegIsConvertedToTheRightColours() throws Exception {
        RgbImage img = decoder.decode(corpus.resolve("cats/cmyk.jpg")).image();
        assertColor(img, 5, 5, 0, 255, 255, 40); // cyan
        assertColor(img, 58, 5, 255, 0, 0, 40); // red
    }

    @Test
    void exifOrientationTurnsThePictureUpright() throws Exception {
        BufferedImage src = new BufferedImage(40, 20, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                src.setRGB(x, y, x < 20 ? 0xFF0000 : 0x0000FF);
            }
        }
        Path file = TestImages.write(dir.resolve("rotate6.jpg"), TestImages.withExifOrientation(TestImages.jpeg(src, false), 6));
        DecodedImage d = decoder.decode(file);
        // orientation 6: turn 90 degrees clockwise, so the left (red) half ends up on top
        assertThat(d.width()).isEqualTo(20);
        assertThat(d.height()).isEqualTo(40);
        assertThat(d.image().width()).isEqualTo(20);
        assertColor(d.image(), 10, 5, 255, 0, 0, 40);
        assertColor(d.image(), 10, 34, 0, 0, 255, 40);

        Path upsideDown = TestImages.write(dir.resolve("rotate3.jpg"), TestImages.withExifOrientation(TestImages.jpeg(src, false), 3));
        RgbImage turned = decoder.decode(upsideDown).image();
        assertThat(turned.width()).isEqualTo(40);
        assertColor(turned, 5, 10, 0, 0, 255, 40);
    }

    @Test
    void everyOrientationMapsPixelsLikeTheExifTable() {
        // 3x2 image with distinct pixel values 0..5 in the red channel
        byte[] px = new byte[3 * 2 * 3];
        for (int i = 0; i < 6; i++) {
            px[3 * i] = (byte) i;
        }
        RgbImage img = new RgbImage(3, 2, px);
        // expected red values row by row for each orientation (0 1 2 / 3 4 5 is the stored image)
        int[][] expected = {null, {0, 1, 2, 3, 4, 5}, {2, 1, 0, 5, 4, 3}, {5, 4, 3, 2, 1, 0}, {3, 4, 5, 0, 1, 2},
            {0, 3, 1, 4, 2, 5}, {3, 0, 4, 1, 5, 2}, {5, 2, 4, 1, 3, 0}, {2, 5, 1, 4, 0, 3}};
        for (int o = 1; o <= 8; o++) {
            RgbImage out = Orientation.apply(img, o);
            int[] reds = new int[6];
            for (int i = 0; i < 6; i++) {
                reds[i] = out.rgb()[3 * i];
            }
            assertThat(reds).as("orientation " + o).containsExactly(expected[o]);
            assertThat(out.width()).isEqualTo(Orientation.swapsAxes(o) ? 2 : 3);
        }
    }

    @Test
    void grayIsCopiedToRgbAsStoredNotGammaConverted() throws Exception {
        assertColor(decoder.decode(corpus.resolve("cats/gray.jpg")).image(), 10, 10, 90, 90, 90, 2);
        assertColor(decoder.decode(corpus.resolve("dogs/gray16.png")).image(), 10, 10, 128, 128, 128, 0);
    }

    @Test
    void sixteenBitRgbIsRoundedToEightBits() throws Exception {
        assertColor(decoder.decode(corpus.resolve("dogs/rgb16.png")).image(), 3, 3, 255, 128, 0, 0);
    }

    @Test
    void alphaIsCompositedOverWhite() throws Exception {
        RgbImage rgba = decoder.decode(corpus.resolve("dogs/rgba.png")).image();
        assertColor(rgba, 2, 2, 255, 0, 0, 0);
        assertColor(rgba, 45, 2, 255, 255, 255, 0); // fully transparent "black" becomes white
        assertColor(decoder.decode(corpus.resolve("dogs/gray-alpha.png")).image(), 2, 2, 127, 127, 127, 1);
        RgbImage palette = decoder.decode(corpus.resolve("dogs/palette.png")).image();
        assertColor(palette, 2, 2, 0, 0, 255, 0);
        assertColor(palette, 2, 38, 255, 255, 0, 0);
        assertColor(palette, 45, 38, 255, 255, 255, 0); // the transparent palette entry
    }

    @Test
    void webpIsReadLossyAndWithAlpha() throws Exception {
        RgbImage lossy = decoder.decode(corpus.resolve("dogs/lossy.webp")).image();
        assertThat(lossy.width()).isEqualTo(48);
        assertColor(lossy, 24, 1, 255, 0, 0, 40);
        assertColor(lossy, 24, 30, 0, 0, 255, 40);
        RgbImage alpha = decoder.decode(corpus.resolve("dogs/alpha.webp")).image();
        assertColor(alpha, 1, 1, 255, 255, 255, 2); // transparent corner
        assertColor(alpha, 24, 16, 128, 191, 128, 8); // half-transparent green over white
    }

    @Test
    void animatedGifGivesItsFirstFrame() throws Exception {
        assertColor(decoder.decode(corpus.resolve("dogs/animated.gif")).image(), 5, 5, 255, 0, 0, 0);
    }

    @Test
    void losslessFormatsKeepEveryPixel() throws Exception {
        BufferedImage src = TestImages.picture(48, 40, 21);
        RgbImage bmp = decoder.decode(corpus.resolve("dogs/dog.bmp")).image();
        RgbImage tiff = decoder.decode(corpus.resolve("dogs/dog.tiff")).image();
        for (int y = 0; y < 40; y += 7) {
            for (int x = 0; x < 48; x += 5) {
                int v = src.getRGB(x, y);
                assertColor(bmp, x, y, (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF, 0);
            }
        }
        assertThat(tiff.width()).isEqualTo(48);
    }

    @Test
    void contentDecidesTheFormatNotTheName() throws Exception {
        assertThat(decoder.decode(corpus.resolve("dogs/png named as.jpg")).format()).isEqualTo("png");
        assertThat(decoder.decode(corpus.resolve("cats/no-extension")).format()).isEqualTo("jpeg");
    }

    @Test
    void hugeImageIsReadSubsampledWithinTheBudget() throws Exception {
        DecodedImage d = decoder.decode(corpus.resolve("cats/huge 10000x10000.png"));
        assertThat(d.width()).isEqualTo(10_000);
        assertThat(d.height()).isEqualTo(10_000);
        assertThat(d.subsampling()).isGreaterThan(1);
        assertThat((long) d.image().width() * d.image().height()).isLessThanOrEqualTo(ImageDecoder.DEFAULT_DECODE_BUDGET);
        // ten horizontal bands, gray 40 at the top to 220 at the bottom
        assertColor(d.image(), 5, 5, 40, 40, 40, 0);
        assertColor(d.image(), 5, d.image().height() - 5, 220, 220, 220, 0);
    }

    @Test
    void aSmallDecodeAsksForLessSubsampledWork() throws Exception {
        DecodedImage d = decoder.decode(corpus.resolve("cats/huge 10000x10000.png"), 64);
        assertThat(Math.min(d.image().width(), d.image().height())).isBetween(64, 127);
    }

    @Test
    void subsamplingIsTheSmallestFactorWithinTheBudget() {
        assertThat(ImageDecoder.subsampling(4000, 4000, 16_000_000, 0)).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(10_000, 10_000, 16_000_000, 0)).isEqualTo(3);
        assertThat(ImageDecoder.subsampling(500, 375, 16_000_000, 64)).isEqualTo(5);
    }

    @Test
    void textHtmlAndOtherContentAreNamed() throws Exception {
        assertReason("a.jpg", "%PDF-1.4 ...".getBytes(StandardCharsets.US_ASCII), "PDF");
        assertReason("b.jpg", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0}, "ZIP");
        assertReason("c.png", "<?xml version=\"1.0\"?><svg xmlns=\"x\"></svg>".getBytes(StandardCharsets.US_ASCII), "SVG");
        assertReason("d.jpg", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}, "first bytes: 01 02 03");
    }

    private void assertReason(String name, byte[] content, String expected) throws IOException {
        Path file = TestImages.write(dir.resolve("sniff").resolve(name), content);
        assertThatThrownBy(() -> decoder.decode(file)).isInstanceOfSatisfying(ImageLoadException.class,
                e -> assertThat(e.reason()).contains(expected));
    }

    @Test
    void compositingOverWhiteRoundsCorrectly() {
        for (int c = 0; c < 256; c++) {
            for (int a = 0; a < 256; a++) {
                int exact = (int) Math.round((c * a + 255.0 * (255 - a)) / 255.0);
                assertThat(RgbConverter.overWhite(c, a)).as("c=%d a=%d", c, a).isEqualTo(exact);
            }
        }
    }

    @Test
    void solidColoursSurviveEveryConversionPath() throws Exception {
        Color c = new Color(200, 100, 50);
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_ARGB_PRE,
            BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_USHORT_565_RGB}) {
            BufferedImage img = new BufferedImage(4, 3, type);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(c);
            g.fillRect(0, 0, 4, 3);
            g.dispose();
            RgbImage out = RgbConverter.toRgb(img);
            assertColor(out, 1, 1, 200, 100, 50, type == BufferedImage.TYPE_USHORT_565_RGB ? 8 : 0);
        }
    }
}
