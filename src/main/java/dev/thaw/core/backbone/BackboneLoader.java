package dev.thaw.core.backbone;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.runtime.SampleData;
import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a {@link Backbone} from a {@link BackboneSource} and works out its metadata.
 *
 * <p>Metadata comes, in this order, from the user's overrides ({@code --image-size}, {@code --mean},
 * {@code --std}), the sidecar {@code <same base name>.json}, what the format itself says (a Thaw
 * architecture's design, an ONNX graph's fixed input shape), and last a default that is recorded
 * as an assumption. The feature dimension is always measured with one forward pass. Every error
 * names the file (and the sidecar key) it is about.
 */
public final class BackboneLoader {

    private static final Logger LOG = LoggerFactory.getLogger(BackboneLoader.class);

    /** The bundled backbone's weights in {@code sample-data/backbone/}; its sidecar has the same base name. */
    public static final String BUNDLED_FILE = "shapes-mini-resnet.params";

    private static final int DEFAULT_INPUT_SIZE = 224;

    private final AppHome home;
    private final ZooResolver zoo;

    public BackboneLoader(AppHome home, ZooResolver zoo) {
        this.home = home;
        this.zoo = zoo;
    }

    /** A loader that resolves {@code zoo:} through the model-zoo package. */
    public BackboneLoader(AppHome home) {
        this(home, ZooResolver.modelZoo());
    }

    /** The bundled backbone's weights file, if the sample data is present. */
    public static Optional<Path> bundledFile() {
        return SampleData.folder(SampleData.BACKBONE).map(d -> d.resolve(BUNDLED_FILE)).filter(Files::isRegularFile);
    }

    /** Loads on the CPU. */
    public Backbone load(BackboneSource source, MetadataOverrides overrides, JobMonitor monitor) {
        return load(source, overrides, Device.cpu(), monitor);
    }

    /**
     * Loads {@code source} on {@code device} (ONNX backbones always run on the CPU).
     *
     * @throws IllegalArgumentException when the source is unusable, with a message naming the file
     */
    public Backbone load(BackboneSource source, MetadataOverrides overrides, Device device, JobMonitor monitor) {
        EngineRuntime.start(home, JobMonitor.NONE);
        MetadataOverrides o = overrides == null ? MetadataOverrides.NONE : overrides;
        if (source instanceof BackboneSource.Bundled) {
            Path file = bundledFile().orElseThrow(() -> new IllegalArgumentException(
                    "The bundled backbone is missing: expected sample-data/" + SampleData.BACKBONE + "/" + BUNDLED_FILE
                            + " (make it with: thaw pretrain --data sample-data/shapes-source --arch "
                            + Architectures.MINI_RESNET + " --out sample-data/backbone/" + BUNDLED_FILE + ")"));
            return loadFile(file, source, o, device);
        }
        if (source instanceof BackboneSource.Architecture a) {
            return loadArchitecture(a, o, device);
        }
        if (source instanceof BackboneSource.Zoo z) {
            monitor.progress(-1, "Fetching zoo:" + z.name());
            Path file = zoo.fetch(z.name(), home, monitor);
            return loadFile(file, source, o, device);
        }
        return loadFile(((BackboneSource.File) source).path(), source, o, device);
    }

    private Backbone loadArchitecture(BackboneSource.Architecture a, MetadataOverrides o, Device device) {
        Architectures.Spec spec = Architectures.get(a.name());
        List<String> assumptions = new ArrayList<>();
        int size = o.imageSize() != null ? o.imageSize() : spec.inputSize();
        BackboneMetadata m = new BackboneMetadata(spec.name() + " (random weights)", a.text(), BackboneFormat.DJL, null, null,
                spec.name(), size, o.mean() != null ? o.mean() : spec.mean(), o.std() != null ? o.std() : spec.std(), 0, null,
                assumptions);
        DjlBackbone b = new DjlBackbone(spec, m, null, device);
        b.setMetadata(m.withFeatureDim(b.block().featureDim(), assumptions));
        return b;
    }

    private Backbone loadFile(Path file, BackboneSource source, MetadataOverrides o, Device device) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("Backbone file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("The backbone " + file + " is a folder; give the .pt, .onnx or .params file in it");
        }
        String ext = new BackboneSource.File(file).extension();
        Optional<Sidecar> sidecar = Sidecar.find(file);
        return switch (ext) {
            case "pt", "pth", "torchscript" -> loadTorchScript(file, source, sidecar, o, device);
            case "onnx" -> loadOnnx(file, source, sidecar, o);
            case "params" -> loadParams(file, source, sidecar, o, device);
            default -> throw new IllegalArgumentException("Unknown backbone file type '." + ext + "' (" + file
                    + "): Thaw reads TorchScript (.pt), ONNX (.onnx) and Thaw architecture weights (.params)");
        };
    }

    private Backbone loadParams(Path file, BackboneSource source, Optional<Sidecar> sidecar, MetadataOverrides o, Device device) {
        Sidecar s = sidecar.orElseThrow(() -> new IllegalArgumentException("The weights " + file + " need their sidecar "
                + Sidecar.pathFor(file) + " with an 'arch' key naming the architecture (" + String.join(", ", Architectures.names())
                + ")"));
        if (s.arch() == null) {
            throw new IllegalArgumentException("In the sidecar " + s.file() + ", 'arch' is missing: a .params file needs it ("
                    + String.join(", ", Architectures.names()) + ")");
        }
        Architectures.Spec spec;
        try {
            spec = Architectures.get(s.arch());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("In the sidecar " + s.file() + ", 'arch': " + e.getMessage(), e);
        }
        List<String> assumptions = new ArrayList<>();
        Inputs in = resolveInputs(file, sidecar, o, spec.inputSize(), spec.mean(), spec.std(), assumptions);
        String name = s.name() != null ? s.name() : spec.name() + " (" + file.getFileName() + ")";
        BackboneMetadata m = new BackboneMetadata(name, source.text(), BackboneFormat.DJL, file, null, spec.name(), in.size,
                in.mean, in.std, 0, null, assumptions);
        DjlBackbone b = new DjlBackbone(spec, m, file, device);
        b.setMetadata(m.withFeatureDim(b.block().featureDim(), assumptions));
        return b;
    }

    private Backbone loadTorchScript(Path file, BackboneSource source, Optional<Sidecar> sidecar, MetadataOverrides o,
            Device device) {
        List<String> assumptions = new ArrayList<>();
        Inputs in = resolveInputs(file, sidecar, o, null, null, null, assumptions);
        ZooModel<NDList, NDList> model;
        try {
            String base = file.getFileName().toString();
            base = base.substring(0, base.lastIndexOf('.'));
            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(file)
                    .optModelName(base).optEngine(EngineRuntime.PYTORCH).optDevice(device).optOption("trainParam", "true")
                    .optTranslator(new NoopTranslator()).build();
            model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | EngineException e) {
            throw new IllegalArgumentException("The file " + file + " is not a TorchScript module libtorch can load ("
                    + firstLine(e) + "). A PyTorch state_dict saved with torch.save is not enough: save the model with "
                    + "torch.jit.script(model).save(path)", e);
        }
        Path sibling = sibling(file, "onnx");
        String name = sidecar.map(Sidecar::name).orElse(file.getFileName().toString());
        BackboneMetadata m = new BackboneMetadata(name, source.text(), BackboneFormat.TORCHSCRIPT, file, sibling, null, in.size,
                in.mean, in.std, 0, null, assumptions);
        TorchScriptBackbone b = new TorchScriptBackbone(model, file, m);
        try {
            b.setMetadata(m.withFeatureDim(probeFeatureDim(b, file, sidecar, assumptions), assumptions));
            warnIfClassifier(b, assumptions);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    private Backbone loadOnnx(Path file, BackboneSource source, Optional<Sidecar> sidecar, MetadataOverrides o) {
        OnnxModelInfo info = OnnxModelInfo.read(file);
        List<String> assumptions = new ArrayList<>();
        Integer graphSize = null;
        if (!info.inputs().isEmpty()) {
            long[] d = info.inputs().get(0).dims();
            if (d.length == 4 && d[2] > 0 && d[2] == d[3]) {
                graphSize = (int) d[2];
            }
        }
        Inputs in = resolveInputs(file, sidecar, o, graphSize, null, null, assumptions);
        if (graphSize != null && in.size != graphSize) {
            throw new IllegalArgumentException("The ONNX graph " + file + " takes " + graphSize + " px images, not " + in.size
                    + " (fixed in the graph; drop --image-size or fix the sidecar's 'inputSize')");
        }
        ZooModel<NDList, NDList> model;
        try {
            String base = file.getFileName().toString();
            base = base.substring(0, base.lastIndexOf('.'));
            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(file)
                    .optModelName(base).optEngine(EngineRuntime.ONNX_RUNTIME).optTranslator(new NoopTranslator()).build();
            model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | EngineException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load " + file + " (" + firstLine(e) + ")", e);
        }
        String name = sidecar.map(Sidecar::name).orElse(file.getFileName().toString());
        long batch = info.inputs().isEmpty() || info.inputs().get(0).dims().length == 0 ? -1 : info.inputs().get(0).dims()[0];
        BackboneMetadata m = new BackboneMetadata(name, source.text(), BackboneFormat.ONNX, file, file, null, in.size, in.mean,
                in.std, 0, OnnxBackbone.LOCK_REASON, assumptions);
        OnnxBackbone b = new OnnxBackbone(model, file, info, m, batch > 0 ? (int) batch : 0);
        try {
            b.setMetadata(m.withFeatureDim(probeFeatureDim(b, file, sidecar, assumptions), assumptions));
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** Input size, mean and std after overrides, sidecar, the format's own values and defaults. */
    private record Inputs(int size, float[] mean, float[] std) {
    }

    private static Inputs resolveInputs(Path file, Optional<Sidecar> sidecar, MetadataOverrides o, Integer formatSize,
            float[] formatMean, float[] formatStd, List<String> assumptions) {
        Path sidecarPath = Sidecar.pathFor(file);
        String nothing = sidecar.isPresent() ? "the sidecar " + sidecarPath.getFileName() + " has no '%s'"
                : "no sidecar " + sidecarPath.getFileName();
        int size;
        if (o.imageSize() != null) {
            size = o.imageSize();
        } else if (sidecar.isPresent() && sidecar.get().inputSize() != null) {
            size = sidecar.get().inputSize();
        } else if (formatSize != null) {
            size = formatSize;
        } else {
            size = DEFAULT_INPUT_SIZE;
            assumptions.add("input size " + size + " px assumed (" + String.format(Locale.ROOT, nothing, "inputSize")
                    + " and no --image-size)");
        }
        float[] mean = pick(o.mean(), sidecar.map(Sidecar::mean).orElse(null), formatMean);
        float[] std = pick(o.std(), sidecar.map(Sidecar::std).orElse(null), formatStd);
        if (mean == null || std == null) {
            List<String> missing = new ArrayList<>();
            if (mean == null) {
                mean = BackboneMetadata.IMAGENET_MEAN;
                missing.add("mean");
            }
            if (std == null) {
                std = BackboneMetadata.IMAGENET_STD;
                missing.add("std");
            }
            assumptions.add("ImageNet " + String.join(" and ", missing) + " assumed (" + String.format(Locale.ROOT, nothing,
                    String.join("' and '", missing)) + " and no --" + String.join("/--", missing) + ")");
        }
        return new Inputs(size, mean, std);
    }

    private static float[] pick(float[]... options) {
        for (float[] f : options) {
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** Runs one blank image through the backbone to learn its feature length. */
    private static int probeFeatureDim(Backbone b, Path file, Optional<Sidecar> sidecar, List<String> assumptions) {
        int s = b.metadata().inputSize();
        float[] out;
        try {
            out = b.embed(new float[3 * s * s], 1);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The backbone " + file + " failed on a 1x3x" + s + "x" + s + " input (" + firstLine(e)
                    + "); set the input size with --image-size or the sidecar's 'inputSize'", e);
        }
        int dim = out.length;
        Integer declared = sidecar.map(Sidecar::featureDim).orElse(null);
        if (declared == null) {
            assumptions.add("feature dimension " + dim + " measured by a forward pass");
        } else if (declared != dim) {
            assumptions.add("the sidecar says featureDim " + declared + " but the model returns " + dim + " features; using " + dim);
            LOG.warn("{}: sidecar featureDim {} != measured {}", file, declared, dim);
        }
        return dim;
    }

    private static void warnIfClassifier(TorchScriptBackbone b, List<String> assumptions) {
        List<LayerTrees.NamedShape> params = b.parameterShapes();
        if (params.isEmpty()) {
            return;
        }
        LayerTrees.NamedShape last = params.get(params.size() - 1);
        String name = last.name();
        if (last.shape().length == 1 && params.size() > 1) {
            last = params.get(params.size() - 2);
        }
        if (last.shape().length == 2 && last.shape()[0] == b.metadata().featureDim()
                && (name.startsWith("fc.") || name.startsWith("classifier") || name.startsWith("head"))) {
            assumptions.add("the module ends in a linear layer '" + name.substring(0, name.lastIndexOf('.')) + "' with "
                    + last.shape()[0] + " outputs, which Thaw uses as features; to use the pooled features instead, "
                    + "export the model with that layer replaced by torch.nn.Identity()");
        }
    }

    private static Path sibling(Path file, String ext) {
        String n = file.getFileName().toString();
        Path s = file.resolveSibling(n.substring(0, n.lastIndexOf('.')) + "." + ext);
        return Files.isRegularFile(s) ? s : null;
    }

    /**
     * The ONNX form of {@code backbone} if it has one that gives the same features: an ONNX backbone
     * itself, or the {@code .onnx} sibling of a {@code .pt}, checked on {@code probe} images against
     * the TorchScript output before it is trusted. Empty when there is none or it disagrees (logged).
     *
     * @param probe a few normalized CHW images of the backbone's input size
     */
    public Optional<Backbone> onnxForm(Backbone backbone, float[] probe, int probeCount) {
        BackboneMetadata m = backbone.metadata();
        if (m.format() == BackboneFormat.ONNX) {
            return Optional.of(backbone);
        }
        if (m.onnxFile() == null || EngineRuntime.start(home, JobMonitor.NONE).onnxRuntimeVersion() == null) {
            return Optional.empty();
        }
        Backbone onnx;
        try {
            onnx = loadOnnx(m.onnxFile(), new BackboneSource.File(m.onnxFile()), Optional.empty(),
                    new MetadataOverrides(m.inputSize(), m.mean(), m.std()));
        } catch (RuntimeException e) {
            LOG.warn("Not using the ONNX form {}: it does not load ({})", m.onnxFile(), e.getMessage());
            return Optional.empty();
        }
        try {
            float[] a = backbone.embed(probe, probeCount);
            float[] b = onnx.embed(probe, probeCount);
            double maxAbs = 0;
            double diff = a.length == b.length ? 0 : Double.POSITIVE_INFINITY;
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                maxAbs = Math.max(maxAbs, Math.abs(a[i]));
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            if (diff <= 1e-3 * Math.max(1, maxAbs)) {
                LOG.info("ONNX form {} matches the TorchScript output (max difference {})", m.onnxFile(), diff);
                return Optional.of(onnx);
            }
            LOG.warn("Not using the ONNX form {}: its features differ from the TorchScript ones by up to {}", m.onnxFile(), diff);
        } catch (RuntimeException e) {
            LOG.warn("Not using the ONNX form {}: {}", m.onnxFile(), e.getMessage());
        }
        onnx.close();
        return Optional.empty();
    }

    static String firstLine(Throwable e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        String line = msg.lines().findFirst().orElse(msg).trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
