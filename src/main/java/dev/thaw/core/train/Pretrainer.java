package dev.thaw.core.train;

import dev.thaw.core.backbone.Architectures;
import dev.thaw.core.backbone.Sidecar;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrains one of Thaw's architectures on a labeled folder and writes the backbone (without its
 * classifier) as a {@code .params} file with a sidecar, ready for {@code --backbone FILE}. This is
 * how the bundled sample backbone was made, and how users pretrain their own backbones on a big
 * in-house folder.
 *
 * <p>Pretraining is an ordinary from-scratch run (so it has a run folder with its metrics and
 * checkpoints); the best epoch's backbone weights become the output.
 */
public final class Pretrainer {

    private Pretrainer() {
    }

    /** The spec of a pretraining run of {@code arch} on {@code data}. */
    public static RunSpec spec(String arch, Path data, RunSpec.Builder options) {
        Architectures.get(arch);
        return options.setBackbone("arch:" + arch).setData(data).setStrategy(Strategy.SCRATCH).optName("pretrain-" + arch).build();
    }

    /**
     * Writes the backbone of a finished pretraining run to {@code out} (a {@code .params} file) and
     * its sidecar next to it; returns the sidecar's content.
     */
    public static Map<String, Object> export(RunResult result, String arch, Path out) {
        if (!result.completed() || result.summary() == null) {
            throw new IllegalStateException("The pretraining run did not complete; nothing to export");
        }
        if (!out.getFileName().toString().endsWith(".params")) {
            throw new IllegalArgumentException("The output file must end in .params, was " + out);
        }
        RunFolder folder = new RunFolder(result.folder());
        Path weights = folder.model().resolve("backbone.params");
        if (!Files.isRegularFile(weights)) {
            throw new IllegalStateException("The run " + result.runId() + " has no backbone weights in " + folder.model());
        }
        RunSummary s = result.summary();
        ModelDescriptor model = Json.read(folder.model().resolve(ModelDescriptor.FILE), ModelDescriptor.class);
        SplitManifest split = SplitManifest.load(folder.file(RunFolder.SPLIT));
        Architectures.Spec spec = Architectures.get(arch);
        Map<String, Object> sidecar = new LinkedHashMap<>();
        sidecar.put("name", arch + " pretrained on " + split.root().getFileName());
        sidecar.put("arch", arch);
        sidecar.put("inputSize", model.inputSize());
        sidecar.put("mean", model.mean());
        sidecar.put("std", model.std());
        sidecar.put("featureDim", model.featureDim());
        sidecar.put("trainedOn", split.root().getFileName().toString());
        sidecar.put("trainedOnClasses", split.classes());
        sidecar.put("trainImages", s.trainImages());
        sidecar.put("valImages", s.valImages());
        sidecar.put("valAccuracy", Math.round(s.bestValAcc() * 10000) / 10000.0);
        sidecar.put("epochs", s.epochs());
        sidecar.put("bestEpoch", s.bestEpoch());
        sidecar.put("seed", s.seed());
        sidecar.put("parameters", s.totalParams() - (long) (model.featureDim() + 1) * split.classes().size());
        sidecar.put("description", spec.description());
        sidecar.put("pretrainRun", result.runId());
        sidecar.put("created", Instant.now().toString());
        RunSpec run = folder.readSpec();
        sidecar.put("howToRemake", String.format(Locale.ROOT, "thaw pretrain --data %s --arch %s --epochs %d --augment %s%s --seed %d --out %s",
                run.data().toString().replace('\\', '/'), arch, s.epochsPlanned(), run.augmentation().name().toLowerCase(Locale.ROOT),
                run.domainRandomization() ? "" : " --no-domain-randomization", s.seed(), out.toString().replace('\\', '/')));
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
            try {
                Files.copy(weights, tmp, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out + ": " + e.getMessage(), e);
        }
        Json.write(Sidecar.pathFor(out), sidecar);
        return sidecar;
    }
}
