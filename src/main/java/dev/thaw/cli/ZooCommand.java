package dev.thaw.cli;

import dev.thaw.core.backbone.zoo.ByteSize;
import dev.thaw.core.backbone.zoo.Downloader;
import dev.thaw.core.backbone.zoo.ModelFormat;
import dev.thaw.core.backbone.zoo.ModelZoo;
import dev.thaw.core.backbone.zoo.ZooCatalog;
import dev.thaw.core.backbone.zoo.ZooEntry;
import dev.thaw.core.backbone.zoo.ZooException;
import dev.thaw.core.backbone.zoo.ZooFile;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thaw zoo}: the pretrained backbones Thaw can download. */
@Command(name = "zoo", mixinStandardHelpOptions = true,
        description = {"List and download pretrained backbones (verified by checksum before use).", "",
                "Without internet, download a file on another machine and put it where 'thaw zoo list --details' says;",
                "Thaw accepts it when its published checksum matches."},
        subcommands = {ZooCommand.ListCommand.class, ZooCommand.DownloadCommand.class})
final class ZooCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options both subcommands take: another catalog or mirror. */
    static final class Source {
        @Option(names = "--catalog", paramLabel = "FILE", description = "Use this catalog JSON instead of the built-in one.")
        Path catalog;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "Download relative URLs from this mirror (default: -D" + ModelZoo.BASE_URL_PROPERTY + ", $"
                        + ModelZoo.BASE_URL_ENV + ", or the catalog's).")
        URI baseUrl;

        ModelZoo zoo(AppHome home) {
            ZooCatalog catalog;
            if (this.catalog == null) {
                catalog = ZooCatalog.bundled();
            } else {
                if (!Files.isRegularFile(this.catalog)) {
                    throw new UserException("No catalog file at " + this.catalog.toAbsolutePath());
                }
                try {
                    catalog = ZooCatalog.read(this.catalog);
                } catch (RuntimeException e) {
                    throw new UserException(e.getMessage(), e);
                }
            }
            return new ModelZoo(home, catalog, baseUrl, new Downloader());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show the backbones in the catalog: formats, download size, input size, feature size and whether it is downloaded.")
    static final class ListCommand implements Callable<Integer> {

        private final AppHome home;

        @Spec
        CommandSpec spec;

        @Mixin
        Source source;

        @Option(names = {"-d", "--details"}, description = "Also show descriptions, URLs, checksums, licenses and where to put hand-downloaded files.")
        boolean details;

        ListCommand(AppHome home) {
            this.home = home;
        }

        @Override
        public Integer call() {
            ModelZoo zoo = source.zoo(home);
            PrintWriter out = spec.commandLine().getOut();
            String format = "%-22s %-18s %9s %6s %9s %-10s %s%n";
            out.printf(format, "NAME", "FORMATS", "SIZE", "INPUT", "FEATURES", "OUTPUT", "CACHED");
            for (ZooEntry e : zoo.catalog().entries()) {
                String formats = e.formats().stream().map(ModelFormat::label).collect(Collectors.joining("+"));
                out.printf(format, e.name(), formats, ByteSize.format(e.downloadSize()), e.inputSize(), e.featureDim(), e.output(),
                        zoo.isCached(e.name()) ? "yes" : "no");
            }
            out.println();
            out.println("Downloads go to " + home.models());
            if (!details) {
                out.println("More: thaw zoo list --details");
                return 0;
            }
            for (ZooEntry e : zoo.catalog().entries()) {
                out.println();
                out.println(e.name() + " - " + e.title());
                out.println("  " + e.description());
                out.println("  normalize  mean " + java.util.Arrays.toString(e.mean()) + ", std " + java.util.Arrays.toString(e.std())
                        + (e.resize() > 0 ? "; resize " + e.resize() + ", center crop " + e.inputSize() : ""));
                out.println("  license    " + e.license());
                out.println("  source     " + e.source());
                if (!e.hasOnnx() && e.onnxNote() != null) {
                    out.println("  onnx       " + e.onnxNote());
                }
                for (ZooFile f : e.files()) {
                    out.println("  " + f.format().label() + " file");
                    out.println("    url      " + zoo.url(f));
                    out.println("    size     " + (f.size() >= 0 ? f.size() + " bytes" : "not published"));
                    out.println("    " + f.checksum().label() + "     " + f.checksum().hex());
                    out.println("    offline  put the downloaded file at " + zoo.manualPath(e.name(), f));
                }
                out.println("  installed  " + zoo.installedPath(e.name(), e.primaryFormat()));
            }
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = {"Download a backbone, verify its checksum and install it with its sidecar; prints its path.",
                    "A verified copy already there is used without network access."})
    static final class DownloadCommand implements Callable<Integer> {

        private final AppHome home;

        @Spec
        CommandSpec spec;

        @Mixin
        Source source;

        @Parameters(paramLabel = "NAME", description = "The backbone's name, as 'thaw zoo list' shows it.")
        String name;

        DownloadCommand(AppHome home) {
            this.home = home;
        }

        @Override
        public Integer call() {
            ModelZoo zoo = source.zoo(home);
            PrintWriter out = spec.commandLine().getOut();
            OneLineProgress progress = new OneLineProgress(spec.commandLine().getErr());
            Path path;
            try {
                if (zoo.catalog().find(name).isPresent() && zoo.isCached(name)) {
                    out.println("Already downloaded and verified.");
                }
                path = zoo.fetch(name, progress);
            } catch (ZooException e) {
                progress.end();
                throw new UserException(e.getMessage(), e);
            }
            progress.end();
            out.println(path);
            return 0;
        }
    }

    /** Progress on one line of the terminal, rewritten in place at most five times a second. */
    static final class OneLineProgress implements JobMonitor {
        private final PrintWriter err;
        private long last;
        private int width;
        private String pending;

        OneLineProgress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void progress(double fraction, String message) {
            long now = System.nanoTime();
            boolean done = fraction >= 1;
            String line = (fraction >= 0 ? String.format(java.util.Locale.ROOT, "%3d%% ", Math.round(fraction * 100)) : "     ") + message;
            pending = line;
            if (!done && now - last < 200_000_000L) {
                return;
            }
            last = now;
            print(line);
        }

        private void print(String line) {
            String padded = line.length() < width ? line + " ".repeat(width - line.length()) : line;
            width = line.length();
            err.print("\r" + padded);
            err.flush();
            pending = null;
        }

        synchronized void end() {
            if (pending != null) {
                print(pending);
            }
            if (width > 0) {
                err.println();
                err.flush();
                width = 0;
            }
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
