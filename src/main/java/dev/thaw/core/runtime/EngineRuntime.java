package dev.thaw.core.runtime;

import ai.djl.engine.Engine;
import dev.thaw.core.util.JobMonitor;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the deep-learning engines the right way, once per process.
 *
 * <p>{@link #prepare(AppHome)} must run before the first DJL call: it sets DJL offline (otherwise
 * start-up probes a cloud metadata address), points DJL's native cache into Thaw's app home, and
 * sets {@code OMP_WAIT_POLICY=PASSIVE} in the native environment before libtorch loads (with the
 * default spin-waiting, training on 2 cores ran 3–12x slower). {@link #start} then loads libtorch
 * and ONNX Runtime; the first start unpacks several hundred MB of natives, so callers run it on a
 * background thread and show its progress.
 */
public final class EngineRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(EngineRuntime.class);

    public static final String PYTORCH = "PyTorch";
    public static final String ONNX_RUNTIME = "OnnxRuntime";

    private static volatile boolean prepared;
    private static volatile EngineInfo started;

    private EngineRuntime() {
    }

    /**
     * Sets DJL's system properties and the native environment. Idempotent; values the user set
     * explicitly (system property or environment variable) are kept.
     */
    public static synchronized void prepare(AppHome home) {
        if (prepared) {
            return;
        }
        setPropertyIfAbsent("ai.djl.offline", "true");
        if (System.getenv("DJL_CACHE_DIR") == null) {
            setPropertyIfAbsent("DJL_CACHE_DIR", home.djlCache().toString());
        }
        // libtorch's thread pool (OpenMP) reads these once, when it first starts.
        String omp = NativeEnvironment.setIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        // NNPACK's "unsupported hardware" warnings are noise on most CPUs; errors still print.
        NativeEnvironment.setIfAbsent("TORCH_CPP_LOG_LEVEL", "ERROR");
        // libtorch 2.7.1's oneDNN computes wrong (sometimes NaN) input gradients for convolutions
        // whose channel count is not a multiple of 16 with its AVX-512 kernels (measured on an AMD
        // EPYC: 4, 8, 12, 24 channels wrong, 16 and 32 right; see docs/decisions). Its AVX2
        // kernels are right. oneDNN reads this once, at its first primitive.
        NativeEnvironment.setIfAbsent("ONEDNN_MAX_CPU_ISA", "AVX2");
        LOG.info("Engine environment: offline={}, cache={}, OMP_WAIT_POLICY={}, ONEDNN_MAX_CPU_ISA={}",
                System.getProperty("ai.djl.offline"), System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR")), omp,
                NativeEnvironment.get("ONEDNN_MAX_CPU_ISA"));
        prepared = true;
    }

    private static void setPropertyIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The start-up result if {@link #start} has finished, else {@code null}. */
    public static EngineInfo info() {
        return started;
    }

    /**
     * Prepares the environment and loads both engines, reporting each step. Returns at once with the
     * earlier result when already started. ONNX Runtime failing to load is reported in the result,
     * not thrown: Thaw can train without it. PyTorch failing is thrown.
     */
    public static synchronized EngineInfo start(AppHome home, JobMonitor monitor) {
        if (started != null) {
            return started;
        }
        long t0 = System.nanoTime();
        monitor.progress(0.05, "Preparing the engine environment");
        prepare(home);
        monitor.progress(0.15, "Loading PyTorch (the first start unpacks its native libraries)");
        Engine pytorch = Engine.getEngine(PYTORCH);
        String pytorchVersion = pytorch.getVersion();
        int gpus = pytorch.getGpuCount();
        LOG.info("PyTorch engine {} loaded, {} GPU(s)", pytorchVersion, gpus);
        monitor.progress(0.7, "Loading ONNX Runtime");
        String ortVersion = null;
        String ortError = null;
        try {
            Engine.getEngine(ONNX_RUNTIME);
            // DJL reports the version it was built against; ask the library that actually loaded.
            ortVersion = ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
            LOG.info("ONNX Runtime engine {} loaded", ortVersion);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            ortError = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("ONNX Runtime is unavailable; frozen forward passes use PyTorch", e);
        }
        String cache = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        EngineInfo info = new EngineInfo(pytorchVersion, ortVersion, ortError, gpus, cache == null ? null : Path.of(cache),
                NativeEnvironment.get("OMP_WAIT_POLICY"), (System.nanoTime() - t0) / 1_000_000);
        monitor.progress(1.0, "Engines ready: " + info.summary());
        started = info;
        return info;
    }
}
