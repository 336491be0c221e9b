package dev.thaw.core.train;

import dev.thaw.core.data.ContentHash;
import dev.thaw.core.data.ImageTransform;
import dev.thaw.core.util.Digests;
import dev.thaw.core.util.Json;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backbone embeddings on disk, so feature extraction runs the backbone over an image once.
 *
 * <p>Keyed by what decides an embedding: the backbone's weights (a digest), the
 * {@link ImageTransform} ({@link ImageTransform#key()}) and the image file's content (SHA-256, so a
 * renamed or moved file still hits, and an edited one misses). One folder per backbone and
 * transform holds immutable pack files, each written atomically; a run adds one pack with what it
 * computed. A torn or foreign file is ignored, never trusted.
 */
public final class EmbeddingCache {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
    private static final byte[] MAGIC = "THAWEMB1".getBytes(StandardCharsets.US_ASCII);
    private static final int HASH_BYTES = 32;
    private static final String BACKBONE = "backbone";

    private final Path root;

    public EmbeddingCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The store of one backbone and transform. */
    public Store open(String backboneDigest, ImageTransform transform, int featureDim) {
        String key = Digests.sha256(backboneDigest + "|" + transform.key() + "|" + featureDim).substring(0, 24);
        return new Store(root.resolve(key), backboneDigest, transform, featureDim);
    }

    /** Embeddings of one backbone + transform, by image content hash. */
    public static final class Store {
        private final Path dir;
        private final int featureDim;
        private final String backboneDigest;
        private final ImageTransform transform;

        Store(Path dir, String backboneDigest, ImageTransform transform, int featureDim) {
            this.dir = dir;
            this.featureDim = featureDim;
            this.backboneDigest = backboneDigest;
            this.transform = transform;
        }

        public Path dir() {
            return dir;
        }

        /**
         * The backbone these embeddings came from, when it is not a file of the user's: a backbone
         * whose BatchNorm statistics were re-estimated keeps its adapted weights here, so a run
         * that finds every embedding cached need not adapt it again.
         */
        public Optional<Path> backboneFile() {
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> p.getFileName().toString().startsWith(BACKBONE + ".")).findFirst();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** Keeps {@code file} (never changed afterwards) as this store's {@link #backboneFile()}; a link where possible. */
        public void putBackboneFile(Path file) {
            String name = file.getFileName().toString();
            Path target = dir.resolve(BACKBONE + name.substring(name.lastIndexOf('.')));
            try {
                Files.createDirectories(dir);
                Path tmp = dir.resolve(".tmp-" + UUID.randomUUID() + "-" + target.getFileName());
                try {
                    Checkpoints.linkOrCopy(file, tmp);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                LOG.warn("Cannot keep the adapted backbone in the embedding cache {}: {}", dir, e.getMessage());
            }
        }

        /** The cached embeddings of those of {@code imageHashes} that are present. */
        public Map<String, float[]> get(Collection<String> imageHashes) {
            Set<String> wanted = new HashSet<>(imageHashes);
            Map<String, float[]> out = new HashMap<>();
            if (!Files.isDirectory(dir) || wanted.isEmpty()) {
                return out;
            }
            List<Path> packs;
            try (Stream<Path> s = Files.list(dir)) {
                packs = s.filter(p -> p.getFileName().toString().endsWith(".emb")).sorted().toList();
            } catch (IOException e) {
                LOG.warn("Cannot list the embedding cache {}: {}", dir, e.getMessage());
                return out;
            }
            for (Path pack : packs) {
                readPack(pack, wanted, out);
                if (out.size() == wanted.size()) {
                    break;
                }
            }
            return out;
        }

        private void readPack(Path pack, Set<String> wanted, Map<String, float[]> out) {
            try {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pack)).order(ByteOrder.LITTLE_ENDIAN);
                byte[] magic = new byte[MAGIC.length];
                b.get(magic);
                int dim = b.getInt();
                int count = b.getInt();
                long expected = MAGIC.length + 8L + (long) count * (HASH_BYTES + 4L * dim);
                if (!java.util.Arrays.equals(magic, MAGIC) || dim != featureDim || count < 0 || b.capacity() != expected) {
                    LOG.warn("Ignoring the malformed embedding pack {}", pack);
                    return;
                }
                byte[] hash = new byte[HASH_BYTES];
                for (int i = 0; i < count; i++) {
                    b.get(hash);
                    String h = HexFormat.of().formatHex(hash);
                    if (wanted.contains(h) && !out.containsKey(h)) {
                        float[] v = new float[dim];
                        b.asFloatBuffer().get(v);
                        out.put(h, v);
                    }
                    b.position(b.position() + 4 * dim);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Ignoring the unreadable embedding pack {}: {}", pack, e.toString());
            }
        }

        /** Adds embeddings as one new pack, written atomically (readers see all of it or none). */
        public void put(Map<String, float[]> embeddings) {
            if (embeddings.isEmpty()) {
                return;
            }
            try {
                Files.createDirectories(dir);
                Path keyFile = dir.resolve("key.json");
                if (!Files.exists(keyFile)) {
                    Map<String, Object> key = new LinkedHashMap<>();
                    key.put("backbone", backboneDigest);
                    key.put("transform", transform.key());
                    key.put("featureDim", featureDim);
                    Json.write(keyFile, key);
                }
                Path tmp = Files.createTempFile(dir, ".pack", ".tmp");
                try {
                    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                            DataOutputStream out = new DataOutputStream(os)) {
                        out.write(MAGIC);
                        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                        head.putInt(featureDim).putInt(embeddings.size());
                        out.write(head.array());
                        ByteBuffer row = ByteBuffer.allocate(4 * featureDim).order(ByteOrder.LITTLE_ENDIAN);
                        for (Map.Entry<String, float[]> e : embeddings.entrySet()) {
                            if (e.getValue().length != featureDim) {
                                throw new IllegalArgumentException("embedding of length " + e.getValue().length + ", expected " + featureDim);
                            }
                            out.write(HexFormat.of().parseHex(e.getKey()));
                            row.clear();
                            row.asFloatBuffer().put(e.getValue());
                            out.write(row.array());
                        }
                    }
                    Path pack = dir.resolve(UUID.randomUUID() + ".emb");
                    Files.move(tmp, pack, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                // The cache is an optimization: a run goes on without it.
                LOG.warn("Cannot write to the embedding cache {}: {}", dir, e.getMessage());
            }
        }
    }

    /** The content hash the cache keys an image file by (the data package's {@link ContentHash}). */
    public static String imageKey(Path file) {
        try {
            return ContentHash.of(file).hex();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
