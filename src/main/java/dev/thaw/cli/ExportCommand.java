package dev.thaw.cli;

import dev.thaw.core.eval.ModelExport;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thaw export RUN --out DIR}. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a trained run for use outside Thaw: OUT/djl/ (DJL Criteria loads it: model, labels, preprocessing),",
            "OUT/model.pt (backbone + head as one TorchScript file, for TorchScript backbones) and OUT/report/ (curves.png, CSVs)."})
final class ExportCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run id (or unique prefix, or run folder).")
    String run;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the export.")
    Path out;

    @Mixin

    RunsDirOption runsDir;

    ExportCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        RunStore.RunInfo info = RunArgs.find(runsDir.store(home), run);
        ModelExport.ExportResult r;
        try {
            r = ModelExport.export(info.folder(), out, home);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("Exported " + info.id() + " to " + out);
        o.println("  DJL folder:  " + r.djlFolder() + (r.needsThawJar() ? "  (needs Thaw's jar on the class path)" : ""));
        o.println("  TorchScript: " + r.torchScript().map(Path::toString).orElse(r.torchScriptNote()));
        o.println("  report:      " + r.report());
        o.println("Try it: thaw predict " + out + " IMAGE");
        o.flush();
        return 0;
    }
}
