package dev.thaw;

import dev.thaw.cli.ThawCli;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.Logs;
import dev.thaw.ui.main.ThawApp;

/**
 * The one entry point. With no argument it opens the workbench; with a subcommand it runs the CLI.
 *
 * <p>A plain main class (not the {@code Application} subclass) so that the JavaFX jars can sit on
 * the class path, as they do in {@code target/thaw.jar}'s {@code lib/} folder.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        AppHome home = AppHome.resolve();
        // Before any logger exists: logs go to a file in the app home.
        Logs.configure(home);
        if (args.length == 0) {
            ThawApp.launchWorkbench(args);
        } else {
            System.exit(ThawCli.execute(home, args));
        }
    }
}
