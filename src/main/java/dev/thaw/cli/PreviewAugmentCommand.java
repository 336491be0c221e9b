package dev.thaw.cli;

import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.AugmentationPreview;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.ImageTransform;
import dev.thaw.core.data.LabeledImage;
import dev.thaw.core.data.SkippedImage;
import dev.thaw.core.data.SplitManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw preview-augment}: writes a grid of augmented samples, to see what a preset does. */
@Command(name = "preview-augment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a PNG grid showing what an augmentation preset does: one row per image, the plain "
                + "model input first, then augmented versions."})
final class PreviewAugmentCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR_OR_FILES", arity = "1..*",
            description = "A dataset folder (images are taken from its training split, classes in turn) or image files.")
    List<Path> inputs;

    @Option(names = {"-o", "--out"}, defaultValue = "augment-preview.png", description = "The PNG to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = {"-a", "--augment"}, defaultValue = "strong",
            description = "The preset: none, light or strong (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--images", defaultValue = "6", description = "Rows (images) in the grid (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--variants", defaultValue = "5", description = "Augmented versions per image (default: ${DEFAULT-VALUE}).")
    int variants;

    @Option(names = "--size", defaultValue = "224", description = "Model input size in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Augmentation preset;
        try {
            preset = Augmentation.valueOf(augment.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("unknown preset '" + augment + "': use none, light or strong");
        }
        if (images < 1 || variants < 1 || size < 8) {
            throw new UserException("--images and --variants must be at least 1, --size at least 8");
        }
        List<Path> files = pick();
        if (files.isEmpty()) {
            throw new UserException("no images found in " + inputs);
        }
        PrintWriter console = spec.commandLine().getOut();
        try (ImagePipeline pipeline = new ImagePipeline(ImageTransform.imagenet(size), ImagePipeline.defaultThreads(), 0)) {
            AugmentationPreview.Grid grid = AugmentationPreview.render(pipeline, files, preset, variants, seed);
            for (SkippedImage s : grid.skipped()) {
                console.println("skipped " + s.file() + ": " + s.reason());
            }
            if (grid.skipped().size() == files.size()) {
                throw new UserException("none of the images could be read");
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageIO.write(grid.image(), "png", out.toFile());
            console.printf(Locale.ROOT, "Wrote %s (%d images x %d %s versions, %d px)%n", out, files.size() - grid.skipped().size(),
                    variants, preset.name().toLowerCase(Locale.ROOT), size);
        }
        return 0;
    }

    /** The images to show: from the training split of a dataset folder, a few per class in turn, or the files given. */
    private List<Path> pick() {
        if (inputs.size() == 1 && Files.isDirectory(inputs.get(0))) {
            SplitManifest m;
            try {
                m = SplitManifest.of(inputs.get(0), 0.2, 0, seed);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            List<List<Path>> perClass = new ArrayList<>();
            for (int c = 0; c < m.classes().size(); c++) {
                perClass.add(new ArrayList<>());
            }
            for (LabeledImage i : m.train()) {
                perClass.get(i.label()).add(i.file());
            }
            List<Path> picked = new ArrayList<>();
            for (int round = 0; picked.size() < images; round++) {
                boolean any = false;
                for (List<Path> list : perClass) {
                    if (round < list.size() && picked.size() < images) {
                        picked.add(list.get(round));
                        any = true;
                    }
                }
                if (!any) {
                    break;
                }
            }
            return picked;
        }
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new UserException("not a file: " + p + " (give one dataset folder, or image files)");
            }
        }
        return inputs.subList(0, Math.min(images, inputs.size()));
    }
}
