package dev.thaw.cli;

import dev.thaw.core.runtime.AppHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the real command line in-process, as {@code java -jar thaw.jar ARGS} would, and keeps what it printed. */
record CliRun(int status, String out, String err) {

    static CliRun of(AppHome home, String... args) {
        CommandLine cl = ThawCli.commandLine(home);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new CliRun(status, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }
}
