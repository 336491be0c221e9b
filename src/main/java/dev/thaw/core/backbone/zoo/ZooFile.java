package dev.thaw.core.backbone.zoo;

import java.net.URI;
import java.util.Objects;

/**
 * One published file of a catalog entry, exactly as its publisher describes it.
 *
 * @param format what the model inside is
 * @param url where it is served; relative URLs resolve against the zoo's base URL
 * @param fileName the file's name as published; also the name a hand-placed copy must have
 * @param packaging how the model is wrapped
 * @param member path of the model file inside an archive, or null to pick the only file with
 *     the format's extension
 * @param size size in bytes as served, or -1 when not published
 * @param sha1 the published SHA-1 of the file as served, hex, or null
 * @param sha256 the published SHA-256 of the file as served, hex, or null
 * @param checksumSource where the size and checksum were taken from (shown in the GUI)
 */
public record ZooFile(ModelFormat format, String url, String fileName, Packaging packaging, String member, long size,
        String sha1, String sha256, String checksumSource) {

    public ZooFile {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(fileName, "fileName");
        packaging = packaging == null ? Packaging.NONE : packaging;
        sha1 = blankToNull(sha1);
        sha256 = blankToNull(sha256);
        member = blankToNull(member);
        if (size == 0) {
            size = -1; // JSON without a size
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The checksum downloads and hand-placed files are checked against: SHA-256 when published, else SHA-1. */
    public Checksum checksum() {
        if (sha256 != null) {
            return new Checksum(Checksum.SHA_256, sha256);
        }
        if (sha1 != null) {
            return new Checksum(Checksum.SHA_1, sha1);
        }
        throw new IllegalStateException(fileName + " has no published checksum");
    }

    /** The absolute URL, resolving a relative {@link #url()} against {@code baseUrl}. */
    public URI resolve(URI baseUrl) {
        URI u = URI.create(url);
        return u.isAbsolute() ? u : baseUrl.resolve(u);
    }
}
