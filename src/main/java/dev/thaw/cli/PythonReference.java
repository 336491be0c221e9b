package dev.thaw.cli;

import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.thaw.core.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of {@code thaw bench}: a Python with torch and torchvision running the scripts in
 * {@code src/bench/python} as subprocesses. Their JSON lines (stdout) are the results; their progress
 * (stderr) is passed on.
 */
final class PythonReference {

    static final String REFERENCE = "pytorch_reference.py";
    private static final Type RECORD = new TypeToken<Map<String, Object>>() { }.getType();

    private final String exe;
    private final Path scripts;
    private final String versions;
    private final String whyNot;
    private final PrintWriter err;

    private PythonReference(String exe, Path scripts, String versions, String whyNot, PrintWriter err) {
        this.exe = exe;
        this.scripts = scripts;
        this.versions = versions;
        this.whyNot = whyNot;
        this.err = err;
    }

    /**
     * The first of {@code requested} (or /usr/bin/python3, then python3 on the PATH) that imports
     * torch and torchvision; an unavailable reference (with the reason) when none does, when the
     * scripts are missing, or when {@code requested} is {@code none}.
     */
    static PythonReference find(String requested, Path scripts, PrintWriter err) {
        if (requested != null && requested.equalsIgnoreCase("none")) {
            return new PythonReference(null, scripts, null, "--python none", err);
        }
        if (!Files.isRegularFile(scripts.resolve(REFERENCE))) {
            return new PythonReference(null, scripts, null, "no " + scripts.resolve(REFERENCE)
                    + " (run thaw bench from the repository root, or pass --scripts DIR)", err);
        }
        List<String> candidates = requested != null ? List.of(requested) : List.of("/usr/bin/python3", "python3");
        StringBuilder reasons = new StringBuilder();
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import torch, torchvision, sys; "
                        + "print('python %d.%d, torch %s, torchvision %s' % (sys.version_info[0], sys.version_info[1], "
                        + "torch.__version__, torchvision.__version__))").redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    String[] lines = text.split("\n");
                    return new PythonReference(c, scripts, c + " (" + lines[lines.length - 1] + ")", null, err);
                }
                reasons.append(reasons.length() == 0 ? "" : "; ").append(c).append(" has no torch/torchvision");
            } catch (IOException e) {
                reasons.append(reasons.length() == 0 ? "" : "; ").append(c).append(" not found");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reasons.append("interrupted");
            }
        }
        return new PythonReference(null, scripts, null, reasons + " (install Debian's python3-torch python3-torchvision, "
                + "or pass --python EXE)", err);
    }

    boolean available() {
        return exe != null;
    }

    String whyNot() {
        return whyNot;
    }

    String describe() {
        return versions;
    }

    void require(String what) {
        if (!available()) {
            throw new UserException("Cannot " + what + ": no Python with torch: " + whyNot);
        }
    }

    /** Runs a generator script; its output goes to stderr. */
    void script(String name, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(exe, scripts.resolve(name).toString()));
        cmd.addAll(args);
        int rc = run(cmd, null);
        if (rc != 0) {
            throw new UserException(name + " failed with exit status " + rc + " (its output is above)");
        }
    }

    /** Runs one reference job with {@code --json}; returns its result records (those it got to when it failed). */
    List<Map<String, Object>> job(String job, List<String> common, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(exe, scripts.resolve(REFERENCE).toString(), job));
        cmd.addAll(common);
        cmd.addAll(extra);
        cmd.add("--json");
        err.println("# PyTorch reference: " + String.join(" ", cmd));
        err.flush();
        List<Map<String, Object>> records = new ArrayList<>();
        int rc = run(cmd, records);
        if (rc != 0) {
            err.println("warning: the PyTorch reference job " + job + " exited with status " + rc + "; its rows stay empty");
            err.flush();
        }
        return records;
    }

    private int run(List<String> cmd, List<Map<String, Object>> records) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            Thread errPump = new Thread(() -> pump(p, err), "thaw-bench-python-err");
            errPump.setDaemon(true);
            errPump.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (records != null && line.startsWith("{")) {
                        try {
                            records.add(Json.COMPACT.fromJson(line, RECORD));
                        } catch (JsonParseException e) {
                            err.println("warning: not a result line: " + line);
                        }
                    } else {
                        err.println(line);
                    }
                }
            }
            int rc = p.waitFor();
            errPump.join(5_000);
            err.flush();
            return rc;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static void pump(Process p, PrintWriter err) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                err.println(line);
                err.flush();
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
