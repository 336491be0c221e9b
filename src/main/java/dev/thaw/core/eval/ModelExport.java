package dev.thaw.core.eval;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.thaw.core.backbone.BackboneFormat;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Exports a trained run for use outside Thaw:
 *
 * <pre>
 * OUT/djl/            a folder DJL loads with Criteria.builder().optModelPath(OUT/djl) (Image in, Classifications out):
 *   model.pt            the network (TorchScript backbones), or djl-0000.params (Thaw architectures, built by ThawBlockFactory)
 *   synset.txt          the class names, in output order
 *   serving.properties  engine, translator, preprocessing (resize the short side, center crop, normalize), softmax
 * OUT/model.pt        backbone + head as one TorchScript module (TorchScript backbones only): torch.jit.load(...)(x) gives logits
 * OUT/labels.txt      the class names
 * OUT/report/         curves.png, metrics.csv (per epoch), per_class.csv, confusion.csv, summary.json
 * OUT/README.txt      how to load each, and the preprocessing
 * </pre>
 */
public final class ModelExport {

    /** The short side images are resized to before the center crop: {@code round(size / 0.875)}, as Thaw's validation does. */
    static int resizeShort(int size) {
        return (int) Math.round(size / 0.875);
    }

    /**
     * What was written.
     *
     * @param djlFolder the folder for DJL's {@code Criteria}
     * @param torchScript {@code model.pt}, when the backbone is TorchScript
     * @param torchScriptNote why there is no {@code model.pt}, or {@code null}
     * @param needsThawJar true when loading {@code djlFolder} needs Thaw's jar on the class path ({@link ThawBlockFactory})
     * @param report the report folder
     * @param files every file written
     */
    public record ExportResult(Path djlFolder, Optional<Path> torchScript, String torchScriptNote, boolean needsThawJar, Path report,
            List<Path> files) {
    }

    private ModelExport() {
    }

    /** Exports with the app home's settings. */
    public static ExportResult export(RunFolder run, Path outDir) {
        return export(run, outDir, AppHome.resolve());
    }

    /**
     * Exports {@code run} to {@code outDir} (created; files of a previous export there are replaced).
     *
     * @throws IllegalArgumentException naming the file when the run has no model, or its backbone
     *     cannot be exported
     */
    public static ExportResult export(RunFolder run, Path outDir, AppHome home) {
        Path modelDir = Predictor.modelDir(run.dir());
        ModelDescriptor d = Predictor.descriptor(modelDir);
        EngineRuntime.start(home, JobMonitor.NONE);
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
            Path djl = outDir.resolve("djl");
            Files.createDirectories(djl);
            Path labels = write(outDir.resolve("labels.txt"), String.join("\n", d.classes()) + "\n", files);
            write(djl.resolve("synset.txt"), String.join("\n", d.classes()) + "\n", files);
            Optional<Path> torchScript = Optional.empty();
            String note = null;
            boolean needsJar = false;
            Map<String, String> props = new LinkedHashMap<>();
            props.put("engine", EngineRuntime.PYTORCH);
            props.put("translatorFactory", "ai.djl.modality.cv.translator.ImageClassificationTranslatorFactory");
            props.put("width", Integer.toString(d.inputSize()));
            props.put("height", Integer.toString(d.inputSize()));
            props.put("resizeShort", Integer.toString(resizeShort(d.inputSize())));
            props.put("centerCrop", "true");
            props.put("normalize", String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s", d.mean()[0], d.mean()[1], d.mean()[2], d.std()[0],
                    d.std()[1], d.std()[2]));
            props.put("applySoftmax", "true");
            props.put("synsetFileName", "synset.txt");
            String format = d.backboneFormat();
            if (BackboneFormat.TORCHSCRIPT.name().equals(format)) {
                Path backbone = backboneFile(modelDir, d);
                Path pt = outDir.resolve("model.pt");
                float[][] head = readHead(modelDir, d);
                try {
                    TorchScriptExport.write(backbone, head[0], head[1], d.classes().size(), d.featureDim(), pt);
                } catch (IOException e) {
                    throw new IllegalArgumentException("Cannot make a TorchScript file of " + backbone + " and its head: " + e.getMessage(),
                            e);
                }
                files.add(pt);
                torchScript = Optional.of(pt);
                Files.copy(pt, djl.resolve("model.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                files.add(djl.resolve("model.pt"));
            } else if (BackboneFormat.DJL.name().equals(format)) {
                note = "model.pt is not available: the backbone is Thaw's own " + d.backboneArchitecture() + " architecture, "
                        + "built from DJL blocks, and DJL cannot write a DJL block as TorchScript. The djl/ folder holds it instead "
                        + "(loaded with Thaw's jar on the class path).";
                needsJar = true;
                writeDjlBlock(modelDir, d, djl, files);
                props.put("blockFactory", ThawBlockFactory.class.getName());
                props.put("arch", d.backboneArchitecture());
                props.put("classes", Integer.toString(d.classes().size()));
            } else {
                throw new IllegalArgumentException("Export needs a TorchScript or Thaw-architecture backbone; this run's backbone "
                        + d.backboneSource() + " is " + format + " (ONNX Runtime runs it, but cannot be combined with the head here)");
            }
            StringBuilder sp = new StringBuilder("# Written by Thaw's export: how DJL loads and feeds this model\n");
            props.forEach((k, v) -> sp.append(k).append('=').append(v).append('\n'));
            write(djl.resolve("serving.properties"), sp.toString(), files);
            Path report = ReportWriter.write(run, outDir.resolve("report"), d, files);
            write(outDir.resolve("README.txt"), readme(d, torchScript.isPresent(), note, needsJar), files);
            return new ExportResult(djl, torchScript, note, needsJar, report, List.copyOf(files));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot export to " + outDir + ": " + e.getMessage(), e);
        }
    }

    private static Path backboneFile(Path modelDir, ModelDescriptor d) {
        if (d.backboneWeights() != null) {
            Path p = modelDir.resolve(d.backboneWeights());
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("The trained backbone weights are missing: " + p);
            }
            return p;
        }
        if (d.backboneFile() == null) {
            throw new IllegalArgumentException("The run's backbone weights were not saved, so it cannot be exported");
        }
        Path p = Path.of(d.backboneFile());
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("The backbone this run used is missing: " + p);
        }
        if (d.backboneSha256() != null && !d.backboneSha256().equals(Digests.sha256(p))) {
            throw new IllegalArgumentException("The backbone file " + p + " changed since this run trained (its SHA-256 differs); "
                    + "put the original back or train again");
        }
        return p;
    }

    /** The head's weight ({@code classes x featureDim}, row-major) and bias. */
    private static float[][] readHead(Path modelDir, ModelDescriptor d) {
        Path headFile = headFile(modelDir, d);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH)) {
            Linear head = Linear.builder().setUnits(d.classes().size()).build();
            head.initialize(m, DataType.FLOAT32, new Shape(1, d.featureDim()));
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(headFile)))) {
                head.loadParameters(m, in);
            }
            return new float[][] {head.getParameters().get("weight").getArray().toFloatArray(),
                head.getParameters().get("bias").getArray().toFloatArray()};
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read the head weights " + headFile + ": " + e.getMessage(), e);
        }
    }

    private static void writeDjlBlock(Path modelDir, ModelDescriptor d, Path djl, List<Path> files) throws IOException {
        Path weights = backboneFile(modelDir, d);
        try (Model model = Model.newInstance("djl", Device.cpu(), EngineRuntime.PYTORCH)) {
            SequentialBlock block = ThawBlockFactory.classifier(d.backboneArchitecture(), d.classes().size());
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, d.inputSize(), d.inputSize()));
            Block backbone = block.getChildren().get(0).getValue();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
                backbone.loadParameters(model.getNDManager(), in);
            } catch (MalformedModelException e) {
                throw new IllegalArgumentException("The weights " + weights + " do not fit " + d.backboneArchitecture() + ": "
                        + e.getMessage(), e);
            }
            Block linear = block.getChildren().get(1).getValue();
            Path headFile = headFile(modelDir, d);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(headFile)))) {
                linear.loadParameters(model.getNDManager(), in);
            } catch (MalformedModelException e) {
                throw new IllegalArgumentException("Cannot read the head weights " + headFile + ": " + e.getMessage(), e);
            }
            model.setBlock(block);
            model.save(djl, "djl");
        }
        try (var s = Files.list(djl)) {
            s.filter(p -> p.getFileName().toString().endsWith(".params")).forEach(files::add);
        }
    }

    private static String readme(ModelDescriptor d, boolean torchScript, String note, boolean needsJar) {
        StringBuilder sb = new StringBuilder();
        sb.append("Exported by Thaw from a run on ").append(d.classes().size()).append(" classes (").append(String.join(", ", d.classes()))
                .append(").\n\n");
        sb.append(String.format(Locale.ROOT, "Preprocessing: RGB, resize the shorter side to %d px (bilinear), center-crop %dx%d, "
                + "scale to 0..1, normalize with mean %s and std %s, layout NCHW.%n%n", resizeShort(d.inputSize()), d.inputSize(),
                d.inputSize(), java.util.Arrays.toString(d.mean()), java.util.Arrays.toString(d.std())));
        sb.append("DJL (Java):\n  Criteria.builder().setTypes(Image.class, Classifications.class)\n"
                + "      .optModelPath(Paths.get(\"djl\")).build().loadModel()\n");
        if (needsJar) {
            sb.append("  The network is a Thaw architecture: put Thaw's jar on the class path (serving.properties names "
                    + ThawBlockFactory.class.getName() + ").\n");
        }
        sb.append('\n');
        if (torchScript) {
            sb.append("PyTorch (Python):\n  m = torch.jit.load(\"model.pt\").eval()\n  logits = m(x)  # x: (N, 3, ").append(d.inputSize())
                    .append(", ").append(d.inputSize()).append(") normalized as above; classes in labels.txt\n");
        } else if (note != null) {
            sb.append(note).append('\n');
        }
        return sb.toString();
    }

    private static Path write(Path file, String text, List<Path> files) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        files.add(file);
        return file;
    }

    /** Exports the run {@code idOrPrefix} of {@code store}. */
    public static ExportResult export(RunStore store, String idOrPrefix, Path outDir, AppHome home) {
        return export(store.require(idOrPrefix).folder(), outDir, home);
    }

    private static Path headFile(Path modelDir, ModelDescriptor d) {
        return modelDir.resolve(d.head() == null ? ModelDescriptor.HEAD : d.head());
    }
}
