package dev.thaw.core.backbone.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A published digest of a file: the algorithm ({@code SHA-256} or {@code SHA-1}) and its hex value.
 */
public record Checksum(String algorithm, String hex) {

    public static final String SHA_256 = "SHA-256";
    public static final String SHA_1 = "SHA-1";

    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        hex = hex.toLowerCase(Locale.ROOT);
        int expected = switch (algorithm) {
            case SHA_256 -> 64;
            case SHA_1 -> 40;
            default -> throw new IllegalArgumentException("Unsupported checksum algorithm: " + algorithm);
        };
        if (hex.length() != expected || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("Not a " + algorithm + " value: " + hex);
        }
    }

    /** A fresh digest for this algorithm. */
    public MessageDigest newDigest() {
        return digest(algorithm);
    }

    /** True when {@code digest}'s value equals this checksum (consumes the digest). */
    public boolean matches(MessageDigest digest) {
        return hex.equals(HexFormat.of().formatHex(digest.digest()));
    }

    /** Hashes {@code file} with this algorithm and returns the hex value. */
    public String compute(Path file) throws IOException {
        return hash(file, algorithm);
    }

    /** The label in messages: {@code sha1}, {@code sha256}. */
    public String label() {
        return algorithm.replace("-", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label() + ":" + hex;
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }

    /** Hex digest of a whole file. */
    static String hash(Path file, String algorithm) throws IOException {
        MessageDigest md = digest(algorithm);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
