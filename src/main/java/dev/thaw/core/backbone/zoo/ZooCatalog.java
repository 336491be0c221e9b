package dev.thaw.core.backbone.zoo;

import com.google.gson.JsonParseException;
import dev.thaw.core.backbone.zoo.ZooException.Reason;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The list of downloadable backbones. The built-in one is {@code catalog.json} next to this class
 * (data, not code); tests and air-gapped sites can pass their own.
 */
public final class ZooCatalog {

    /** The built-in catalog's resource path. */
    public static final String RESOURCE = "/dev/thaw/core/backbone/zoo/catalog.json";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");

    /** The JSON document's shape. */
    private record Document(int catalogVersion, String baseUrl, String source, List<ZooEntry> entries) {
    }

    private static final class Bundled {
        static final ZooCatalog INSTANCE = loadBundled();
    }

    private final URI baseUrl;
    private final String source;
    private final List<ZooEntry> entries;

    private ZooCatalog(URI baseUrl, String source, List<ZooEntry> entries) {
        this.baseUrl = withSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.source = source == null ? "" : source;
        this.entries = List.copyOf(entries);
        validate(this.entries);
    }

    /** A catalog from entries (tests, custom catalogs built in code). */
    public static ZooCatalog of(URI baseUrl, List<ZooEntry> entries) {
        return new ZooCatalog(baseUrl, "", entries);
    }

    /** The built-in catalog, parsed once (it is immutable). */
    public static ZooCatalog bundled() {
        return Bundled.INSTANCE;
    }

    /** A catalog JSON file in the same format as the built-in one. */
    public static ZooCatalog read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses catalog JSON; {@code origin} names it in error messages. */
    public static ZooCatalog parse(String json, String origin) {
        Document doc;
        try {
            doc = Json.PRETTY.fromJson(json, Document.class);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("Malformed zoo catalog " + origin + ": " + e.getMessage(), e);
        }
        if (doc == null || doc.entries() == null || doc.baseUrl() == null) {
            throw new IllegalArgumentException("The zoo catalog " + origin + " needs \"baseUrl\" and \"entries\"");
        }
        try {
            return new ZooCatalog(URI.create(doc.baseUrl()), doc.source(), doc.entries());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Invalid zoo catalog " + origin + ": " + e.getMessage(), e);
        }
    }

    private static ZooCatalog loadBundled() {
        try (InputStream in = ZooCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The built-in zoo catalog " + RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void validate(List<ZooEntry> entries) {
        Set<String> names = new HashSet<>();
        for (ZooEntry e : entries) {
            if (!NAME.matcher(e.name()).matches()) {
                throw new IllegalArgumentException("Entry name \"" + e.name() + "\" must be lower case letters, digits, '.', '_' or '-'");
            }
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("Entry \"" + e.name() + "\" is listed twice");
            }
            if (e.files().isEmpty()) {
                throw new IllegalArgumentException("Entry \"" + e.name() + "\" has no files");
            }
            if (e.inputSize() <= 0 || e.featureDim() <= 0 || e.mean() == null || e.std() == null || e.mean().length != 3
                    || e.std().length != 3) {
                throw new IllegalArgumentException("Entry \"" + e.name() + "\" needs inputSize, featureDim and 3-value mean and std");
            }
            Set<ModelFormat> formats = new HashSet<>();
            for (ZooFile f : e.files()) {
                if (!formats.add(f.format())) {
                    throw new IllegalArgumentException("Entry \"" + e.name() + "\" lists two " + f.format().label() + " files");
                }
                if (!FILE_NAME.matcher(f.fileName()).matches() || f.fileName().contains("..")) {
                    throw new IllegalArgumentException("Entry \"" + e.name() + "\": file name \"" + f.fileName() + "\" is not a plain file name");
                }
                if (f.sha1() == null && f.sha256() == null) {
                    throw new IllegalArgumentException("Entry \"" + e.name() + "\": " + f.fileName() + " has no published checksum");
                }
                f.checksum(); // validates the hex
                if (f.sha1() != null) {
                    new Checksum(Checksum.SHA_1, f.sha1());
                }
            }
        }
    }

    private static URI withSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? u : URI.create(s + "/");
    }

    /** Where relative file URLs point unless overridden. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Where the facts in this catalog come from. */
    public String source() {
        return source;
    }

    public List<ZooEntry> entries() {
        return entries;
    }

    public List<String> names() {
        return entries.stream().map(ZooEntry::name).toList();
    }

    public Optional<ZooEntry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The entry called {@code name}; the error lists the names there are. */
    public ZooEntry entry(String name) {
        return find(name).orElseThrow(() -> new ZooException(Reason.UNKNOWN_ENTRY,
                "No backbone called \"" + name + "\" in the model zoo. Known: " + String.join(", ", names()) + "."));
    }
}
