package dev.thaw.core.backbone.zoo;

import dev.thaw.core.backbone.zoo.ZooException.Reason;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrained backbones by name: {@code fetch("resnet18-embedding", home, monitor)} returns a local,
 * verified model file, downloading it on first use.
 *
 * <p>Each entry lives in its own folder under {@link AppHome#models()}:
 * <pre>
 * models/resnet18-embedding/
 *   resnet18-embedding.pt          the backbone (TorchScript when the entry has one)
 *   resnet18-embedding.onnx        its ONNX form, when the entry has one
 *   resnet18-embedding.json        sidecar: name, inputSize, mean, std, featureDim
 *   resnet18-embedding.pt.verified size, mtime and SHA-256 recorded at verification
 *   .lock                          held while one process installs the entry
 * </pre>
 *
 * <p>A verified file whose size and modification time still match its marker is used without any
 * network access or hashing. A file that changed is hashed again. A file the user downloaded by
 * hand and put at {@link #manualPath} (the published file name in the entry's folder) is accepted
 * when its published checksum matches, which is how air-gapped machines install backbones.
 *
 * <p>The base URL of relative catalog URLs is, in order: the constructor argument, the system
 * property {@value #BASE_URL_PROPERTY}, the environment variable {@value #BASE_URL_ENV}, then the
 * catalog's own (a mirror only needs to keep the path layout).
 */
public final class ModelZoo {

    public static final String BASE_URL_PROPERTY = "thaw.zoo.baseUrl";
    public static final String BASE_URL_ENV = "THAW_ZOO_BASE_URL";

    private static final Logger LOG = LoggerFactory.getLogger(ModelZoo.class);

    private final AppHome home;
    private final ZooCatalog catalog;
    private final URI baseUrl;
    private final Downloader downloader;

    /** The built-in catalog, the configured base URL and default timeouts. */
    public ModelZoo(AppHome home) {
        this(home, ZooCatalog.bundled(), null, new Downloader());
    }

    /**
     * @param baseUrl the base for relative URLs, or null for the property, the environment or the catalog's
     */
    public ModelZoo(AppHome home, ZooCatalog catalog, URI baseUrl, Downloader downloader) {
        this.home = Objects.requireNonNull(home, "home");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.baseUrl = withSlash(baseUrl != null ? baseUrl : configuredBaseUrl(catalog));
    }

    /**
     * The local, verified backbone {@code name} from the built-in catalog, downloading it if needed:
     * the TorchScript file when the entry has one, else the ONNX file. Its sidecar
     * {@code <base name>.json} is next to it, and so is an {@code .onnx} sibling when the entry has one.
     *
     * @throws ZooException with a message naming the URL or file when it cannot be had
     * @throws CancellationException when {@code monitor} is cancelled; nothing half-done is left
     */
    public static Path fetch(String name, AppHome home, JobMonitor monitor) {
        return new ModelZoo(home).fetch(name, monitor);
    }

    /** The names in the built-in catalog. */
    public static List<String> names() {
        return ZooCatalog.bundled().names();
    }

    /** The entries of the built-in catalog (for the GUI). */
    public static List<ZooEntry> entries() {
        return ZooCatalog.bundled().entries();
    }

    public ZooCatalog catalog() {
        return catalog;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** The URL {@code file} is downloaded from with this zoo's base URL. */
    public URI url(ZooFile file) {
        return file.resolve(baseUrl);
    }

    /** The entry's folder under {@code models/}. */
    public Path folder(String name) {
        return home.models().resolve(catalog.entry(name).name());
    }

    /** Where {@link #fetch} puts the entry's file of {@code format}. */
    public Path installedPath(String name, ModelFormat format) {
        return folder(name).resolve(name + format.extension());
    }

    /** Where a hand-downloaded copy of {@code file} is picked up and verified: the published name in the entry's folder. */
    public Path manualPath(String name, ZooFile file) {
        return folder(name).resolve(file.fileName());
    }

    /** True when every file of the entry is installed and unchanged since it was verified (no hashing, no network). */
    public boolean isCached(String name) {
        ZooEntry entry = catalog.entry(name);
        for (ZooFile f : entry.files()) {
            Path target = installedPath(name, f.format());
            VerifiedMarker m = VerifiedMarker.read(target);
            if (m == null || !m.stillDescribes(target, f.checksum().toString())) {
                return false;
            }
        }
        return true;
    }

    /** Instance form of {@link #fetch(String, AppHome, JobMonitor)}, with this zoo's catalog and base URL. */
    public Path fetch(String name, JobMonitor monitor) {
        ZooEntry entry = catalog.entry(name);
        Path primary = installedPath(name, entry.primaryFormat());
        if (isCached(name)) {
            writeSidecar(entry);
            return primary;
        }
        Path dir = AppHome.ensureDirectory(folder(name));
        EntryLock lock;
        try {
            lock = EntryLock.acquire(dir, name, monitor);
        } catch (IOException e) {
            throw new ZooException(Reason.IO, "Cannot lock " + dir + ": " + e.getMessage(), null, null, e);
        }
        try (lock) {
            List<ZooFile> files = new ArrayList<>(entry.files());
            files.sort(Comparator.comparing(ZooFile::format)); // TorchScript first
            long total = files.stream().mapToLong(f -> Math.max(1, f.size())).sum();
            double start = 0;
            for (ZooFile f : files) {
                double width = (double) Math.max(1, f.size()) / total;
                install(entry, f, new SubMonitor(monitor, start, width));
                start += width;
            }
            writeSidecar(entry);
            monitor.progress(1, entry.title() + " is ready");
            return primary;
        } catch (IOException e) {
            throw new ZooException(Reason.IO, "Cannot install " + name + " in " + dir + ": " + e.getMessage(), null, null, e);
        }
    }

    private void install(ZooEntry entry, ZooFile file, JobMonitor monitor) throws IOException {
        Path target = installedPath(entry.name(), file.format());
        String published = file.checksum().toString();
        if (Files.exists(target) && reverify(entry, file, target, monitor)) {
            return;
        }
        Path manual = manualPath(entry.name(), file);
        String rejected = null;
        if (!manual.equals(target) && Files.isRegularFile(manual)) {
            monitor.progress(-1, "Checking " + manual.getFileName() + " (placed by hand)");
            String problem = mismatch(file, manual);
            if (problem == null) {
                LOG.info("Using hand-placed {} ({} verified)", manual, file.checksum().label());
                finish(entry, file, manual, target, "file placed by hand: " + manual, true, monitor);
                return;
            }
            Path aside = manual.resolveSibling(manual.getFileName() + ".rejected");
            Downloader.moveIntoPlace(manual, aside);
            rejected = "The file placed by hand at " + manual + " " + problem + "; it was renamed to " + aside.getFileName() + ".";
            LOG.warn(rejected);
        }
        URI url = url(file);
        Path downloadTo = file.packaging() == Packaging.NONE ? target : manual;
        Path downloaded;
        try {
            downloaded = downloader.download(new Downloader.Request(url, downloadTo, file.size(), file.checksum(), file.fileName()), monitor);
        } catch (ZooException e) {
            String prefix = rejected == null ? "" : rejected + " ";
            if (e.isNetworkProblem()) {
                throw new ZooException(e.reason(), prefix + e.getMessage() + " Without internet access: download that file on another"
                        + " machine and put it at " + manual + "; Thaw checks its " + file.checksum().label() + " and uses it.", url, manual,
                        e);
            }
            throw rejected == null ? e : new ZooException(e.reason(), prefix + e.getMessage(), url, manual, e);
        }
        finish(entry, file, downloaded, target, url.toString(), false, monitor);
        LOG.info("Installed {} from {} ({})", target, url, published);
    }

    /** Checks an installed file that has no matching marker; true when it may be used. */
    private boolean reverify(ZooEntry entry, ZooFile file, Path target, JobMonitor monitor) throws IOException {
        String published = file.checksum().toString();
        VerifiedMarker marker = VerifiedMarker.read(target);
        if (marker != null && marker.stillDescribes(target, published)) {
            return true;
        }
        monitor.progress(-1, "Checking " + target.getFileName());
        if (file.packaging() == Packaging.NONE) {
            // the installed file is the published file: check it against the published checksum
            // (this also accepts a file placed by hand under the installed name)
            if (mismatch(file, target) == null) {
                VerifiedMarker.write(target, Checksum.hash(target, Checksum.SHA_256), published, marker == null ? "file found in place: "
                        + target : marker.source());
                return true;
            }
        } else if (marker != null && marker.sourceChecksum().equals(published) && marker.sha256() != null
                && marker.sha256().equals(Checksum.hash(target, Checksum.SHA_256))) {
            // unpacked from a verified archive: the recorded hash of the unpacked file is the reference
            VerifiedMarker.write(target, marker.sha256(), published, marker.source());
            return true;
        }
        LOG.warn("{} does not match what was verified; installing it again", target);
        Downloader.deleteQuietly(target, VerifiedMarker.markerFor(target));
        return false;
    }

    /** Null when {@code path} has the published size and checksum, else what is wrong with it. */
    private static String mismatch(ZooFile file, Path path) throws IOException {
        long size = Files.size(path);
        if (file.size() >= 0 && size != file.size()) {
            return "has " + size + " bytes, not the published " + file.size();
        }
        String actual = file.checksum().compute(path);
        if (!actual.equals(file.checksum().hex())) {
            return "does not match the published " + file.checksum().label() + " " + file.checksum().hex() + " (it has " + actual + ")";
        }
        return null;
    }

    /** Moves or unpacks a verified published file into {@code target} and records the verification. */
    private void finish(ZooEntry entry, ZooFile file, Path verified, Path target, String source, boolean handPlaced, JobMonitor monitor)
            throws IOException {
        String sha256;
        if (file.packaging() == Packaging.NONE) {
            if (!verified.equals(target)) {
                Downloader.moveIntoPlace(verified, target);
            }
            sha256 = file.sha256() != null ? file.checksum().hex() : Checksum.hash(target, Checksum.SHA_256);
        } else {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".unpacking");
            try {
                sha256 = ArchiveExtractor.extract(verified, file.packaging(), file.format(), file.member(), baseName(file.fileName()), tmp,
                        monitor);
                Downloader.moveIntoPlace(tmp, target);
            } catch (IOException | RuntimeException e) {
                Downloader.deleteQuietly(tmp);
                if (handPlaced && !(e instanceof CancellationException)) {
                    Downloader.moveIntoPlace(verified, verified.resolveSibling(verified.getFileName() + ".rejected"));
                } else if (!handPlaced) {
                    Downloader.deleteQuietly(verified);
                }
                if (e instanceof IOException io) {
                    throw new ZooException(Reason.BAD_ARCHIVE, "Cannot unpack " + verified.getFileName() + ": " + io.getMessage(), null,
                            null, io);
                }
                throw e;
            }
            // the archive has served its purpose; the marker keeps the unpacked file's hash
            Downloader.deleteQuietly(verified);
        }
        VerifiedMarker.write(target, sha256, file.checksum().toString(), source);
    }

    private void writeSidecar(ZooEntry entry) {
        Path primary = installedPath(entry.name(), entry.primaryFormat());
        String base = primary.getFileName().toString();
        Path sidecar = primary.resolveSibling(base.substring(0, base.lastIndexOf('.')) + ".json");
        String text = Json.PRETTY.toJson(Sidecar.of(entry)) + "\n";
        try {
            if (Files.isRegularFile(sidecar) && Files.readString(sidecar, StandardCharsets.UTF_8).equals(text)) {
                return;
            }
        } catch (IOException e) {
            // rewrite it below
        }
        Json.writeString(sidecar, text);
    }

    /** {@code resnet18_embedding.zip} -> {@code resnet18_embedding}; {@code x.pt.gz} -> {@code x}; {@code x.tar.gz} -> {@code x}. */
    static String baseName(String fileName) {
        String s = fileName;
        for (String ext : new String[] {".gz", ".tgz", ".tar", ".zip", ".pt", ".onnx"}) {
            if (s.endsWith(ext)) {
                s = s.substring(0, s.length() - ext.length());
            }
        }
        return s;
    }

    private static URI configuredBaseUrl(ZooCatalog catalog) {
        String prop = System.getProperty(BASE_URL_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return URI.create(prop.trim());
        }
        String env = System.getenv(BASE_URL_ENV);
        if (env != null && !env.isBlank()) {
            return URI.create(env.trim());
        }
        return catalog.baseUrl();
    }

    private static URI withSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? u : URI.create(s + "/");
    }
}
