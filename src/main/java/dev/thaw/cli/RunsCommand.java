package dev.thaw.cli;

import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw runs}: lists the runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List training runs, newest first: state, strategy, backbone, accuracy and time.",
            "A run shown as 'incomplete' stopped without saying how (killed or crashed); its finished epochs are on disk.",
            "Also: thaw runs delete RUN, thaw runs rename RUN NAME."},
        subcommands = {RunsCommand.Delete.class, RunsCommand.Rename.class})
final class RunsCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Mixin

    RunsDirOption runsDir;

    @Option(names = "--json", description = "One JSON object per run and line.")
    boolean json;

    RunsCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        RunStore store = runsDir.store(home);
        List<RunStore.RunInfo> runs = store.list();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            for (RunStore.RunInfo r : runs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("run", r.id());
                m.put("name", r.name());
                m.put("experiment", r.experiment() == null ? null : r.experiment().experiment());
                m.put("state", r.state());
                m.put("strategy", r.spec() == null ? null : r.spec().strategy().cliName());
                m.put("backbone", r.spec() == null ? null : r.spec().backbone());
                m.put("data", r.spec() == null ? null : r.spec().data());
                RunSummary s = r.summary();
                m.put("val_acc", s == null ? null : s.valAcc());
                m.put("best_val_acc", s == null ? null : s.bestValAcc());
                m.put("epochs", s == null ? (r.status() == null ? null : r.status().epochsCompleted()) : s.epochs());
                m.put("wall_s", s == null ? null : s.wallSeconds());
                m.put("folder", r.folder().dir().toString());
                out.println(Json.COMPACT.toJson(m));
            }
            out.flush();
            return 0;
        }
        if (runs.isEmpty()) {
            out.println("No runs in " + store.root());
            out.flush();
            return 0;
        }
        out.printf(Locale.ROOT, "%-48s %-10s %-7s %-28s %7s %7s %6s %8s%n", "RUN", "STATE", "STRAT", "BACKBONE", "VAL", "BEST",
                "EPOCHS", "TIME");
        for (RunStore.RunInfo r : runs) {
            RunSummary s = r.summary();
            String backbone = r.spec() == null ? "?" : RunArgs.shorten(r.spec().backbone(), 28);
            String strategy = r.spec() == null ? "?" : r.spec().strategy().cliName();
            int epochs = s != null ? s.epochs() : r.status() == null ? 0 : r.status().epochsCompleted();
            out.printf(Locale.ROOT, "%-48s %-10s %-7s %-28s %7s %7s %6d %8s%s%n", r.id(), r.state(), strategy, backbone,
                    RunArgs.pct(s == null ? Double.NaN : s.valAcc()), RunArgs.pct(s == null ? Double.NaN : s.bestValAcc()), epochs,
                    s == null ? "" : String.format(Locale.ROOT, "%.1f s", s.wallSeconds()),
                    (r.name() != null ? "  \"" + r.name() + "\"" : "") + (r.experiment() != null ? "  [" + r.experiment().experiment() + "]" : ""));
        }
        out.println(runs.size() + " run" + (runs.size() == 1 ? "" : "s") + " in " + store.root());
        out.flush();
        return 0;
    }


    /** {@code thaw runs delete RUN...}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete runs (their whole folders). A queued or running run is refused; cancel it first.")
    static final class Delete implements Callable<Integer> {
        private final AppHome home;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run ids (or unique prefixes).")
        List<String> runs;

        @Mixin

        RunsDirOption runsDir;

        Delete(AppHome home) {
            this.home = home;
        }

        @Override
        public Integer call() {
            RunStore store = runsDir.store(home);
            PrintWriter out = spec.commandLine().getOut();
            for (String id : runs) {
                try {
                    RunStore.RunInfo gone = store.delete(id);
                    out.println("Deleted " + gone.id());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new UserException(e.getMessage(), e);
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code thaw runs rename RUN NAME}. */
    @Command(name = "rename", mixinStandardHelpOptions = true,
            description = "Give a run a display name (kept in its folder). An empty NAME clears it.")
    static final class Rename implements Callable<Integer> {
        private final AppHome home;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN", description = "The run id (or a unique prefix).")
        String run;

        @Parameters(index = "1", paramLabel = "NAME", description = "The new name (\"\" clears it).")
        String name;

        @Mixin

        RunsDirOption runsDir;

        Rename(AppHome home) {
            this.home = home;
        }

        @Override
        public Integer call() {
            RunStore store = runsDir.store(home);
            try {
                RunStore.RunInfo r = store.rename(run, name);
                spec.commandLine().getOut().println(r.name() == null ? "Cleared the name of " + r.id() : r.id() + " is now \"" + r.name() + "\"");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage(), e);
            }
        }
    }
}
