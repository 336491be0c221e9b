package dev.thaw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.runtime.AppHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ThawCliTest {

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = ThawCli.commandLine(AppHome.resolve());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
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
            Result r = run(name, "--help");
            assertThat(r.status()).as(name + " --help").isZero();
            assertThat(r.out()).as(name + " --help").contains("Usage: thaw " + name);
        }
    }

    @Test
    void unknownCommandIsAReadableError() {
        Result r = run("trian");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("Unmatched argument").doesNotContain("Exception");
    }

    @Test
    void enginesReportsVersions() {
        Result r = run("engines");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("PyTorch        2.7").contains("ONNX Runtime   1.22").contains("OpenMP wait    PASSIVE");
    }
}
