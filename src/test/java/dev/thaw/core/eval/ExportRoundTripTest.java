package dev.thaw.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.ValPredictions;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train a tiny real run, predict with it, export it, load the export with DJL: the same answers. */
class ExportRoundTripTest {

    @TempDir
    static Path dir;
    private static AppHome home;
    private static TrainingService service;
    private static Path data;

    @BeforeAll
    static void setUp() {
        data = TestImages.presplit(dir.resolve("data"), 6, 4, 32, 3);
        home = AppHome.at(dir.resolve("home"));
        service = new TrainingService(home, new RunStore(dir.resolve("runs")), new BackboneLoader(home));
    }

    @AfterAll
    static void tearDown() {
        service.close();
    }

    private static RunFolder train(RunSpec spec) {
        RunResult r = service.submit(spec).result().join();
        assertThat(r.completed()).as("%s", r.terminal()).isTrue();
        return new RunFolder(r.folder());
    }

    private static List<Path> valImages(RunFolder run) {
        ValPredictions p = ValPredictions.read(run, ValPredictions.Epoch.BEST).orElseThrow();
        return p.rows().stream().map(r -> r.resolve(p.dataRoot())).toList();
    }

    @Test
    void torchScriptRunExportsAModelPtAndADjlFolderThatAgreeWithThePredictor() throws Exception {
        RunFolder run = train(RunSpec.builder().setBackbone(TestModels.TINY_PT.toAbsolutePath().toString()).setData(data)
                .setStrategy(Strategy.FINE_TUNING).optEpochs(2).optBatchSize(6).optSeed(3).build());
        Path out = dir.resolve("export-ts");
        ModelExport.ExportResult result = ModelExport.export(run, out, home);
        assertThat(result.torchScript()).contains(out.resolve("model.pt"));
        assertThat(result.needsThawJar()).isFalse();
        assertThat(out.resolve("report/curves.png")).isRegularFile();
        assertThat(Files.readAllLines(out.resolve("report/metrics.csv"))).hasSize(1 + 2);
        assertThat(Files.readAllLines(out.resolve("report/per_class.csv"))).hasSize(1 + 3);
        assertThat(Files.readString(out.resolve("djl/serving.properties"))).contains("normalize=").contains("centerCrop=true");

        List<Path> images = valImages(run);
        try (dev.thaw.core.eval.Predictor ours = dev.thaw.core.eval.Predictor.open(run.dir(), home)) {
            // the predictor reproduces the run's own validation predictions
            ValPredictions saved = ValPredictions.read(run, ValPredictions.Epoch.BEST).orElseThrow();
            for (int i = 0; i < images.size(); i++) {
                float[] p = ours.probabilities(images.get(i));
                assertThat(p).containsExactly(saved.rows().get(i).probabilities(), within(2e-4f));
            }
            // model.pt in plain libtorch: same probabilities on the same input
            Criteria<NDList, NDList> c = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(out.resolve("model.pt")).optEngine("PyTorch").optTranslator(new NoopTranslator()).build();
            try (ZooModel<NDList, NDList> m = c.loadModel(); Predictor<NDList, NDList> pt = m.newPredictor();
                    NDManager nd = NDManager.newBaseManager("PyTorch")) {
                for (Path image : images) {
                    NDArray x = nd.create(ours.input(image), new Shape(1, 3, 32, 32));
                    float[] logits = pt.predict(new NDList(x)).singletonOrThrow().softmax(1).toFloatArray();
                    assertThat(logits).containsExactly(ours.probabilities(image), within(1e-4f));
                }
            }
            // the DJL folder with Criteria, Image in and Classifications out: same top-1
            Criteria<Image, Classifications> ci = Criteria.builder().setTypes(Image.class, Classifications.class)
                    .optModelPath(result.djlFolder()).build();
            int agree = 0;
            try (ZooModel<Image, Classifications> m = ci.loadModel(); Predictor<Image, Classifications> p = m.newPredictor()) {
                for (Path image : images) {
                    Classifications cl = p.predict(ImageFactory.getInstance().fromFile(image));
                    if (cl.best().getClassName().equals(ours.predict(image, 1).get(0).label())) {
                        agree++;
                    }
                }
            }
            assertThat(agree).isEqualTo(images.size());
        }
    }

    @Test
    void djlArchitectureRunExportsAFolderCriteriaLoadsThroughTheBlockFactory() throws Exception {
        RunFolder run = train(RunSpec.builder().setBackbone("arch:mini-resnet").setData(data).setStrategy(Strategy.SCRATCH)
                .optImageSize(32).optEpochs(1).optBatchSize(6).optSeed(4).build());
        Path out = dir.resolve("export-djl");
        ModelExport.ExportResult result = ModelExport.export(run, out, home);
        assertThat(result.torchScript()).isEmpty();
        assertThat(result.torchScriptNote()).contains("not available").contains("mini-resnet");
        assertThat(result.needsThawJar()).isTrue();
        List<Path> images = valImages(run);
        Criteria<Image, Classifications> ci = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(result.djlFolder()).build();
        try (dev.thaw.core.eval.Predictor ours = dev.thaw.core.eval.Predictor.open(run.dir(), home);
                ZooModel<Image, Classifications> m = ci.loadModel(); Predictor<Image, Classifications> p = m.newPredictor()) {
            for (Path image : images) {
                Classifications cl = p.predict(ImageFactory.getInstance().fromFile(image));
                List<dev.thaw.core.eval.Predictor.Prediction> top = ours.predict(image, 3);
                assertThat(top).hasSize(3);
                assertThat(cl.best().getClassName()).as(image.toString()).isEqualTo(top.get(0).label());
                assertThat(cl.best().getProbability()).isCloseTo(top.get(0).probability(), within(0.05));
            }
        }
    }

    @Test
    void predictorNamesBadImagesAndAChangedBackbone() throws Exception {
        Path backbone = TestModels.copy(TestModels.TINY_PT, dir.resolve("bb"), "mine.pt");
        RunFolder run = train(RunSpec.builder().setBackbone(backbone.toString()).setData(data).setStrategy(Strategy.FEATURE_EXTRACTION)
                .optEpochs(2).optBatchSize(6).build());
        Path notAnImage = Files.writeString(dir.resolve("notes.jpg"), "hello");
        try (dev.thaw.core.eval.Predictor ours = dev.thaw.core.eval.Predictor.open(run.dir(), home)) {
            assertThatThrownBy(() -> ours.predict(notAnImage, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(notAnImage.toString());
            assertThatThrownBy(() -> ours.predict(dir.resolve("missing.png"), 3)).hasMessageContaining("missing.png");
            assertThat(ours.predict(valImages(run).get(0), 10)).hasSize(3);
        }
        // a feature-extraction run exports the original (Python-written) TorchScript file with its head
        ModelExport.ExportResult fe = ModelExport.export(run, dir.resolve("export-fe"), home);
        assertThat(fe.torchScript()).isPresent();
        try (dev.thaw.core.eval.Predictor ours = dev.thaw.core.eval.Predictor.open(run.dir(), home);
                ExportedModel exported = ExportedModel.open(dir.resolve("export-fe"), home)) {
            for (Path image : valImages(run)) {
                assertThat(exported.predict(image, 1).get(0).label()).isEqualTo(ours.predict(image, 1).get(0).label());
            }
        }
        // feature extraction keeps only the head: the original backbone must be unchanged
        Files.write(backbone, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> dev.thaw.core.eval.Predictor.open(run.dir(), home)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(backbone.toString()).hasMessageContaining("changed");
        assertThatThrownBy(() -> dev.thaw.core.eval.Predictor.open(dir.resolve("runs"), home))
                .hasMessageContaining("No trained model");
    }

    @Test
    void onnxFeatureExtractionPredictsLikeItsValidationButIsNotExportable() {
        RunFolder run = train(RunSpec.builder().setBackbone(TestModels.TINY_ONNX.toAbsolutePath().toString()).setData(data)
                .setStrategy(Strategy.FEATURE_EXTRACTION).optEpochs(3).optBatchSize(6).build());
        ValPredictions saved = ValPredictions.read(run, ValPredictions.Epoch.BEST).orElseThrow();
        try (dev.thaw.core.eval.Predictor ours = dev.thaw.core.eval.Predictor.open(run.dir(), home)) {
            List<Path> images = valImages(run);
            for (int i = 0; i < images.size(); i++) {
                assertThat(ours.probabilities(images.get(i))).containsExactly(saved.rows().get(i).probabilities(), within(2e-4f));
            }
        }
        assertThatThrownBy(() -> ModelExport.export(run, dir.resolve("export-onnx"), home)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ONNX");
    }
}
