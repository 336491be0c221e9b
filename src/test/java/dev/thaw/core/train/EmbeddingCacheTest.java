package dev.thaw.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.data.ImageTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {

    @TempDir
    Path dir;

    private static final ImageTransform T = new ImageTransform(32, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void storesAndFindsByContentHash() {
        EmbeddingCache cache = new EmbeddingCache(dir);
        EmbeddingCache.Store s = cache.open("backbone-1", T, 3);
        assertThat(s.get(List.of(A, B))).isEmpty();
        Map<String, float[]> put = new LinkedHashMap<>();
        put.put(A, new float[] {1, 2, 3});
        s.put(put);
        Map<String, float[]> got = cache.open("backbone-1", T, 3).get(List.of(A, B));
        assertThat(got).containsOnlyKeys(A);
        assertThat(got.get(A)).containsExactly(1, 2, 3);
        s.put(Map.of(B, new float[] {4, 5, 6}));
        assertThat(s.get(List.of(A, B))).containsOnlyKeys(A, B);
    }

    @Test
    void otherBackboneOrTransformIsAnotherKey() {
        EmbeddingCache cache = new EmbeddingCache(dir);
        cache.open("backbone-1", T, 3).put(Map.of(A, new float[] {1, 2, 3}));
        assertThat(cache.open("backbone-2", T, 3).get(List.of(A))).isEmpty();
        ImageTransform other = new ImageTransform(40, T.mean(), T.std());
        assertThat(cache.open("backbone-1", other, 3).get(List.of(A))).isEmpty();
    }

    @Test
    void aTornOrForeignPackIsIgnored() throws Exception {
        EmbeddingCache cache = new EmbeddingCache(dir);
        EmbeddingCache.Store s = cache.open("backbone-1", T, 3);
        s.put(Map.of(A, new float[] {1, 2, 3}));
        Path pack;
        try (Stream<Path> files = Files.list(s.dir())) {
            pack = files.filter(p -> p.toString().endsWith(".emb")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(pack);
        Files.write(pack, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        Files.writeString(s.dir().resolve("junk.emb"), "junk");
        assertThat(s.get(List.of(A))).isEmpty();
    }
}
