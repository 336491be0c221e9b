package dev.thaw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.runtime.AppHome;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ThawCliTest {

    private static CliRun run(String... args) {
        return CliRun.of(AppHome.resolve(), args);
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: thaw").contains("engines");
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine cl = ThawCli.commandLine(AppHome.resolve());
        for (String name : cl.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            CliRun r = run(name, "--help");
            assertThat(r.status()).as(name + " --help").isZero();
            assertThat(r.out()).as(name + " --help").contains("Usage: thaw " + name);
        }
    }

    @Test
    void unknownCommandIsAReadableError() {
        CliRun r = run("trian");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("Unmatched argument").doesNotContain("Exception");
    }

    @Test
    void enginesReportsVersions() {
        CliRun r = run("engines");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("PyTorch        2.7").contains("ONNX Runtime   1.22").contains("OpenMP wait    PASSIVE");
    }
}
