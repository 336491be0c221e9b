package dev.thaw.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.thaw.core.runtime.EngineRuntime;
import java.util.Locale;

/** Picks the device a run trains on: {@code auto} takes a GPU when libtorch sees one, else the CPU. */
public final class Devices {

    private Devices() {
    }

    /**
     * @param choice {@code auto}, {@code cpu} or {@code gpu}
     * @throws IllegalArgumentException for {@code gpu} on a machine (or build) without one
     */
    public static Device choose(String choice) {
        String c = choice == null ? "auto" : choice.toLowerCase(Locale.ROOT);
        int gpus = Engine.getEngine(EngineRuntime.PYTORCH).getGpuCount();
        return switch (c) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("No GPU available to libtorch (this build has the CPU natives, or the "
                            + "machine has no CUDA GPU); use --device auto or cpu");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("Unknown device '" + choice + "': use auto, cpu or gpu");
        };
    }
}
