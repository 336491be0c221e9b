package dev.thaw.core.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarTest {

    @TempDir
    Path dir;

    private Path sidecar(String json) throws Exception {
        Path f = dir.resolve("net.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void sidecarOfAFileIsItsBaseNameWithJson() {
        assertThat(Sidecar.pathFor(Path.of("m/resnet18.pt"))).isEqualTo(Path.of("m/resnet18.json"));
        assertThat(Sidecar.pathFor(Path.of("m/resnet18.onnx"))).isEqualTo(Path.of("m/resnet18.json"));
    }

    @Test
    void readsEveryKey() throws Exception {
        Sidecar s = Sidecar.read(sidecar("{\"name\":\"R\",\"inputSize\":224,\"mean\":[0.1,0.2,0.3],\"std\":[1,2,3],"
                + "\"featureDim\":512,\"arch\":\"resnet18\",\"extra\":true}"));
        assertThat(s.name()).isEqualTo("R");
        assertThat(s.inputSize()).isEqualTo(224);
        assertThat(s.mean()).containsExactly(0.1f, 0.2f, 0.3f);
        assertThat(s.std()).containsExactly(1f, 2f, 3f);
        assertThat(s.featureDim()).isEqualTo(512);
        assertThat(s.arch()).isEqualTo("resnet18");
    }

    @Test
    void missingKeysAreNull() throws Exception {
        Sidecar s = Sidecar.read(sidecar("{}"));
        assertThat(s.inputSize()).isNull();
        assertThat(s.mean()).isNull();
    }

    @Test
    void errorsNameTheFileAndTheKey() throws Exception {
        Path f = sidecar("{\"inputSize\": \"big\"}");
        assertThatThrownBy(() -> Sidecar.read(f)).hasMessageContaining(f.toString()).hasMessageContaining("'inputSize'")
                .hasMessageContaining("whole number");
        Path g = sidecar("{\"mean\": [0.5, 0.5]}");
        assertThatThrownBy(() -> Sidecar.read(g)).hasMessageContaining("'mean'").hasMessageContaining("3");
        Path h = sidecar("{\"std\": [0.5, 0, 0.5]}");
        assertThatThrownBy(() -> Sidecar.read(h)).hasMessageContaining("'std'").hasMessageContaining("positive");
        Path i = sidecar("{\"inputSize\": 224,");
        assertThatThrownBy(() -> Sidecar.read(i)).hasMessageContaining(i.toString()).hasMessageContaining("not valid JSON");
        Path j = sidecar("[1,2]");
        assertThatThrownBy(() -> Sidecar.read(j)).hasMessageContaining("one JSON object");
    }
}
