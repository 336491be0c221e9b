package dev.thaw.core.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes one TorchScript file of a TorchScript backbone and a linear head, without Python: the
 * backbone's archive is copied with its top-level module extended. Its {@code forward} is renamed
 * {@code forward_features}; a new {@code forward} pools the features as Thaw does (a 4-D map is
 * averaged over its spatial dimensions, anything else flattened) and applies the head, returning
 * class scores (logits). The head's weight and bias become two tensor attributes
 * ({@code thaw_head_weight}, {@code thaw_head_bias}) added to the pickled module and stored as two
 * more tensor records. The source is compiled again when the file is loaded, by libtorch or by
 * {@code torch.jit.load}, exactly as for any TorchScript file.
 */
final class TorchScriptExport {

    private static final String WEIGHT = "thaw_head_weight";
    private static final String BIAS = "thaw_head_bias";

    private TorchScriptExport() {
    }

    /**
     * Writes {@code out}: {@code backbone} with the head {@code weight} ({@code classes x dim},
     * row-major) and {@code bias}.
     *
     * @throws IOException when the backbone file is not a TorchScript archive this can extend (the
     *     message says why)
     */
    static void write(Path backbone, float[] weight, float[] bias, int classes, int dim, Path out) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // ZipFile reads the central directory: libtorch writes stored entries with data descriptors,
        // which a streaming reader cannot handle.
        try (java.util.zip.ZipFile zf = new java.util.zip.ZipFile(backbone.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zf.entries())) {
                if (!e.isDirectory()) {
                    try (InputStream in = zf.getInputStream(e)) {
                        entries.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(backbone + " is not a TorchScript archive: " + e.getMessage(), e);
        }
        String prefix = null;
        for (String name : entries.keySet()) {
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                prefix = name.substring(0, name.length() - "data.pkl".length());
            }
        }
        if (prefix == null) {
            throw new IOException(backbone + " is not a TorchScript archive (no data.pkl at its top level)");
        }
        byte[] pkl = entries.get(prefix + "data.pkl");
        String[] cls = topClass(pkl, backbone);
        String module = cls[0];
        String name = cls[1];
        if (!module.equals("__torch__") && !module.startsWith("__torch__.")) {
            throw new IOException("The top-level module of " + backbone + " is " + module + "." + name + ", not a scripted class");
        }
        String codePath = prefix + "code/" + module.replace('.', '/') + ".py";
        byte[] code = entries.get(codePath);
        if (code == null) {
            throw new IOException("The code of " + module + "." + name + " is missing from " + backbone + " (" + codePath + ")");
        }
        String qualified = module + "." + name;
        entries.put(codePath, extendClass(new String(code, StandardCharsets.UTF_8), name, qualified, backbone)
                .getBytes(StandardCharsets.UTF_8));
        // Its debug information points into the old source.
        entries.remove(codePath + ".debug_pkl");
        entries.put(prefix + "data.pkl", extendPickle(pkl, classes, dim, backbone));
        entries.put(prefix + "data/" + WEIGHT, floats(weight));
        entries.put(prefix + "data/" + BIAS, floats(bias));
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                z.setCompressedSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                z.setTime(315532800000L);
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** The module and class name of the pickle's first GLOBAL (the top-level module object). */
    private static String[] topClass(byte[] pkl, Path file) throws IOException {
        int i = 0;
        if (pkl.length > 2 && (pkl[0] & 0xff) == 0x80) {
            i = 2;
        }
        if (i >= pkl.length || pkl[i] != 'c') {
            throw new IOException("Unexpected data.pkl layout in " + file);
        }
        int nl1 = indexOf(pkl, (byte) '\n', i + 1);
        int nl2 = indexOf(pkl, (byte) '\n', nl1 + 1);
        if (nl1 < 0 || nl2 < 0) {
            throw new IOException("Unexpected data.pkl layout in " + file);
        }
        return new String[] {new String(pkl, i + 1, nl1 - i - 1, StandardCharsets.UTF_8),
            new String(pkl, nl1 + 1, nl2 - nl1 - 1, StandardCharsets.UTF_8)};
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** Adds the head attributes and the new forward to class {@code name} in {@code source}. */
    static String extendClass(String source, String name, String qualified, Path file) throws IOException {
        Matcher start = Pattern.compile("(?m)^class " + Pattern.quote(name) + "\\(Module\\):\\n").matcher(source);
        if (!start.find()) {
            throw new IOException("class " + name + " not found in the code of " + file);
        }
        Matcher next = Pattern.compile("(?m)^\\S").matcher(source);
        int end = next.find(start.end()) ? next.start() : source.length();
        String body = source.substring(start.end(), end);
        if (body.contains("def forward_features(") || body.contains(WEIGHT)) {
            throw new IOException(file + " already has a Thaw head");
        }
        Matcher fwd = Pattern.compile("(?m)^  def forward\\(").matcher(body);
        if (!fwd.find()) {
            throw new IOException("class " + name + " in " + file + " has no forward method");
        }
        // forward's declared return type must be a Tensor for the head to apply
        int sig = body.indexOf("->", fwd.end());
        int colon = sig < 0 ? -1 : body.indexOf(":\n", sig);
        if (sig < 0 || colon < 0 || !body.substring(sig + 2, colon).trim().equals("Tensor")) {
            throw new IOException("The forward of " + file + " does not return a single Tensor");
        }
        body = fwd.replaceFirst("  def forward_features(");
        int firstDef = body.indexOf("\n  def ");
        String declarations = "  " + WEIGHT + " : Tensor\n  " + BIAS + " : Tensor\n";
        body = firstDef < 0 ? body + declarations : body.substring(0, firstDef + 1) + declarations + body.substring(firstDef + 1);
        if (!body.endsWith("\n")) {
            body += "\n";
        }
        body += "  def forward(self: " + qualified + ",\n"
                + "    x: Tensor) -> Tensor:\n"
                + "    _thaw_f = (self).forward_features(x, )\n"
                + "    if torch.eq(torch.dim(_thaw_f), 4):\n"
                + "      _thaw_g = torch.mean(_thaw_f, [2, 3])\n"
                + "    else:\n"
                + "      _thaw_g = torch.flatten(_thaw_f, 1)\n"
                + "    _thaw_w = self." + WEIGHT + "\n"
                + "    _thaw_b = self." + BIAS + "\n"
                + "    return torch.linear(_thaw_g, _thaw_w, _thaw_b)\n";
        return source.substring(0, start.end()) + body + source.substring(end);
    }

    /** The pickle with two tensor attributes set on the top-level object just before its final BUILD. */
    static byte[] extendPickle(byte[] pkl, int classes, int dim, Path file) throws IOException {
        int stop = pkl.length - 1;
        if (pkl[stop] != '.') {
            throw new IOException("data.pkl of " + file + " does not end with STOP");
        }
        int build = stop - 1;
        // an optional memo put after BUILD: BINPUT n (q x) or LONG_BINPUT n (r xxxx)
        if (build >= 1 && pkl[build - 1] == 'q') {
            build -= 2;
        } else if (build >= 4 && pkl[build - 4] == 'r') {
            build -= 5;
        }
        if (pkl[build] != 'b') {
            throw new IOException("data.pkl of " + file + " does not end with the top-level BUILD");
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(pkl, 0, build);
        o.write('(');
        unicode(o, WEIGHT);
        tensor(o, WEIGHT, new long[] {classes, dim}, new long[] {dim, 1});
        unicode(o, BIAS);
        tensor(o, BIAS, new long[] {classes}, new long[] {1});
        o.write('u');
        o.write(pkl, build, pkl.length - build);
        return o.toByteArray();
    }

    private static void tensor(ByteArrayOutputStream o, String key, long[] shape, long[] stride) throws IOException {
        long numel = 1;
        for (long s : shape) {
            numel *= s;
        }
        global(o, "torch._utils", "_rebuild_tensor_v2");
        o.write('(');
        o.write('(');
        unicode(o, "storage");
        global(o, "torch", "FloatStorage");
        unicode(o, key);
        unicode(o, "cpu");
        integer(o, numel);
        o.write('t');
        o.write('Q');
        integer(o, 0);
        tuple(o, shape);
        tuple(o, stride);
        o.write(0x89); // NEWFALSE: requires_grad
        global(o, "collections", "OrderedDict");
        o.write(')');
        o.write('R');
        o.write('t');
        o.write('R');
    }

    private static void tuple(ByteArrayOutputStream o, long[] values) throws IOException {
        o.write('(');
        for (long v : values) {
            integer(o, v);
        }
        o.write('t');
    }

    private static void global(ByteArrayOutputStream o, String module, String name) throws IOException {
        o.write('c');
        o.write((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void unicode(ByteArrayOutputStream o, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.write('X');
        o.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        o.write(b);
    }

    private static void integer(ByteArrayOutputStream o, long v) throws IOException {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IOException("value out of range: " + v);
        }
        o.write('J'); // BININT, 4 bytes little-endian
        o.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }
}
