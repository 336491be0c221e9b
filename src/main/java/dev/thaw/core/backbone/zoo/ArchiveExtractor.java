package dev.thaw.core.backbone.zoo;

import dev.thaw.core.backbone.zoo.ZooException.Reason;
import dev.thaw.core.util.JobMonitor;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Takes the model file out of a verified archive, and nothing else.
 *
 * <p>Every entry name is checked first: an absolute path, a drive letter or a {@code ..} segment
 * anywhere in the archive refuses the whole archive, as does a link pointing outside it. Only the one
 * chosen member is written, to a file name we pick, so no entry name is ever used as a path and no
 * link is ever created. The member is the one the catalog names, else the only file with the
 * format's extension (preferring the one named after the archive when there are several).
 */
final class ArchiveExtractor {

    private static final int BLOCK = 512;

    private ArchiveExtractor() {
    }

    /** An entry as listed: its checked name, whether it is a regular file, and its link target if a link. */
    record Entry(String name, boolean regularFile, String linkTarget) {
    }

    /**
     * Writes the model member of {@code archive} to {@code dest} and returns the SHA-256 of what was written.
     *
     * @param preferredBase the base name to prefer among several candidates (the archive's name without extension)
     */
    static String extract(Path archive, Packaging packaging, ModelFormat format, String member, String preferredBase, Path dest,
            JobMonitor monitor) throws IOException {
        return switch (packaging) {
            case NONE -> throw new IllegalArgumentException("not an archive");
            case GZIP -> {
                try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
                    yield copy(in, dest, monitor, "Unpacking " + archive.getFileName());
                } catch (java.util.zip.ZipException | EOFException e) {
                    throw bad(archive, "is not a valid gzip file (" + e.getMessage() + ")", e);
                }
            }
            case ZIP -> extractZip(archive, format, member, preferredBase, dest, monitor);
            case TAR, TGZ -> extractTar(archive, packaging == Packaging.TGZ, format, member, preferredBase, dest, monitor);
        };
    }

    private static String extractZip(Path archive, ModelFormat format, String member, String preferredBase, Path dest,
            JobMonitor monitor) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<Entry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry ze = e.nextElement();
                entries.add(new Entry(checkedName(archive, ze.getName()), !ze.isDirectory(), null));
            }
            Entry chosen = choose(archive, entries, format, member, preferredBase);
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry ze = e.nextElement();
                if (!ze.isDirectory() && normalize(ze.getName()).equals(chosen.name())) {
                    try (InputStream in = zip.getInputStream(ze)) {
                        return copy(in, dest, monitor, "Unpacking " + chosen.name());
                    }
                }
            }
            throw new AssertionError("chosen entry vanished: " + chosen.name());
        } catch (java.util.zip.ZipException e) {
            throw bad(archive, "is not a valid zip file (" + e.getMessage() + ")", e);
        }
    }

    private static String extractTar(Path archive, boolean gzip, ModelFormat format, String member, String preferredBase, Path dest,
            JobMonitor monitor) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (TarReader tar = new TarReader(archive, gzip)) {
            Entry e;
            while ((e = tar.next()) != null) {
                entries.add(e);
                monitor.checkCancelled();
            }
        }
        Entry chosen = choose(archive, entries, format, member, preferredBase);
        try (TarReader tar = new TarReader(archive, gzip)) {
            Entry e;
            while ((e = tar.next()) != null) {
                if (e.regularFile() && e.name().equals(chosen.name())) {
                    return copy(tar.content(), dest, monitor, "Unpacking " + chosen.name());
                }
            }
        }
        throw new AssertionError("chosen entry vanished: " + chosen.name());
    }

    /** Lists the entries of an archive, refusing unsafe ones (used by tests and by the extractors). */
    static List<Entry> list(Path archive, Packaging packaging) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (packaging == Packaging.ZIP) {
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                    ZipEntry ze = e.nextElement();
                    entries.add(new Entry(checkedName(archive, ze.getName()), !ze.isDirectory(), null));
                }
            }
        } else if (packaging == Packaging.TAR || packaging == Packaging.TGZ) {
            try (TarReader tar = new TarReader(archive, packaging == Packaging.TGZ)) {
                Entry e;
                while ((e = tar.next()) != null) {
                    entries.add(e);
                }
            }
        }
        return entries;
    }

    private static Entry choose(Path archive, List<Entry> entries, ModelFormat format, String member, String preferredBase) {
        if (member != null) {
            String wanted = normalize(member);
            for (Entry e : entries) {
                if (e.name().equals(wanted)) {
                    if (!e.regularFile()) {
                        throw bad(archive, "holds " + member + " as a link or folder, not as a file", null);
                    }
                    return e;
                }
            }
            throw bad(archive, "has no entry " + member + " (it holds " + names(entries) + ")", null);
        }
        List<Entry> candidates = new ArrayList<>();
        for (Entry e : entries) {
            String lower = e.name().toLowerCase(Locale.ROOT);
            String base = lower.substring(lower.lastIndexOf('/') + 1);
            if (e.regularFile() && lower.endsWith(format.extension()) && !lower.startsWith("__macosx/") && !base.startsWith("._")) {
                candidates.add(e);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw bad(archive, "holds no " + format.extension() + " file (it holds " + names(entries) + ")", null);
        }
        for (Entry e : candidates) {
            String base = e.name().substring(e.name().lastIndexOf('/') + 1);
            if (base.equals(preferredBase + format.extension())) {
                return e;
            }
        }
        throw bad(archive, "holds several " + format.extension() + " files (" + names(candidates)
                + "); the catalog must name the member to use", null);
    }

    private static String names(List<Entry> entries) {
        if (entries.isEmpty()) {
            return "nothing";
        }
        List<String> names = entries.stream().map(Entry::name).limit(10).toList();
        return String.join(", ", names) + (entries.size() > 10 ? ", ..." : "");
    }

    /**
     * The entry name with {@code ./} and trailing slashes removed, after refusing absolute paths,
     * drive letters, NUL and {@code ..} segments (with either slash).
     */
    static String checkedName(Path archive, String raw) {
        if (raw == null || raw.indexOf('\0') >= 0) {
            throw unsafe(archive, String.valueOf(raw));
        }
        String s = raw.replace('\\', '/');
        if (s.startsWith("/") || s.matches("^[A-Za-z]:.*")) {
            throw unsafe(archive, raw);
        }
        for (String segment : s.split("/")) {
            if (segment.equals("..")) {
                throw unsafe(archive, raw);
            }
        }
        return normalize(s);
    }

    private static String normalize(String name) {
        String s = name.replace('\\', '/');
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        s = s.replace("/./", "/");
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** True when a link at {@code name} pointing to {@code target} stays inside the archive's folder. */
    private static boolean linkStaysInside(String name, String target) {
        String t = target.replace('\\', '/');
        if (t.startsWith("/") || t.matches("^[A-Za-z]:.*")) {
            return false;
        }
        int depth = name.split("/").length - 1; // folders above the link
        for (String segment : t.split("/")) {
            if (segment.equals("..")) {
                depth--;
                if (depth < 0) {
                    return false;
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
        return true;
    }

    private static ZooException unsafe(Path archive, String name) {
        return new ZooException(Reason.BAD_ARCHIVE, "Refusing to unpack " + archive.getFileName() + ": the entry \"" + name
                + "\" points outside the target folder (path traversal).");
    }

    private static ZooException bad(Path archive, String what, Throwable cause) {
        return new ZooException(Reason.BAD_ARCHIVE, "The archive " + archive.getFileName() + " " + what + ".", null, null, cause);
    }

    private static String copy(InputStream in, Path dest, JobMonitor monitor, String message) throws IOException {
        MessageDigest md = Checksum.digest(Checksum.SHA_256);
        byte[] buf = new byte[1 << 16];
        long sinceCheck = 0;
        monitor.progress(-1, message);
        try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
                out.write(buf, 0, r);
                sinceCheck += r;
                if (sinceCheck >= 1 << 20) {
                    sinceCheck = 0;
                    monitor.checkCancelled();
                }
            }
        }
        monitor.checkCancelled();
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * A minimal, strict reader of POSIX ustar archives (with GNU long names and PAX path records),
     * enough for model archives. Links are reported, never followed.
     */
    private static final class TarReader implements AutoCloseable {
        private final Path archive;
        private final InputStream in;
        private long remaining; // bytes of the current entry not yet read
        private long padding;
        private final InputStream content = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int r = in.read(b, off, (int) Math.min(len, remaining));
                if (r < 0) {
                    throw new EOFException("tar entry is truncated");
                }
                remaining -= r;
                return r;
            }
        };

        TarReader(Path archive, boolean gzip) throws IOException {
            this.archive = archive;
            InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
            try {
                this.in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            } catch (IOException e) {
                raw.close();
                throw bad(archive, "is not a valid gzip file (" + e.getMessage() + ")", e);
            }
        }

        InputStream content() {
            return content;
        }

        Entry next() throws IOException {
            String longName = null;
            String longLink = null;
            while (true) {
                skip(remaining + padding);
                remaining = 0;
                padding = 0;
                byte[] h = new byte[BLOCK];
                if (!readBlock(h)) {
                    return null;
                }
                if (isZero(h)) {
                    return null; // end-of-archive marker
                }
                verifyChecksum(h);
                char type = (char) h[156];
                long size = parseSize(h);
                remaining = size;
                padding = (BLOCK - size % BLOCK) % BLOCK;
                if (type == 'L' || type == 'K' || type == 'x') {
                    String text = readText(size);
                    if (type == 'L') {
                        longName = trimNul(text);
                    } else if (type == 'K') {
                        longLink = trimNul(text);
                    } else {
                        String path = paxValue(text, "path");
                        String link = paxValue(text, "linkpath");
                        longName = path != null ? path : longName;
                        longLink = link != null ? link : longLink;
                    }
                    continue;
                }
                if (type == 'g') {
                    continue; // global PAX header: nothing we need
                }
                String name = longName != null ? longName : headerName(h);
                String checked = checkedName(archive, name);
                if (type == '1' || type == '2') {
                    String target = longLink != null ? longLink : field(h, 157, 100);
                    boolean inside = type == '1' ? !checkedName(archive, target).isEmpty() : linkStaysInside(checked, target);
                    if (!inside) {
                        throw new ZooException(Reason.BAD_ARCHIVE, "Refusing to unpack " + archive.getFileName() + ": the link \"" + name
                                + "\" points outside the target folder (" + target + ").");
                    }
                    return new Entry(checked, false, target);
                }
                boolean regular = type == '0' || type == '\0' || type == '7';
                return new Entry(checked, regular, null);
            }
        }

        private static String headerName(byte[] h) {
            String name = field(h, 0, 100);
            String magic = field(h, 257, 6);
            if (magic.startsWith("ustar")) {
                String prefix = field(h, 345, 155);
                if (!prefix.isEmpty()) {
                    return prefix + "/" + name;
                }
            }
            return name;
        }

        private void verifyChecksum(byte[] h) {
            long sum = 0;
            for (int i = 0; i < BLOCK; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
            }
            String stored = field(h, 148, 8).trim();
            long expected;
            try {
                expected = Long.parseLong(stored, 8);
            } catch (NumberFormatException e) {
                throw bad(archive, "is not a valid tar file (bad header)", e);
            }
            if (sum != expected) {
                throw bad(archive, "is not a valid tar file (header checksum mismatch)", null);
            }
        }

        private long parseSize(byte[] h) {
            if ((h[124] & 0x80) != 0) { // GNU base-256 for sizes over 8 GB
                long v = 0;
                for (int i = 125; i < 136; i++) {
                    v = (v << 8) | (h[i] & 0xff);
                }
                return v;
            }
            String s = field(h, 124, 12).trim();
            try {
                return s.isEmpty() ? 0 : Long.parseLong(s, 8);
            } catch (NumberFormatException e) {
                throw bad(archive, "is not a valid tar file (bad size field)", e);
            }
        }

        private String readText(long size) throws IOException {
            if (size > 1 << 20) {
                throw bad(archive, "has an oversized tar header record", null);
            }
            byte[] b = content.readNBytes((int) size);
            return new String(b, StandardCharsets.UTF_8);
        }

        private static String paxValue(String records, String key) {
            // records: "<len> <key>=<value>\n" ...
            for (String line : records.split("\n")) {
                int space = line.indexOf(' ');
                int eq = line.indexOf('=');
                if (space > 0 && eq > space && line.substring(space + 1, eq).equals(key)) {
                    return line.substring(eq + 1);
                }
            }
            return null;
        }

        private static String field(byte[] h, int off, int len) {
            int end = off;
            while (end < off + len && h[end] != 0) {
                end++;
            }
            return new String(h, off, end - off, StandardCharsets.UTF_8);
        }

        private static String trimNul(String s) {
            int i = s.indexOf('\0');
            return i >= 0 ? s.substring(0, i) : s;
        }

        private static boolean isZero(byte[] h) {
            for (byte b : h) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        private boolean readBlock(byte[] h) throws IOException {
            int n = in.readNBytes(h, 0, BLOCK);
            if (n == 0) {
                return false;
            }
            if (n < BLOCK) {
                throw bad(archive, "is not a valid tar file (truncated header)", null);
            }
            return true;
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long s = in.skip(left);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("tar archive is truncated");
                    }
                    s = 1;
                }
                left -= s;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
