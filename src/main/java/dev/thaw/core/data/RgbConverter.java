package dev.thaw.core.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Turns whatever a decoder returned into 8-bit sRGB bytes, the same way for every format:
 *
 * <ul>
 *   <li>gray (8 or 16 bit) is copied to R, G and B as stored. Java's {@code getRGB} would treat gray
 *       as linear light and brighten it; Pillow and OpenCV copy the value, and so do we;
 *   <li>16-bit samples are rounded to 8 bits;
 *   <li>alpha (RGBA, gray+alpha, transparent palette entries) is composited over white, the
 *       background transparent images are usually drawn on; dropping alpha instead would expose
 *       whatever colour the fully transparent pixels happen to hold (often black);
 *   <li>palettes are looked up; anything else (non-sRGB ICC profiles, premultiplied alpha, float
 *       samples) goes through Java's colour management, row by row.
 * </ul>
 *
 * <p>The common layouts (interleaved 8-bit, packed int) read the raster's array directly instead of
 * calling {@code getRGB} per pixel.
 */
final class RgbConverter {

    private RgbConverter() {
    }

    static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        if (!cm.isAlphaPremultiplied() && !(cm instanceof IndexColorModel)) {
            if (cm instanceof ComponentColorModel && raster.getDataBuffer() instanceof DataBufferByte
                    && raster.getSampleModel() instanceof ComponentSampleModel csm && isPlainColorSpace(cm)
                    && allComponentsHaveBits(cm, 8)) {
                interleavedBytes(raster, csm, cm, out);
                return new RgbImage(w, h, out);
            }
            if (cm instanceof DirectColorModel dcm && raster.getDataBuffer() instanceof DataBufferInt
                    && raster.getSampleModel() instanceof SinglePixelPackedSampleModel
                    && dcm.getColorSpace().isCS_sRGB() && isStandardIntLayout(dcm)) {
                packedInts(raster, dcm.hasAlpha(), out);
                return new RgbImage(w, h, out);
            }
            if (cm instanceof ComponentColorModel && isPlainColorSpace(cm) && isIntegral(raster.getDataBuffer().getDataType())) {
                componentRows(raster, cm, out);
                return new RgbImage(w, h, out);
            }
        }
        if (cm instanceof IndexColorModel icm && raster.getNumBands() == 1) {
            palette(raster, icm, out);
            return new RgbImage(w, h, out);
        }
        colorManaged(img, out);
        return new RgbImage(w, h, out);
    }

    /** sRGB or gray: the two colour spaces whose stored values we take as they are. */
    private static boolean isPlainColorSpace(ColorModel cm) {
        ColorSpace cs = cm.getColorSpace();
        return cs.isCS_sRGB() || (cs.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1);
    }

    private static boolean allComponentsHaveBits(ColorModel cm, int bits) {
        for (int i = 0; i < cm.getNumComponents(); i++) {
            if (cm.getComponentSize(i) != bits) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIntegral(int dataType) {
        return dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT || dataType == DataBuffer.TYPE_SHORT
                || dataType == DataBuffer.TYPE_INT;
    }

    private static boolean isStandardIntLayout(DirectColorModel dcm) {
        return dcm.getRedMask() == 0xFF0000 && dcm.getGreenMask() == 0xFF00 && dcm.getBlueMask() == 0xFF
                && (!dcm.hasAlpha() || dcm.getAlphaMask() == 0xFF000000);
    }

    /** 8-bit samples, any band order (BGR, ABGR, RGB, gray, gray+alpha), read straight from the array. */
    private static void interleavedBytes(Raster raster, ComponentSampleModel csm, ColorModel cm, byte[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[][] banks = ((DataBufferByte) raster.getDataBuffer()).getBankData();
        int[] bankIndices = csm.getBankIndices();
        int[] bandOffsets = csm.getBandOffsets();
        int pixelStride = csm.getPixelStride();
        int scanline = csm.getScanlineStride();
        int origin = raster.getDataBuffer().getOffset()
                + csm.getOffset(-raster.getSampleModelTranslateX(), -raster.getSampleModelTranslateY(), 0) - bandOffsets[0];
        boolean gray = cm.getNumColorComponents() == 1;
        boolean alpha = cm.hasAlpha();
        int alphaBand = cm.getNumColorComponents();
        byte[] r = banks[bankIndices[0]];
        byte[] g = gray ? r : banks[bankIndices[1]];
        byte[] b = gray ? r : banks[bankIndices[2]];
        byte[] a = alpha ? banks[bankIndices[alphaBand]] : null;
        int offR = bandOffsets[0];
        int offG = gray ? offR : bandOffsets[1];
        int offB = gray ? offR : bandOffsets[2];
        int offA = alpha ? bandOffsets[alphaBand] : 0;
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = origin + y * scanline;
            if (alpha) {
                for (int x = 0; x < w; x++, p += pixelStride) {
                    int av = a[p + offA] & 0xFF;
                    out[o++] = (byte) overWhite(r[p + offR] & 0xFF, av);
                    out[o++] = (byte) overWhite(g[p + offG] & 0xFF, av);
                    out[o++] = (byte) overWhite(b[p + offB] & 0xFF, av);
                }
            } else {
                for (int x = 0; x < w; x++, p += pixelStride) {
                    out[o++] = r[p + offR];
                    out[o++] = g[p + offG];
                    out[o++] = b[p + offB];
                }
            }
        }
    }

    private static void packedInts(Raster raster, boolean alpha, byte[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        SinglePixelPackedSampleModel sm = (SinglePixelPackedSampleModel) raster.getSampleModel();
        int[] data = ((DataBufferInt) raster.getDataBuffer()).getData();
        int scanline = sm.getScanlineStride();
        int origin = raster.getDataBuffer().getOffset()
                + sm.getOffset(-raster.getSampleModelTranslateX(), -raster.getSampleModelTranslateY());
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = origin + y * scanline;
            for (int x = 0; x < w; x++) {
                int v = data[p + x];
                int r = (v >> 16) & 0xFF;
                int g = (v >> 8) & 0xFF;
                int b = v & 0xFF;
                if (alpha) {
                    int a = v >>> 24;
                    r = overWhite(r, a);
                    g = overWhite(g, a);
                    b = overWhite(b, a);
                }
                out[o++] = (byte) r;
                out[o++] = (byte) g;
                out[o++] = (byte) b;
            }
        }
    }

    /** Any integral bit depth (16-bit PNG, 1..16-bit gray, gray+alpha): one row of samples at a time. */
    private static void componentRows(Raster raster, ColorModel cm, byte[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        boolean gray = cm.getNumColorComponents() == 1;
        boolean alpha = cm.hasAlpha();
        int colorBands = cm.getNumColorComponents();
        int[] max = new int[bands];
        for (int i = 0; i < bands; i++) {
            max[i] = (1 << Math.min(cm.getComponentSize(i), 30)) - 1;
        }
        int[] row = new int[w * bands];
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(minX, minY + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                int r = to8(row[p], max[0]);
                int g = gray ? r : to8(row[p + 1], max[1]);
                int b = gray ? r : to8(row[p + 2], max[2]);
                if (alpha) {
                    int a = to8(row[p + colorBands], max[colorBands]);
                    r = overWhite(r, a);
                    g = overWhite(g, a);
                    b = overWhite(b, a);
                }
                out[o++] = (byte) r;
                out[o++] = (byte) g;
                out[o++] = (byte) b;
            }
        }
    }

    private static void palette(Raster raster, IndexColorModel icm, byte[] out) {
        int size = icm.getMapSize();
        byte[] lut = new byte[256 * 3];
        int entries = Math.min(size, 256);
        for (int i = 0; i < entries; i++) {
            int argb = icm.getRGB(i);
            int a = argb >>> 24;
            lut[3 * i] = (byte) overWhite((argb >> 16) & 0xFF, a);
            lut[3 * i + 1] = (byte) overWhite((argb >> 8) & 0xFF, a);
            lut[3 * i + 2] = (byte) overWhite(argb & 0xFF, a);
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int idx = row[x];
                if (idx < 0 || idx >= entries) {
                    idx = 0;
                }
                out[o++] = lut[3 * idx];
                out[o++] = lut[3 * idx + 1];
                out[o++] = lut[3 * idx + 2];
            }
        }
    }

    /** Java's colour management (ICC profiles, premultiplied alpha, float samples), one row at a time. */
    private static void colorManaged(BufferedImage img, byte[] out) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int v = row[x];
                int a = v >>> 24;
                out[o++] = (byte) overWhite((v >> 16) & 0xFF, a);
                out[o++] = (byte) overWhite((v >> 8) & 0xFF, a);
                out[o++] = (byte) overWhite(v & 0xFF, a);
            }
        }
    }

    private static int to8(int value, int max) {
        if (max == 255) {
            return value & 0xFF;
        }
        long v = Math.max(0, Math.min(value, max));
        return (int) ((v * 255 + max / 2) / max);
    }

    /** {@code c} composited over white with coverage {@code a} (both 0..255), rounded. */
    static int overWhite(int c, int a) {
        if (a == 255) {
            return c;
        }
        return (c * a + 255 * (255 - a) + 127) / 255;
    }
}
