package dev.thaw.ui.backbone;

import dev.thaw.core.backbone.Architectures;
import dev.thaw.core.backbone.Backbone;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.backbone.BackboneMetadata;
import dev.thaw.core.backbone.BackboneSource;
import dev.thaw.core.backbone.LayerTrees;
import dev.thaw.core.backbone.MetadataOverrides;
import dev.thaw.core.backbone.zoo.ModelZoo;
import dev.thaw.core.backbone.zoo.ZooEntry;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.TaskExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The backbone panel: which backbone is chosen, loading it in the background (a zoo backbone is
 * downloaded first, with progress), its metadata, and its layer tree with the new head sized to
 * the dataset's classes.
 */
public final class BackboneViewModel {

    /** One entry of the source menu. */
    public record Choice(String source, String label, String detail) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final AppHome home;
    private final BackboneLoader loader;
    private final TaskExecutor executor;
    private final LayerTreeViewModel tree = new LayerTreeViewModel();

    private final ObservableList<Choice> choices = FXCollections.observableArrayList();
    private final StringProperty source = new SimpleStringProperty(this, "source");
    private final ReadOnlyObjectWrapper<BackboneMetadata> metadata = new ReadOnlyObjectWrapper<>(this, "metadata");
    private final ReadOnlyObjectWrapper<LayerNode> backboneNode = new ReadOnlyObjectWrapper<>(this, "backboneNode");
    private final IntegerProperty numClasses = new SimpleIntegerProperty(this, "numClasses", 0);
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", -1);
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private BackgroundTask<Loaded> current;

    private record Loaded(String source, BackboneMetadata metadata, LayerNode node) {
    }

    public BackboneViewModel(AppHome home, BackboneLoader loader, TaskExecutor executor) {
        this.home = home;
        this.loader = loader;
        this.executor = executor;
        refreshChoices();
        numClasses.addListener((o, a, b) -> rebuildTree());
    }

    /** Rebuilds the source menu: bundled, model zoo (with cache state), architectures. */
    public void refreshChoices() {
        List<Choice> list = new ArrayList<>();
        if (BackboneLoader.bundledFile().isPresent()) {
            list.add(new Choice("sample", "Bundled: shapes mini-ResNet", "Pretrained by thaw pretrain on sample-data/shapes-source"));
        }
        ModelZoo zoo = new ModelZoo(home);
        for (ZooEntry e : ModelZoo.entries()) {
            boolean cached = zoo.isCached(e.name());
            list.add(new Choice("zoo:" + e.name(), "Model zoo: " + e.title() + (cached ? "" : " (download)"),
                    e.description()));
        }
        for (String arch : Architectures.names()) {
            list.add(new Choice("arch:" + arch, "From scratch: " + arch, "Random weights: the baseline that shows what transfer bought"));
        }
        choices.setAll(list);
    }

    /**
     * Loads {@code sourceText} ({@code sample}, {@code zoo:NAME}, {@code arch:NAME} or a file) in the
     * background. The current backbone stays shown until the new one is ready; a failure is shown
     * as {@link #errorProperty()} and changes nothing else.
     */
    public void load(String sourceText) {
        if (current != null) {
            current.cancel();
        }
        BackboneSource parsed;
        try {
            parsed = BackboneSource.parse(sourceText);
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        error.set(null);
        loading.set(true);
        BackgroundTask<Loaded> task = BackgroundTask.of("Loading " + sourceText, m -> {
            try (Backbone b = loader.load(parsed, MetadataOverrides.NONE, m)) {
                return new Loaded(parsed.text(), b.metadata(), b.backboneNode());
            }
        });
        current = task;
        task.progressProperty().addListener((o, a, p) -> progress.set(p.doubleValue()));
        task.messageProperty().addListener((o, a, t) -> message.set(t));
        executor.execute(task.onSuccess(l -> {
            if (current == task) {
                metadata.set(l.metadata());
                backboneNode.set(l.node());
                source.set(l.source());
                rebuildTree();
            }
        }).onFailure(e -> {
            if (current == task) {
                error.set(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }).onFinished(() -> {
            if (current == task) {
                loading.set(false);
                progress.set(-1);
                message.set("");
                refreshChoices();
            }
        }));
    }

    /** Loads a backbone file the user chose or dropped. */
    public void loadFile(Path file) {
        load(file.toAbsolutePath().toString());
    }

    public void cancelLoad() {
        if (current != null) {
            current.cancel();
        }
    }

    private void rebuildTree() {
        BackboneMetadata md = metadata.get();
        LayerNode node = backboneNode.get();
        if (md == null || node == null) {
            return;
        }
        tree.treeProperty().set(LayerTrees.model(md.name(), node, LayerTrees.head(md.featureDim(), Math.max(0, numClasses.get()))));
    }

    /** True for file names Thaw can load as a backbone. */
    public static boolean isBackboneFile(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript") || n.endsWith(".onnx") || n.endsWith(".params");
    }

    public LayerTreeViewModel tree() {
        return tree;
    }

    public ObservableList<Choice> choices() {
        return choices;
    }

    /** The loaded backbone's source text (what a run spec records), or {@code null}. */
    public StringProperty sourceProperty() {
        return source;
    }

    public ReadOnlyObjectProperty<BackboneMetadata> metadataProperty() {
        return metadata.getReadOnlyProperty();
    }

    /** Classes of the dataset: the new head's output size. */
    public IntegerProperty numClassesProperty() {
        return numClasses;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty errorProperty() {
        return error;
    }

    /** "TorchScript · 224 px · 512 features · trainable" or the reason it cannot train. */
    public StringBinding description() {
        return Bindings.createStringBinding(() -> {
            BackboneMetadata md = metadata.get();
            if (md == null) {
                return "No backbone loaded";
            }
            String train = md.trainable() ? "trainable" : "frozen only: " + md.lockReason();
            return String.format(Locale.ROOT, "%s · input %d px · %d features · %s", md.format().label(), md.inputSize(),
                    md.featureDim(), train);
        }, metadata);
    }

    /** What was assumed rather than read from the file, one per line (empty when nothing). */
    public StringBinding assumptions() {
        return Bindings.createStringBinding(() -> {
            BackboneMetadata md = metadata.get();
            return md == null || md.assumptions().isEmpty() ? "" : "Assumed: " + String.join("; ", md.assumptions());
        }, metadata);
    }
}
