package dev.thaw.cli;

import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.runtime.Logs;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code thaw} command line. Every subcommand calls core only; none touches JavaFX.
 *
 * <p>Errors users can act on (a missing folder, a bad flag value) print one readable line and exit
 * with status 1; anything unexpected prints its message and the log file's path, and the stack
 * trace goes to the log only.
 */
@Command(name = "thaw", mixinStandardHelpOptions = true, versionProvider = ThawCli.Version.class,
        description = {"Transfer learning workbench. With no command, opens the window.", ""},
        subcommands = {TrainCommand.class, RunsCommand.class, RerunCommand.class, CompareCommand.class, ExperimentCommand.class,
            EvaluateCommand.class, PredictCommand.class, ExportCommand.class, PretrainCommand.class, DoctorCommand.class,
            PreviewAugmentCommand.class, ZooCommand.class, EnginesCommand.class, BenchCommand.class, BenchDataCommand.class,
            SampleDataCommand.class, CommandLine.HelpCommand.class})
public final class ThawCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the CLI and returns the exit status. */
    public static int execute(AppHome home, String... args) {
        return commandLine(home).execute(args);
    }

    /** The configured command line (tests capture its output with {@code setOut}/{@code setErr}). */
    public static CommandLine commandLine(AppHome home) {
        // Cheap and must happen before any DJL class loads its natives.
        EngineRuntime.prepare(home);
        CommandLine cl = new CommandLine(new ThawCli(), new Factory(home));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof UserException) {
                err.println("error: " + ex.getMessage());
            } else {
                org.slf4j.LoggerFactory.getLogger(ThawCli.class).error("Command failed", ex);
                err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
                err.println("(details in " + Logs.file() + ")");
            }
            return 1;
        });
        return cl;
    }

    /** Gives commands that declare an {@code AppHome} constructor the process's app home. */
    private record Factory(AppHome home) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(AppHome.class).newInstance(home);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ThawCli.class.getPackage().getImplementationVersion();
            return new String[] {"thaw " + (v == null ? "(development build)" : v)};
        }
    }
}
