package dev.thaw.core.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes small test images of every kind the decoder must handle, at test time. */
final class TestImages {

    private TestImages() {
    }

    /** A random-looking RGB picture (distinct per seed, so no accidental duplicates). */
    static BufferedImage picture(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(seed);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 6; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillOval(r.nextInt(w), r.nextInt(h), 1 + r.nextInt(w), 1 + r.nextInt(h));
        }
        g.dispose();
        return img;
    }

    static BufferedImage solid(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no writer for " + format + " and " + img);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static Path write(Path file, BufferedImage img, String format) throws IOException {
        return write(file, encode(img, format));
    }

    static byte[] jpeg(BufferedImage img, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        if (progressive) {
            p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return bos.toByteArray();
    }

    /**
     * A CMYK JPEG: a 4-band raster written as is, plus the Adobe APP14 marker (transform 0) that tells
     * decoders the 4 components are CMYK. Stored inverted, as Adobe software writes CMYK JPEGs.
     * Left half cyan, right half red (magenta + yellow).
     */
    static byte[] cmykJpeg(int w, int h) throws IOException {
        WritableRaster ras = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] cmyk = x < w / 2 ? new int[] {255, 0, 0, 0} : new int[] {0, 255, 255, 0};
                for (int i = 0; i < 4; i++) {
                    cmyk[i] = 255 - cmyk[i];
                }
                ras.setPixel(x, y, cmyk);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(ras, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        byte[] b = bos.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return insertAfterSoi(b, adobe);
    }

    /** {@code jpeg} with an EXIF APP1 segment carrying {@code orientation}, placed after the JFIF segment. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, // header, IFD0 at 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, // orientation, SHORT, count 1
            0, 0, 0, 0}; // no next IFD
        byte[] id = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + id.length + tiff.length;
        byte[] seg = new byte[2 + length];
        seg[0] = (byte) 0xFF;
        seg[1] = (byte) 0xE1;
        seg[2] = (byte) (length >> 8);
        seg[3] = (byte) length;
        System.arraycopy(id, 0, seg, 4, id.length);
        System.arraycopy(tiff, 0, seg, 4 + id.length, tiff.length);
        // after SOI and, if present, the APP0 (JFIF) segment
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        byte[] out = new byte[jpeg.length + seg.length];
        System.arraycopy(jpeg, 0, out, 0, at);
        System.arraycopy(seg, 0, out, at, seg.length);
        System.arraycopy(jpeg, at, out, at + seg.length, jpeg.length - at);
        return out;
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    /** The bytes of a JPEG whose entropy-coded data is overwritten with noise in the middle. */
    static byte[] scrambledJpeg(byte[] jpeg, long seed) {
        byte[] c = jpeg.clone();
        Random r = new Random(seed);
        int sos = 0;
        for (int i = 2; i < c.length - 1; i++) {
            if ((c[i] & 0xFF) == 0xFF && (c[i + 1] & 0xFF) == 0xDA) {
                sos = i;
                break;
            }
        }
        int from = sos + 20 + (c.length - sos) / 4;
        for (int i = from; i < Math.min(c.length - 4, from + 300); i++) {
            c[i] = (byte) r.nextInt(256);
        }
        return c;
    }

    static BufferedImage rgba(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // left half opaque red, right half fully transparent "black"
                img.setRGB(x, y, x < w / 2 ? 0xFFFF0000 : 0x00000000);
            }
        }
        return img;
    }

    static BufferedImage gray16(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value);
            }
        }
        return img;
    }

    static BufferedImage rgb16(int w, int h, int red, int green, int blue) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, w, h, 3, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, new int[] {red, green, blue});
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    static BufferedImage grayAlpha(int w, int h, int gray, int alpha) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 2, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, new int[] {gray, alpha});
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    /** A palette image: index 0 transparent, 1 blue, 2 yellow; top half blue, bottom left yellow, bottom right transparent. */
    static BufferedImage palette(int w, int h) {
        byte[] r = {0, 0, (byte) 255};
        byte[] g = {0, 0, (byte) 255};
        byte[] b = {0, (byte) 255, 0};
        byte[] a = {0, (byte) 255, (byte) 255};
        IndexColorModel icm = new IndexColorModel(2, 3, r, g, b, a);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, icm);
        WritableRaster ras = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setSample(x, y, 0, y < h / 2 ? 1 : x < w / 2 ? 2 : 0);
            }
        }
        return img;
    }

    static BufferedImage grayBytes(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value);
            }
        }
        return img;
    }

    /** An animated GIF: the first frame red, the second green. */
    static byte[] animatedGif(int w, int h) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(indexed(solid(w, h, Color.RED)), null, null), null);
            writer.writeToSequence(new IIOImage(indexed(solid(w, h, Color.GREEN)), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bos.toByteArray();
    }

    private static BufferedImage indexed(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    /**
     * A {@code w x h} 8-bit gray PNG written row by row through a deflater, never held in memory: rows
     * are gray {@code 40 + 20 * (y * 10 / h)} (ten horizontal bands), which compresses about 1000:1, so
     * a 10000x10000 image is about 100 kB on disk.
     */
    static Path hugePng(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(w);
            d.writeInt(h);
            d.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit, gray, deflate, no filter method, no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            try (OutputStream idat = new ChunkStream(out, "IDAT");
                    DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
                byte[] row = new byte[w + 1];
                int band = -1;
                for (int y = 0; y < h; y++) {
                    int b = (int) ((long) y * 10 / h);
                    if (b != band) {
                        band = b;
                        Arrays.fill(row, 1, row.length, (byte) (40 + 20 * b));
                    }
                    z.write(row);
                }
            }
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /** A PNG whose header declares {@code w x h} but holds almost no data: a decompression-bomb stand-in. */
    static byte[] bombPngHeader(int w, int h) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream dz = new DeflaterOutputStream(z)) {
            dz.write(new byte[1024]);
        }
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return bos.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /** Writes what it is given as a series of PNG chunks of one type. */
    private static final class ChunkStream extends OutputStream {
        private final DataOutputStream out;
        private final String type;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        ChunkStream(DataOutputStream out, String type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            buffer.write(b);
            flushIfFull();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            buffer.write(b, off, len);
            flushIfFull();
        }

        private void flushIfFull() throws IOException {
            if (buffer.size() >= 1 << 16) {
                emit();
            }
        }

        private void emit() throws IOException {
            if (buffer.size() > 0) {
                chunk(out, type, buffer.toByteArray());
                buffer.reset();
            }
        }

        @Override
        public void close() throws IOException {
            emit();
        }
    }
}
