package dev.thaw.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The files of a labeled image folder, from names alone (nothing is decoded): its layout, its
 * classes, the candidate image files of each class and split, and what was ignored and why.
 *
 * <p>Rules, the same for every caller (folder summary, split manifest, data doctor):
 * <ul>
 *   <li>a root holding a {@code train}, {@code val} or {@code test} folder (also {@code training},
 *       {@code valid}, {@code validation}, {@code testing}; any case) is {@link DatasetLayout#SPLIT_FOLDERS};
 *       otherwise every sub-folder of the root is a class;
 *   <li>class names are folder names, sorted as Java sorts strings (as torchvision's ImageFolder
 *       sorts them, so class indices agree);
 *   <li>folders nested inside a class folder belong to that class, to {@value #MAX_DEPTH} levels;
 *   <li>hidden files and folders ({@code .name}, {@code __MACOSX}) are ignored and listed; so are files
 *       that are not images by name; files with no extension are looked at and kept if their
 *       content starts like an image;
 *   <li>symbolic links are followed, except links back into the dataset or above it (listed as
 *       loops), which would count the same images again;
 *   <li>a class folder with no image files is left out (and listed).
 * </ul>
 */
final class DatasetScan {

    /** Levels of folders inside a class folder that are still read. */
    static final int MAX_DEPTH = 16;

    /** One image file found by name. {@code split} is null in the class-folder layout. */
    record Candidate(Path file, String className, Split split) {
    }

    private static final Map<String, Split> SPLIT_NAMES = Map.of("train", Split.TRAIN, "training", Split.TRAIN, "val",
            Split.VAL, "valid", Split.VAL, "validation", Split.VAL, "test", Split.TEST, "testing", Split.TEST);

    final Path root;
    final DatasetLayout layout;
    /** Classes with at least one candidate file, sorted. */
    final List<String> classes;
    /** Candidates sorted by split, class and path. */
    final List<Candidate> candidates;
    /** The split folders found (SPLIT_FOLDERS only). */
    final Map<Split, Path> splitFolders;
    final List<Problem> problems;

    private DatasetScan(Path root, DatasetLayout layout, List<String> classes, List<Candidate> candidates,
            Map<Split, Path> splitFolders, List<Problem> problems) {
        this.root = root;
        this.layout = layout;
        this.classes = List.copyOf(classes);
        this.candidates = List.copyOf(candidates);
        this.splitFolders = Map.copyOf(splitFolders);
        this.problems = List.copyOf(problems);
    }

    /** Scans {@code root}; throws {@link IllegalArgumentException} naming the path when it is not a folder. */
    static DatasetScan of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(Files.exists(root) ? "Not a folder: " + root : "No such folder: " + root);
        }
        return new Scanner(root).scan();
    }

    boolean presplit() {
        return layout == DatasetLayout.SPLIT_FOLDERS;
    }

    /** Candidates of {@code className} in {@code split} (split ignored for CLASS_FOLDERS). */
    List<Path> files(Split split, String className) {
        return candidates.stream().filter(c -> c.className().equals(className) && (!presplit() || c.split() == split))
                .map(Candidate::file).toList();
    }

    private static final class Scanner {
        private final Path root;
        private final Path realRoot;
        private final List<Problem> problems = new ArrayList<>();
        private final List<Candidate> candidates = new ArrayList<>();
        private final Map<String, Integer> classCounts = new TreeMap<>();

        Scanner(Path root) {
            this.root = root;
            Path real;
            try {
                real = root.toRealPath();
            } catch (IOException e) {
                real = root.toAbsolutePath().normalize();
            }
            this.realRoot = real;
        }

        DatasetScan scan() {
            List<Path> children = list(root);
            Map<Split, Path> splits = new EnumMap<>(Split.class);
            for (Path child : children) {
                Split s = SPLIT_NAMES.get(child.getFileName().toString().toLowerCase(Locale.ROOT));
                if (s != null && Files.isDirectory(child)) {
                    if (splits.containsKey(s)) {
                        problems.add(Problem.of(ProblemKind.EXTRA_FOLDER, child, "a second " + s.folderName()
                                + " folder: only " + splits.get(s).getFileName() + "/ is used"));
                    } else {
                        splits.put(s, child);
                    }
                }
            }
            DatasetLayout layout = splits.isEmpty() ? DatasetLayout.CLASS_FOLDERS : DatasetLayout.SPLIT_FOLDERS;
            if (layout == DatasetLayout.CLASS_FOLDERS) {
                scanClassParent(root, children, null);
            } else {
                Set<Path> used = new HashSet<>(splits.values());
                for (Path child : children) {
                    if (used.contains(child)) {
                        continue;
                    }
                    if (ImageFiles.isHiddenName(child)) {
                        hidden(child);
                    } else if (Files.isDirectory(child)) {
                        problems.add(Problem.of(ProblemKind.EXTRA_FOLDER, child,
                                "not a train/val/test folder: ignored (its images are not used)"));
                    } else {
                        looseFile(child, "next to the train/val folders");
                    }
                }
                for (Map.Entry<Split, Path> e : splits.entrySet()) {
                    scanClassParent(e.getValue(), list(e.getValue()), e.getKey());
                }
            }
            candidates.sort(Comparator.comparing((Candidate c) -> c.split() == null ? 0 : c.split().ordinal())
                    .thenComparing(Candidate::className).thenComparing(c -> c.file().toString()));
            List<String> classes = new ArrayList<>(new TreeSet<>(classCounts.keySet()));
            return new DatasetScan(root, layout, classes, candidates, splits, problems);
        }

        /** {@code parent} is the root or a split folder: its folders are classes, its files are strays. */
        private void scanClassParent(Path parent, List<Path> children, Split split) {
            List<Path> strays = new ArrayList<>();
            for (Path child : children) {
                if (ImageFiles.isHiddenName(child)) {
                    hidden(child);
                } else if (Files.isDirectory(child) && Files.isSymbolicLink(child) && pointsIntoDataset(child)) {
                    problems.add(Problem.of(ProblemKind.SYMLINK_LOOP, child, "a link back into the dataset or above it (to "
                            + realPath(child) + "): not followed, its images would be counted twice"));
                } else if (Files.isDirectory(child)) {
                    scanClass(child, split);
                } else if (Files.isSymbolicLink(child) && !Files.exists(child)) {
                    brokenLink(child);
                } else if (isCandidate(child)) {
                    strays.add(child);
                } else {
                    looseFile(child, "outside any class folder");
                }
            }
            if (strays.size() == 1) {
                problems.add(Problem.of(ProblemKind.STRAY_IMAGES, strays.get(0), "an image outside any class folder: not used. "
                        + "Move it into the sub-folder named after its class"));
            } else if (!strays.isEmpty()) {
                String where = split == null ? "the dataset folder" : "the " + parent.getFileName() + " folder";
                String examples = strays.stream().limit(3).map(p -> p.getFileName().toString())
                        .reduce((a, b) -> a + ", " + b).orElse("");
                String hint = split == null ? "; if this folder is one class, choose its parent folder" : "";
                problems.add(Problem.of(ProblemKind.STRAY_IMAGES, parent, strays.size() + " images lie directly in " + where
                        + " (" + examples + (strays.size() > 3 ? ", ..." : "") + "), outside any class folder: they are not used. "
                        + "Move each into a sub-folder named after its class" + hint, strays));
            }
        }

        private void scanClass(Path classDir, Split split) {
            String className = classDir.getFileName().toString();
            int before = candidates.size();
            Set<Path> visited = new HashSet<>();
            try {
                Files.walkFileTree(classDir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH + 1, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(classDir) && ImageFiles.isHiddenName(dir)) {
                            hidden(dir);
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        Path real = realPath(dir);
                        if (!dir.equals(classDir) && Files.isSymbolicLink(dir) && pointsIntoDataset(dir)) {
                            problems.add(Problem.of(ProblemKind.SYMLINK_LOOP, dir, "a link back into the dataset or above it (to "
                                    + real + "): not followed, its images would be counted twice"));
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        if (!visited.add(real)) {
                            problems.add(Problem.of(ProblemKind.SYMLINK_LOOP, dir, "a folder reached twice through links: read once"));
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isDirectory()) {
                            problems.add(Problem.of(ProblemKind.TOO_DEEP, file, "nested more than " + MAX_DEPTH
                                    + " folders deep inside the class folder: ignored"));
                        } else if (attrs.isSymbolicLink()) {
                            brokenLink(file);
                        } else if (ImageFiles.isHiddenName(file)) {
                            hidden(file);
                        } else if (!attrs.isRegularFile()) {
                            problems.add(Problem.of(ProblemKind.IGNORED_FILE, file, "not a regular file: ignored"));
                        } else if (isCandidate(file)) {
                            candidates.add(new Candidate(file, className, split));
                        } else if (ImageFiles.hasUnsupportedImageName(file)) {
                            problems.add(Problem.of(ProblemKind.UNSUPPORTED_FORMAT, file, ImageFiles.unsupportedReason(file)));
                        } else {
                            notAnImageName(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        if (e instanceof FileSystemLoopException) {
                            problems.add(Problem.of(ProblemKind.SYMLINK_LOOP, file, "a link that loops back to a folder above it: not followed"));
                        } else if (e instanceof NoSuchFileException || Files.isSymbolicLink(file)) {
                            brokenLink(file);
                        } else if (e instanceof AccessDeniedException) {
                            problems.add(Problem.of(ProblemKind.UNREADABLE_FOLDER, file, "permission denied: its files are not used"));
                        } else {
                            problems.add(Problem.of(ProblemKind.UNREADABLE_FOLDER, file, "cannot be read: " + e.getMessage()));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                problems.add(Problem.of(ProblemKind.UNREADABLE_FOLDER, classDir, "cannot be read: " + e.getMessage()));
            }
            int found = candidates.size() - before;
            if (found == 0) {
                String where = split == null ? "" : " in " + split.folderName() + "/";
                problems.add(Problem.of(ProblemKind.EMPTY_CLASS, classDir, "the class folder '" + className + "'" + where
                        + " has no image files" + (split == null ? ": the class is left out" : "")));
            } else {
                classCounts.merge(className, found, Integer::sum);
            }
        }

        private static boolean isCandidate(Path file) {
            if (!Files.isRegularFile(file)) {
                return false; // never open a pipe or a device: reading it could block forever
            }
            if (ImageFiles.hasImageName(file)) {
                return true;
            }
            if (!ImageFiles.extension(file).isEmpty() || ImageFiles.isHiddenName(file)) {
                return false;
            }
            // No extension at all: keep it if the content starts like an image.
            try (var in = Files.newInputStream(file)) {
                return ImageFiles.looksLikeImageContent(in.readNBytes(16));
            } catch (IOException e) {
                return false;
            }
        }

        /** A link whose target cannot be reached: missing, or a chain of links that loops. */
        private void brokenLink(Path link) {
            try {
                link.toRealPath();
                problems.add(Problem.of(ProblemKind.BROKEN_LINK, link, "a link that cannot be followed: ignored"));
            } catch (NoSuchFileException e) {
                problems.add(Problem.of(ProblemKind.BROKEN_LINK, link, "a link to something that does not exist: ignored"));
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("levels of symbolic links") || m.contains("loop")) {
                    problems.add(Problem.of(ProblemKind.SYMLINK_LOOP, link, "a link that points back to itself (a loop): ignored"));
                } else {
                    problems.add(Problem.of(ProblemKind.BROKEN_LINK, link, "a link that cannot be followed (" + e.getMessage() + "): ignored"));
                }
            }
        }

        private void hidden(Path p) {
            boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            problems.add(Problem.of(ProblemKind.HIDDEN_FILE, p, (dir ? "a hidden folder" : "a hidden file") + ": ignored"));
        }

        private void looseFile(Path file, String where) {
            if (isCandidate(file)) {
                problems.add(Problem.of(ProblemKind.STRAY_IMAGES, file, "an image " + where + ": not used"));
            } else {
                problems.add(Problem.of(ProblemKind.IGNORED_FILE, file, "not an image (" + describeName(file) + ") " + where + ": ignored"));
            }
        }

        private void notAnImageName(Path file) {
            problems.add(Problem.of(ProblemKind.IGNORED_FILE, file, "not an image file (" + describeName(file) + "): ignored"));
        }

        private static String describeName(Path file) {
            String ext = ImageFiles.extension(file);
            return ext.isEmpty() ? "no extension" : "." + ext;
        }

        /** A link to a folder inside the dataset (read anyway) or above it (which holds the dataset itself). */
        private boolean pointsIntoDataset(Path link) {
            Path real = realPath(link);
            return real.startsWith(realRoot) || realRoot.startsWith(real);
        }

        private static Path realPath(Path p) {
            try {
                return p.toRealPath();
            } catch (IOException e) {
                return p.toAbsolutePath().normalize();
            }
        }

        private List<Path> list(Path dir) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                List<Path> out = new ArrayList<>();
                s.forEach(out::add);
                out.sort(Comparator.comparing(Path::toString));
                return out;
            } catch (AccessDeniedException e) {
                problems.add(Problem.of(ProblemKind.UNREADABLE_FOLDER, dir, "permission denied"));
                return List.of();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the folder " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** The class folder {@code file} lies in (at any depth), or null when it lies outside every class folder. */
    String classOf(Path file) {
        List<Path> bases = presplit() ? new ArrayList<>(splitFolders.values()) : List.of(root);
        for (Path base : bases) {
            if (file.startsWith(base)) {
                Path rel = base.relativize(file);
                return rel.getNameCount() >= 2 ? rel.getName(0).toString() : null;
            }
        }
        return null;
    }

    /** Candidate counts per split ("all" in the class-folder layout) and class, classes sorted. */
    Map<String, Map<String, Integer>> counts() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            String key = c.split() == null ? "all" : c.split().folderName();
            out.computeIfAbsent(key, k -> new TreeMap<>()).merge(c.className(), 1, Integer::sum);
        }
        return out;
    }
}
