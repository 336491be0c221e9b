package dev.thaw.core.backbone.zoo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import dev.thaw.core.util.JobMonitor;

/** Test models, archives made from them at test time, and catalog entries describing them. */
final class ZooFixtures {

    static final byte[] TINY_PT = resource("/models/tiny-resnet.pt");
    static final byte[] TINY_ONNX = resource("/models/tiny-resnet.onnx");

    private ZooFixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = ZooFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Checksum.digest(Checksum.SHA_256).digest(bytes));
    }

    static String sha1(byte[] bytes) {
        return HexFormat.of().formatHex(Checksum.digest(Checksum.SHA_1).digest(bytes));
    }

    /** A published file described by its real size and SHA-256. */
    static ZooFile file(ModelFormat format, String url, Packaging packaging, byte[] content) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        return new ZooFile(format, url, name, packaging, null, content.length, null, sha256(content), "test");
    }

    /** Like {@link #file} but with only a SHA-1, as DJL publishes. */
    static ZooFile sha1File(ModelFormat format, String url, Packaging packaging, byte[] content) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        return new ZooFile(format, url, name, packaging, null, content.length, sha1(content), null, "test");
    }

    static ZooEntry entry(String name, ZooFile... files) {
        return new ZooEntry(name, "Tiny ResNet (test)", "a test backbone", "embedding", 32, 0, new double[] {0.5, 0.5, 0.5},
                new double[] {0.25, 0.25, 0.25}, 32, "test", null, null, "test", null, List.of(files));
    }

    /** A zip with the given (name, content) pairs, in order; names are written as given, even unsafe ones. */
    static byte[] zip(Object... nameThenBytes) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(bos)) {
            for (int i = 0; i < nameThenBytes.length; i += 2) {
                zos.putNextEntry(new ZipEntry((String) nameThenBytes[i]));
                zos.write((byte[]) nameThenBytes[i + 1]);
                zos.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** One tar entry: a regular file ('0'), a folder ('5') or a symbolic link ('2'). */
    record TarItem(String name, char type, byte[] content, String linkTarget) {
        static TarItem file(String name, byte[] content) {
            return new TarItem(name, '0', content, "");
        }

        static TarItem symlink(String name, String target) {
            return new TarItem(name, '2', new byte[0], target);
        }
    }

    /** A POSIX ustar archive, written by hand so tests need no archiver. */
    static byte[] tar(TarItem... items) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (TarItem item : items) {
            byte[] h = new byte[512];
            put(h, 0, 100, item.name());
            put(h, 100, 8, "0000644");
            put(h, 108, 8, "0000000");
            put(h, 116, 8, "0000000");
            put(h, 124, 12, String.format("%011o", item.content().length));
            put(h, 136, 12, String.format("%011o", 0));
            h[156] = (byte) item.type();
            put(h, 157, 100, item.linkTarget());
            put(h, 257, 6, "ustar");
            h[262] = 0;
            put(h, 263, 2, "00");
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 7, String.format("%06o", sum));
            h[154] = 0;
            h[155] = ' ';
            bos.writeBytes(h);
            bos.writeBytes(item.content());
            int pad = (512 - item.content().length % 512) % 512;
            bos.writeBytes(new byte[pad]);
        }
        bos.writeBytes(new byte[1024]);
        return bos.toByteArray();
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    /** A monitor that records messages and can be cancelled, by hand or when a message matches. */
    static final class RecordingMonitor implements JobMonitor {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<Double> fractions = new CopyOnWriteArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        private final Predicate<String> cancelWhen;

        RecordingMonitor() {
            this(m -> false);
        }

        RecordingMonitor(Predicate<String> cancelWhen) {
            this.cancelWhen = cancelWhen;
        }

        @Override
        public void progress(double fraction, String message) {
            messages.add(message);
            fractions.add(fraction);
            if (cancelWhen.test(message)) {
                cancelled.set(true);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }
}
