package dev.thaw.core.backbone.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ZooCatalogTest {

    private final ZooCatalog bundled = ZooCatalog.bundled();

    @Test
    void builtInCatalogHasTheDjlResNetBackbones() {
        assertThat(bundled.names()).containsExactly("resnet18-embedding", "resnet50-classifier");
        assertThat(bundled.baseUrl()).isEqualTo(URI.create("https://mlrepo.djl.ai/"));

        ZooEntry r18 = bundled.entry("resnet18-embedding");
        assertThat(r18.featureDim()).isEqualTo(512);
        assertThat(r18.inputSize()).isEqualTo(224);
        assertThat(r18.output()).isEqualTo("embedding");
        assertThat(r18.mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(r18.std()).containsExactly(0.229, 0.224, 0.225);
        ZooFile f = r18.file(ModelFormat.TORCHSCRIPT).orElseThrow();
        assertThat(f.resolve(bundled.baseUrl())).hasToString(
                "https://mlrepo.djl.ai/model/cv/image_classification/ai/djl/pytorch/resnet18_embedding/0.0.1/resnet18_embedding.zip");
        assertThat(f.packaging()).isEqualTo(Packaging.ZIP);
        assertThat(f.size()).isEqualTo(41_574_720L);
        assertThat(f.checksum()).isEqualTo(new Checksum(Checksum.SHA_1, "e37db339e87dc13ae0831e45818fca454f526ffb"));

        ZooEntry r50 = bundled.entry("resnet50-classifier");
        assertThat(r50.classifierIncluded()).isTrue();
        assertThat(r50.featureDim()).isEqualTo(1000);
        assertThat(r50.file(ModelFormat.TORCHSCRIPT).orElseThrow().resolve(bundled.baseUrl())).hasToString(
                "https://mlrepo.djl.ai/model/cv/image_classification/ai/djl/pytorch/resnet/0.0.1/traced_resnet50.pt.gz");
    }

    @Test
    void noOnnxFormIsInventedAndTheCatalogSaysWhy() {
        for (ZooEntry e : bundled.entries()) {
            assertThat(e.hasOnnx()).as(e.name()).isFalse();
            assertThat(e.onnxNote()).as(e.name()).startsWith("No ONNX form");
            assertThat(e.license()).isNotBlank();
            assertThat(e.source()).contains("mlrepo.djl.ai");
            for (ZooFile f : e.files()) {
                assertThat(f.sha256()).as("DJL publishes no SHA-256").isNull();
                assertThat(f.checksumSource()).contains("DJL");
            }
        }
    }

    @Test
    void invalidCatalogsAreRefusedWithTheReason() {
        String noChecksum = """
                {"baseUrl": "http://x/", "entries": [{"name": "a", "inputSize": 1, "featureDim": 1, "mean": [0,0,0], "std": [1,1,1],
                  "files": [{"format": "torchscript", "url": "a.pt", "fileName": "a.pt"}]}]}""";
        assertThatThrownBy(() -> ZooCatalog.parse(noChecksum, "test")).hasMessageContaining("no published checksum");

        String badName = noChecksum.replace("\"name\": \"a\"", "\"name\": \"../a\"");
        assertThatThrownBy(() -> ZooCatalog.parse(badName, "test")).hasMessageContaining("../a");

        String badFile = noChecksum.replace("\"fileName\": \"a.pt\"", "\"fileName\": \"../a.pt\", \"sha1\": \"" + "0".repeat(40) + "\"");
        assertThatThrownBy(() -> ZooCatalog.parse(badFile, "test")).hasMessageContaining("not a plain file name");
    }
}
