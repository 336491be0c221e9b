package dev.thaw.core.backbone;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a backbone comes from, parsed from the text users type: {@code sample} (the bundled
 * backbone), {@code arch:NAME} (one of Thaw's architectures, randomly initialized), {@code zoo:NAME}
 * (a model-zoo download) or a file path ({@code .pt} TorchScript, {@code .onnx}, or {@code .params}
 * weights of a Thaw architecture written by {@code thaw pretrain}).
 */
public sealed interface BackboneSource {

    /** The text form, which {@link #parse} reads back. */
    String text();

    /** The backbone bundled in {@code sample-data/backbone/}, pretrained by {@code thaw pretrain}. */
    record Bundled() implements BackboneSource {
        @Override
        public String text() {
            return "sample";
        }
    }

    /** One of Thaw's own architectures from random weights (the scratch baseline). */
    record Architecture(String name) implements BackboneSource {
        @Override
        public String text() {
            return "arch:" + name;
        }
    }

    /** A model-zoo backbone, downloaded once and cached. */
    record Zoo(String name) implements BackboneSource {
        @Override
        public String text() {
            return "zoo:" + name;
        }
    }

    /** A file the user owns. */
    record File(Path path) implements BackboneSource {
        @Override
        public String text() {
            return path.toString();
        }

        /** The file's extension in lower case, without the dot ({@code pt}, {@code onnx}, ...). */
        public String extension() {
            String n = path.getFileName().toString();
            int dot = n.lastIndexOf('.');
            return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses {@code sample}, {@code arch:NAME}, {@code zoo:NAME} or a path; throws
     * {@link IllegalArgumentException} with the accepted forms when the text is empty.
     */
    static BackboneSource parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("No backbone given: use sample, arch:NAME, zoo:NAME or a .pt/.onnx file");
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("sample")) {
            return new Bundled();
        }
        if (t.regionMatches(true, 0, "arch:", 0, 5)) {
            return new Architecture(requireName(t.substring(5), "arch:"));
        }
        if (t.regionMatches(true, 0, "zoo:", 0, 4)) {
            return new Zoo(requireName(t.substring(4), "zoo:"));
        }
        return new File(Path.of(t));
    }

    private static String requireName(String name, String prefix) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("'" + prefix + "' needs a name after the colon, e.g. " + prefix
                    + (prefix.equals("arch:") ? Architectures.MINI_RESNET : "resnet18"));
        }
        return name.trim();
    }
}
