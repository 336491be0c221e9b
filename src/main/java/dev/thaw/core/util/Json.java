package dev.thaw.core.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Thaw's JSON: one configured Gson (records, paths as strings, NaN allowed for metrics), and
 * atomic file writes so a crash never leaves half a file behind.
 */
public final class Json {

    private static final TypeAdapter<Path> PATH = new TypeAdapter<>() {
        @Override
        public void write(JsonWriter out, Path value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                // forward slashes, so files written on Windows read elsewhere
                out.value(value.toString().replace('\\', '/'));
            }
        }

        @Override
        public Path read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return Path.of(in.nextString());
        }
    };

    /** Pretty-printed, for files people read (run specs, summaries, manifests). */
    public static final Gson PRETTY = base().setPrettyPrinting().create();
    /** Compact, one object per line (metrics JSON lines, CLI {@code --json}). */
    public static final Gson COMPACT = base().create();

    private Json() {
    }

    private static GsonBuilder base() {
        return new GsonBuilder().registerTypeHierarchyAdapter(Path.class, PATH).serializeSpecialFloatingPointValues()
                .disableHtmlEscaping();
    }

    /** Writes {@code value} as pretty JSON to {@code file} atomically (temp file + rename). */
    public static void write(Path file, Object value) {
        writeString(file, PRETTY.toJson(value) + "\n");
    }

    /** Writes text atomically: readers see the old file or the new one, never a torn one. */
    public static void writeString(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code file} as {@code type}; the message names the file when it is missing or malformed. */
    public static <T> T read(Path file, Type type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            T value = PRETTY.fromJson(text, type);
            if (value == null) {
                throw new JsonParseException("the file is empty");
            }
            return value;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Malformed JSON in " + file + ": " + e.getMessage(), e);
        }
    }
}
