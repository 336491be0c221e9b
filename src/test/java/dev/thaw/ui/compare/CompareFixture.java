package dev.thaw.ui.compare;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.testing.SyntheticRuns;
import dev.thaw.testing.SyntheticRuns.Prediction;
import dev.thaw.testing.TestImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two runs on the same 12 validation images (4 per class, real PNG files): A (feature extraction,
 * backbone frozen) gets 10 right, B (fine-tuning, stem and stage1 frozen) gets 6 right; 5 images are
 * right only in A and 1 only in B.
 */
final class CompareFixture {

    static final int A_ONLY = 5;
    static final int B_ONLY = 1;

    private CompareFixture() {
    }

    static List<RunStore.RunInfo> twoRuns(Path tmp) {
        Path data = TestImages.presplit(tmp.resolve("data"), 2, 4, 24, 3);
        List<Prediction> a = new ArrayList<>();
        List<Prediction> b = new ArrayList<>();
        int n = 0;
        for (String cls : TestImages.CLASSES) {
            for (int i = 0; i < 4; i++, n++) {
                String file = String.format(Locale.ROOT, "val/%s/%03d.png", cls, i);
                String other = TestImages.CLASSES.get((TestImages.CLASSES.indexOf(cls) + 1) % 3);
                // A: wrong on images 0 and 1; B: right on 0 and on 6..10
                boolean aRight = n >= 2;
                boolean bRight = n == 0 || n >= 6 && n <= 10;
                a.add(new Prediction(file, cls, aRight ? cls : other, 0.9));
                b.add(new Prediction(file, cls, bRight ? cls : other, 0.6));
            }
        }
        Path runs = tmp.resolve("runs");
        SyntheticRuns.write(runs, "20261124-080000-fe-sample", Strategy.FEATURE_EXTRACTION, FreezePlan.of("backbone"), data, 0.003,
                new double[] {0.5, 0.7, 0.8, 10 / 12.0}, a);
        SyntheticRuns.write(runs, "20261124-081000-ft-sample", Strategy.FINE_TUNING,
                FreezePlan.of("backbone.stem", "backbone.stage1"), data, 0.005, new double[] {0.4, 0.5, 0.6, 0.5}, b);
        RunStore store = new RunStore(runs);
        List<RunStore.RunInfo> all = new ArrayList<>(store.list());
        java.util.Collections.reverse(all); // oldest first: A, then B
        return all;
    }
}
