package dev.thaw.core.backbone;

import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns {@code zoo:NAME} into a verified local file. The contract of the model-zoo package
 * ({@code dev.thaw.core.backbone.zoo.ModelZoo}): {@code fetch} returns a TorchScript {@code .pt}
 * (or an {@code .onnx} when that is the only form) with a sidecar {@code <base>.json} next to it,
 * and an {@code .onnx} sibling of the same base name when an ONNX form exists; a failed or partial
 * download is never returned.
 */
public interface ZooResolver {

    /** Downloads (or finds in the cache) the backbone called {@code name}. */
    Path fetch(String name, AppHome home, JobMonitor monitor);

    /** The names {@link #fetch} accepts. */
    List<String> names();

    /** The model zoo of this build ({@link dev.thaw.core.backbone.zoo.ModelZoo}). */
    static ZooResolver modelZoo() {
        return new ZooResolver() {
            @Override
            public Path fetch(String name, AppHome home, JobMonitor monitor) {
                return dev.thaw.core.backbone.zoo.ModelZoo.fetch(name, home, monitor);
            }

            @Override
            public List<String> names() {
                return dev.thaw.core.backbone.zoo.ModelZoo.names();
            }
        };
    }
}
