package dev.thaw.core.eval;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.thaw.core.backbone.Backbone;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.backbone.BackboneSource;
import dev.thaw.core.backbone.MetadataOverrides;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.ImageLoadException;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.ImageTransform;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.train.ModelDescriptor;
import dev.thaw.core.util.Digests;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A trained run's model, loaded for prediction on the real engine: the backbone (the trained
 * weights when it trained, else the original file, checked against the SHA-256 recorded at
 * training time) and the head, fed exactly as validation images were (resize to the input size,
 * the backbone's mean and std, no augmentation).
 *
 * <p>Not thread-safe: one prediction at a time.
 */
public final class Predictor implements AutoCloseable {

    /** One class and its probability. */
    public record Prediction(String label, double probability) {
    }

    private final ModelDescriptor descriptor;
    private final Path modelDir;
    private final Backbone backbone;
    private final NDManager manager;
    private final Linear head;
    private final ImagePipeline pipeline;
    private final Path tempDir;

    private Predictor(ModelDescriptor descriptor, Path modelDir, Backbone backbone, NDManager manager, Linear head, Path tempDir) {
        this.descriptor = descriptor;
        this.modelDir = modelDir;
        this.backbone = backbone;
        this.manager = manager;
        this.head = head;
        this.tempDir = tempDir;
        this.pipeline = new ImagePipeline(transform(descriptor), 1, 0);
    }

    static ImageTransform transform(ModelDescriptor d) {
        return new ImageTransform(d.inputSize(), d.mean(), d.std());
    }

    /** Opens a run folder or its {@code model/} folder with the app home's settings. */
    public static Predictor open(Path runFolderOrModelDir) {
        return open(runFolderOrModelDir, AppHome.resolve());
    }

    /**
     * Opens a run folder or its {@code model/} folder.
     *
     * @throws IllegalArgumentException naming the file when there is no trained model, a file it
     *     needs is missing, or the original backbone file changed since training
     */
    public static Predictor open(Path runFolderOrModelDir, AppHome home) {
        Path modelDir = modelDir(runFolderOrModelDir);
        ModelDescriptor d = descriptor(modelDir);
        EngineRuntime.start(home, JobMonitor.NONE);
        Path temp = null;
        Backbone backbone = null;
        NDManager manager = null;
        try {
            MetadataOverrides overrides = new MetadataOverrides(d.inputSize(), d.mean(), d.std());
            BackboneLoader loader = new BackboneLoader(home);
            if (d.backboneWeights() != null) {
                Path weights = modelDir.resolve(d.backboneWeights());
                if (!Files.isRegularFile(weights)) {
                    throw new IllegalArgumentException("The trained backbone weights are missing: " + weights);
                }
                if (weights.getFileName().toString().endsWith(".params")) {
                    // A Thaw architecture's weights need a sidecar naming the architecture; the run
                    // folder stays untouched, so the pair is put in a temporary folder.
                    temp = Files.createTempDirectory("thaw-predict");
                    Path copy = temp.resolve("backbone.params");
                    Files.copy(weights, copy);
                    Map<String, Object> sidecar = new LinkedHashMap<>();
                    sidecar.put("arch", d.backboneArchitecture());
                    sidecar.put("inputSize", d.inputSize());
                    sidecar.put("mean", d.mean());
                    sidecar.put("std", d.std());
                    Json.write(temp.resolve("backbone.json"), sidecar);
                    weights = copy;
                }
                backbone = loader.load(new BackboneSource.File(weights), overrides, Device.cpu(), JobMonitor.NONE);
            } else if (d.backboneFile() != null) {
                Path file = Path.of(d.backboneFile());
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("The backbone this run used is missing: " + file
                            + " (the run kept only its head, since the backbone did not train)");
                }
                if (d.backboneSha256() != null && !d.backboneSha256().equals(Digests.sha256(file))) {
                    throw new IllegalArgumentException("The backbone file " + file + " changed since this run trained (its SHA-256 "
                            + "differs from the one recorded in " + modelDir.resolve(ModelDescriptor.FILE)
                            + "); predictions would be meaningless. Put the original file back or train again");
                }
                backbone = loader.load(new BackboneSource.File(file), overrides, Device.cpu(), JobMonitor.NONE);
            } else {
                throw new IllegalArgumentException("The run's backbone (" + d.backboneSource() + ") had random weights that were "
                        + "not saved, so " + modelDir + " cannot predict");
            }
            if (backbone.metadata().featureDim() != d.featureDim()) {
                throw new IllegalArgumentException("The backbone gives " + backbone.metadata().featureDim() + " features but the head in "
                        + modelDir + " expects " + d.featureDim());
            }
            manager = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH);
            Linear head = Linear.builder().setUnits(d.classes().size()).build();
            head.initialize(manager, DataType.FLOAT32, new Shape(1, d.featureDim()));
            Path headFile = modelDir.resolve(d.head() == null ? ModelDescriptor.HEAD : d.head());
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(headFile)))) {
                head.loadParameters(manager, in);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot read the head weights " + headFile + ": " + e.getMessage(), e);
            }
            return new Predictor(d, modelDir, backbone, manager, head, temp);
        } catch (IOException e) {
            closeAll(backbone, manager, temp);
            throw new UncheckedIOException("Cannot prepare the model in " + modelDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(backbone, manager, temp);
            throw e;
        }
    }

    /** The {@code model/} folder of a run folder, or the folder itself when it holds {@code model.json}. */
    public static Path modelDir(Path runFolderOrModelDir) {
        if (runFolderOrModelDir == null || !Files.isDirectory(runFolderOrModelDir)) {
            throw new IllegalArgumentException("Not a run or model folder: " + runFolderOrModelDir);
        }
        if (Files.isRegularFile(runFolderOrModelDir.resolve(ModelDescriptor.FILE))) {
            return runFolderOrModelDir;
        }
        Path m = runFolderOrModelDir.resolve(RunFolder.MODEL);
        if (Files.isRegularFile(m.resolve(ModelDescriptor.FILE))) {
            return m;
        }
        throw new IllegalArgumentException("No trained model in " + runFolderOrModelDir + " (" + RunFolder.MODEL + "/"
                + ModelDescriptor.FILE + " is missing: the run did not finish an epoch)");
    }

    /** Reads {@code model.json} of a model folder. */
    public static ModelDescriptor descriptor(Path modelDir) {
        Path f = modelDir.resolve(ModelDescriptor.FILE);
        try {
            ModelDescriptor d = Json.read(f, ModelDescriptor.class);
            if (d == null || d.classes() == null || d.classes().isEmpty() || d.inputSize() <= 0 || d.mean() == null || d.std() == null) {
                throw new IllegalArgumentException("Incomplete model description " + f + " (classes, inputSize, mean and std are needed)");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Unreadable model description " + f + ": " + e.getMessage(), e);
        }
    }

    private static void closeAll(Backbone b, NDManager m, Path temp) {
        if (b != null) {
            b.close();
        }
        if (m != null) {
            m.close();
        }
        deleteQuietly(temp);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder; the OS cleans it eventually
        }
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public List<String> classes() {
        return descriptor.classes();
    }

    public Path modelDir() {
        return modelDir;
    }

    /**
     * The {@code topK} most probable classes for {@code image}, most probable first.
     *
     * @throws IllegalArgumentException naming the file when it is missing or cannot be decoded
     */
    public List<Prediction> predict(Path image, int topK) {
        float[] p = probabilities(image);
        List<Prediction> all = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            all.add(new Prediction(descriptor.classes().get(i), p[i]));
        }
        all.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return List.copyOf(all.subList(0, Math.max(1, Math.min(topK, all.size()))));
    }

    /** The model input for {@code image}: {@code 3 x size x size}, normalized, as validation images were fed. */
    public float[] input(Path image) {
        if (image == null || !Files.isRegularFile(image)) {
            throw new IllegalArgumentException("Image not found: " + image);
        }
        try {
            return pipeline.load(image, Augmentation.NONE, 0);
        } catch (ImageLoadException e) {
            throw new IllegalArgumentException("Cannot read the image " + image + ": " + e.reason(), e);
        }
    }

    /** The probability of every class (in {@link #classes()} order) for {@code image}. */
    public float[] probabilities(Path image) {
        float[] chw = input(image);
        float[] features = backbone.embed(chw, 1);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(features, new Shape(1, features.length));
            NDArray logits = head.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            return logits.softmax(1).toFloatArray();
        }
    }

    @Override
    public void close() {
        pipeline.close();
        closeAll(backbone, manager, tempDir);
    }
}
