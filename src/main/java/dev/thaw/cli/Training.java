package dev.thaw.cli;

import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.PrintWriter;

/** Runs one spec through a {@link TrainingService} for the CLI, printing progress and the result. */
final class Training {

    private Training() {
    }

    /**
     * @return the exit status: 0 completed, 1 failed, 130 cancelled (Ctrl-C)
     */
    static int run(AppHome home, RunStore store, RunSpec spec, boolean json, PrintWriter out, PrintWriter err) {
        PrintWriter progress = json ? err : out;
        progress.println("Starting the engines…");
        progress.flush();
        EngineRuntime.start(home, JobMonitor.NONE);
        try (TrainingService service = new TrainingService(home, store, new BackboneLoader(home))) {
            service.addListener(new TrainingPrinter(progress));
            RunHandle handle = service.submit(spec);
            progress.println("Run " + handle.runId() + " in " + handle.folder());
            progress.flush();
            Thread hook = new Thread(() -> {
                handle.cancel();
                handle.result().join();
            }, "thaw-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            RunResult result = handle.result().join();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            if (result.summary() != null && result.summary().backboneSkipped()) {
                progress.println("Backbone skipped: every embedding came from the cache");
            }
            if (result.terminal() instanceof TrainingEvent.Failed f) {
                if (json && result.summary() != null) {
                    out.println(Json.COMPACT.toJson(result.summary()));
                    out.flush();
                }
                throw new UserException(f.message());
            }
            if (json) {
                out.println(Json.COMPACT.toJson(result.summary()));
            } else {
                progress.println("Run folder: " + result.folder());
            }
            out.flush();
            return result.completed() ? 0 : 130;
        }
    }
}
