package dev.thaw.core.eval;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An export's {@code djl/} folder loaded the way any DJL user would, with {@code Criteria} and the
 * translator its {@code serving.properties} names: a check that an export works outside Thaw's
 * own {@link dev.thaw.core.eval.Predictor}.
 */
public final class ExportedModel implements AutoCloseable {

    private final ZooModel<Image, Classifications> model;
    private final Predictor<Image, Classifications> predictor;

    private ExportedModel(ZooModel<Image, Classifications> model) {
        this.model = model;
        this.predictor = model.newPredictor();
    }

    /** True when {@code dir} is an export folder (or its {@code djl/} folder). */
    public static boolean isExport(Path dir) {
        return dir != null && (Files.isRegularFile(dir.resolve("djl/serving.properties"))
                || Files.isRegularFile(dir.resolve("serving.properties")));
    }

    /** Loads an export folder (or its {@code djl/} folder). */
    public static ExportedModel open(Path dir, AppHome home) {
        Path djl = Files.isRegularFile(dir.resolve("serving.properties")) ? dir : dir.resolve("djl");
        if (!Files.isRegularFile(djl.resolve("serving.properties"))) {
            throw new IllegalArgumentException("Not an export folder: " + dir + " (djl/serving.properties is missing)");
        }
        EngineRuntime.start(home, JobMonitor.NONE);
        Criteria<Image, Classifications> c = Criteria.builder().setTypes(Image.class, Classifications.class).optModelPath(djl).build();
        try {
            return new ExportedModel(c.loadModel());
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new IllegalArgumentException("DJL cannot load the export " + djl + ": " + e.getMessage(), e);
        }
    }

    /** The {@code topK} most probable classes for {@code image}. */
    public List<dev.thaw.core.eval.Predictor.Prediction> predict(Path image, int topK) {
        if (image == null || !Files.isRegularFile(image)) {
            throw new IllegalArgumentException("Image not found: " + image);
        }
        Image img;
        try {
            img = ImageFactory.getInstance().fromFile(image);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read the image " + image + ": " + e.getMessage(), e);
        }
        try {
            Classifications c = predictor.predict(img);
            List<dev.thaw.core.eval.Predictor.Prediction> out = new ArrayList<>();
            for (Classifications.Classification k : c.topK(Math.max(1, topK))) {
                out.add(new dev.thaw.core.eval.Predictor.Prediction(k.getClassName(), k.getProbability()));
            }
            return out;
        } catch (TranslateException e) {
            throw new IllegalArgumentException("Prediction failed on " + image + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
