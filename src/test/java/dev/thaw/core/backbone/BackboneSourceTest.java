package dev.thaw.core.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BackboneSourceTest {

    @Test
    void parsesEveryForm() {
        assertThat(BackboneSource.parse("sample")).isInstanceOf(BackboneSource.Bundled.class);
        assertThat(BackboneSource.parse("arch:mini-resnet")).isEqualTo(new BackboneSource.Architecture("mini-resnet"));
        assertThat(BackboneSource.parse("zoo:resnet18")).isEqualTo(new BackboneSource.Zoo("resnet18"));
        assertThat(BackboneSource.parse("models/r.pt")).isEqualTo(new BackboneSource.File(Path.of("models/r.pt")));
        assertThat(((BackboneSource.File) BackboneSource.parse("a/B.ONNX")).extension()).isEqualTo("onnx");
    }

    @Test
    void textRoundTrips() {
        for (String t : new String[] {"sample", "arch:resnet18", "zoo:resnet50", "x/y.pt"}) {
            assertThat(BackboneSource.parse(t).text()).isEqualTo(t);
        }
    }

    @Test
    void emptyOrNamelessSourcesSayWhatIsAccepted() {
        assertThatThrownBy(() -> BackboneSource.parse(" ")).hasMessageContaining("sample, arch:NAME, zoo:NAME");
        assertThatThrownBy(() -> BackboneSource.parse("arch:")).hasMessageContaining("needs a name");
    }
}
