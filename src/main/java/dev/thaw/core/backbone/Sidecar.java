package dev.thaw.core.backbone;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON file next to a backbone file that says how to feed it: {@code <same base name>.json}
 * (for {@code resnet18.pt}, {@code resnet18.json}). Keys: {@code inputSize}, {@code mean},
 * {@code std}, and optionally {@code featureDim}, {@code name} and {@code arch} (the Thaw
 * architecture of a {@code .params} file). Other keys are kept for people to read ({@code thaw
 * pretrain} writes what the backbone was trained on and how well it did).
 *
 * <p>Every error message names the file and the key, so a user can fix the file from the message.
 *
 * @param file the sidecar file
 * @param name display name, or {@code null}
 * @param inputSize square input size, or {@code null}
 * @param mean per-channel mean (3 values), or {@code null}
 * @param std per-channel std (3 positive values), or {@code null}
 * @param featureDim feature vector length, or {@code null}
 * @param arch Thaw architecture name, or {@code null}
 */
public record Sidecar(Path file, String name, Integer inputSize, float[] mean, float[] std, Integer featureDim,
        String arch) {

    /** The sidecar path for a backbone file: same folder, same base name, {@code .json}. */
    public static Path pathFor(Path backboneFile) {
        String n = backboneFile.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String base = dot > 0 ? n.substring(0, dot) : n;
        return backboneFile.resolveSibling(base + ".json");
    }

    /** Reads the sidecar of {@code backboneFile} if there is one. */
    public static Optional<Sidecar> find(Path backboneFile) {
        Path p = pathFor(backboneFile);
        return Files.isRegularFile(p) ? Optional.of(read(p)) : Optional.empty();
    }

    /** Reads and checks a sidecar; throws {@link IllegalArgumentException} naming the file and key. */
    public static Sidecar read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sidecar " + file + ": " + e.getMessage(), e);
        }
        JsonObject o;
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw new IllegalArgumentException("The sidecar " + file + " must hold one JSON object {...}");
            }
            o = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("The sidecar " + file + " is not valid JSON: " + rootCause(e), e);
        }
        Integer inputSize = optInt(o, "inputSize", file, 8);
        float[] mean = optTriple(o, "mean", file, false);
        float[] std = optTriple(o, "std", file, true);
        Integer featureDim = optInt(o, "featureDim", file, 1);
        return new Sidecar(file, optString(o, "name", file), inputSize, mean, std, featureDim, optString(o, "arch", file));
    }

    private static String rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    private static String optString(JsonObject o, String key, Path file) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where(file, key) + " must be a string, was " + e);
        }
        return e.getAsString();
    }

    private static Integer optInt(JsonObject o, String key, Path file, int min) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!isNumber(e)) {
            throw new IllegalArgumentException(where(file, key) + " must be a whole number, was " + e);
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < min || d > 100_000) {
            throw new IllegalArgumentException(where(file, key) + " must be a whole number of at least " + min + ", was " + e);
        }
        return (int) d;
    }

    private static float[] optTriple(JsonObject o, String key, Path file, boolean positive) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        String need = " must be a list of 3 " + (positive ? "positive " : "") + "numbers (R, G, B), was " + e;
        if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) {
            throw new IllegalArgumentException(where(file, key) + need);
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            JsonElement v = e.getAsJsonArray().get(i);
            if (!isNumber(v) || !Double.isFinite(v.getAsDouble()) || (positive && !(v.getAsDouble() > 0))) {
                throw new IllegalArgumentException(where(file, key) + need);
            }
            out[i] = v.getAsFloat();
        }
        return out;
    }

    private static boolean isNumber(JsonElement e) {
        return e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
    }

    private static String where(Path file, String key) {
        return "In the sidecar " + file + ", '" + key + "'";
    }
}
