package dev.thaw.cli;

import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineInfo;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.runtime.Logs;
import dev.thaw.core.util.JobMonitor;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw engines}: loads both engines and says what this machine has. */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "Load the PyTorch and ONNX Runtime engines and show versions, devices and folders.")
final class EnginesCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    EnginesCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        EngineInfo info = EngineRuntime.start(home, JobMonitor.NONE);
        PrintWriter out = spec.commandLine().getOut();
        out.println("PyTorch        " + info.pytorchVersion());
        out.println("ONNX Runtime   " + (info.hasOnnxRuntime() ? info.onnxRuntimeVersion() : "unavailable: " + info.onnxRuntimeError()));
        out.println("Devices        " + (info.gpuCount() > 0 ? info.gpuCount() + " GPU(s) + CPU" : "CPU"));
        out.println("OpenMP wait    " + info.ompWaitPolicy());
        out.println("App home       " + home.root());
        out.println("Native cache   " + info.cacheDir());
        out.println("Log file       " + Logs.file());
        out.printf("Start-up       %.1f s%n", info.startMillis() / 1000.0);
        return 0;
    }
}
