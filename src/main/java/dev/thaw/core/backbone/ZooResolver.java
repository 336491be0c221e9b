package dev.thaw.core.backbone;

import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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

    /**
     * The model-zoo package of this build. It is looked up by name so the engine builds and
     * trains while the zoo package is developed alongside; without it, {@code zoo:} sources fail
     * with a message saying so.
     */
    static ZooResolver modelZoo() {
        return new ZooResolver() {
            private static final String CLASS = "dev.thaw.core.backbone.zoo.ModelZoo";

            @Override
            public Path fetch(String name, AppHome home, JobMonitor monitor) {
                Object result = call("fetch", new Class<?>[] {String.class, AppHome.class, JobMonitor.class}, name, home, monitor);
                return (Path) result;
            }

            @Override
            @SuppressWarnings("unchecked")
            public List<String> names() {
                try {
                    return (List<String>) call("names", new Class<?>[0]);
                } catch (IllegalStateException e) {
                    return List.of();
                }
            }

            private Object call(String method, Class<?>[] types, Object... args) {
                Method m;
                try {
                    m = Class.forName(CLASS).getMethod(method, types);
                } catch (ClassNotFoundException | NoSuchMethodException e) {
                    throw new IllegalStateException("Model-zoo downloads are not part of this build (" + CLASS + "." + method
                            + " is missing); use a local .pt or .onnx file instead");
                }
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Cannot call " + CLASS + "." + method + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
