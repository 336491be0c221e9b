package dev.thaw.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.FreezePlan;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

    record Hyper(double lr, int epochs, Double warmup) {
    }

    record Spec(String backbone, String strategy, FreezePlan freeze, Hyper hyper) {
    }

    @Test
    void showsOnlyWhatDiffers() {
        Spec a = new Spec("sample", "fe", FreezePlan.of("backbone"), new Hyper(0.01, 10, null));
        Spec b = new Spec("sample", "ft", FreezePlan.of("backbone.stage1"), new Hyper(0.001, 10, 2.0));
        List<ConfigDiff.Row> rows = ConfigDiff.of(List.of(a, b));
        assertThat(rows).extracting(ConfigDiff.Row::key).containsExactly("strategy", "freeze.frozen", "hyper.lr", "hyper.warmup");
        assertThat(rows.get(0).values()).containsExactly("fe", "ft");
        assertThat(rows.get(1).values()).containsExactly("[\"backbone\"]", "[\"backbone.stage1\"]");
        assertThat(rows.get(3).values()).as("absent in one run").isEqualTo(Arrays.asList(null, "2.0"));
    }

    @Test
    void identicalRunsHaveNoDiff() {
        Spec a = new Spec("sample", "fe", FreezePlan.of("backbone"), new Hyper(0.01, 10, null));
        assertThat(ConfigDiff.of(List.of(a, a, a))).isEmpty();
    }
}
