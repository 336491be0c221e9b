package dev.thaw.core.backbone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an ONNX file holds, read straight from its protobuf bytes without loading an engine: its
 * weights (initializers) with their shapes and the operator that uses each, and its input and
 * output shapes. Enough to draw a layer tree with parameter counts and to learn the input size.
 *
 * <p>A small reader of the protobuf wire format for the few ONNX fields needed (ModelProto.graph;
 * GraphProto.node, initializer, input, output); everything else is skipped by length.
 *
 * @param initializers weights in file order
 * @param inputs the graph's real inputs (initializers listed as inputs by old exporters removed)
 * @param outputs the graph's outputs
 */
public record OnnxModelInfo(List<Initializer> initializers, List<ValueInfo> inputs, List<ValueInfo> outputs) {

    /**
     * One weight tensor.
     *
     * @param name its name ({@code layer1.0.conv1.weight} from PyTorch exports, or an exporter's
     *     generated name such as {@code onnx::Conv_193} where BatchNorm was folded into the convolution)
     * @param dims its shape
     * @param opType the operator that consumes it ({@code Conv}, {@code Gemm}, {@code BatchNormalization} …), or {@code ""}
     * @param nodeName the name of the node that consumes it (PyTorch exports scope it by module:
     *     {@code /layer1/layer1.0/conv1/Conv}), or {@code ""}
     */
    public record Initializer(String name, long[] dims, String opType, String nodeName) {
        public long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * A graph input or output.
     *
     * @param name its name
     * @param dims its shape; {@code -1} for a dimension that is symbolic ({@code batch}) or unknown
     */
    public record ValueInfo(String name, long[] dims) {
    }

    /** Reads the file; throws {@link IllegalArgumentException} naming it when it is not an ONNX model. */
    public static OnnxModelInfo read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("The ONNX file " + file + " is larger than 2 GB; Thaw reads models up to 2 GB");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return parseModel(buf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the ONNX file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().contains(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException("The file " + file + " is not a readable ONNX model (" + e.getMessage() + ")", e);
        }
    }

    /** Total number of weight values. */
    public long parameterCount() {
        return initializers.stream().mapToLong(Initializer::size).sum();
    }

    private static OnnxModelInfo parseModel(ByteBuffer buf) {
        Reader r = new Reader(buf, 0, buf.limit());
        ByteBuffer graph = null;
        while (r.hasMore()) {
            int key = r.varint32();
            if (key >>> 3 == 7 && (key & 7) == 2) {
                graph = r.bytes();
            } else {
                r.skip(key & 7);
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException("no graph in the file");
        }
        return parseGraph(graph);
    }

    private static OnnxModelInfo parseGraph(ByteBuffer graph) {
        Reader r = new Reader(graph, 0, graph.limit());
        List<long[]> initDims = new ArrayList<>();
        List<String> initNames = new ArrayList<>();
        Map<String, String[]> consumer = new HashMap<>();
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        while (r.hasMore()) {
            int key = r.varint32();
            int field = key >>> 3;
            if ((key & 7) != 2) {
                r.skip(key & 7);
                continue;
            }
            ByteBuffer b = r.bytes();
            switch (field) {
                case 1 -> parseNode(b, consumer);
                case 5 -> parseTensor(b, initNames, initDims);
                case 11 -> inputs.add(parseValueInfo(b));
                case 12 -> outputs.add(parseValueInfo(b));
                default -> {
                }
            }
        }
        List<Initializer> inits = new ArrayList<>();
        Set<String> names = new HashSet<>(initNames);
        for (int i = 0; i < initNames.size(); i++) {
            String[] c = consumer.getOrDefault(initNames.get(i), new String[] {"", ""});
            inits.add(new Initializer(initNames.get(i), initDims.get(i), c[0], c[1]));
        }
        inputs.removeIf(v -> names.contains(v.name()));
        return new OnnxModelInfo(List.copyOf(inits), List.copyOf(inputs), List.copyOf(outputs));
    }

    private static void parseNode(ByteBuffer b, Map<String, String[]> consumer) {
        Reader r = new Reader(b, 0, b.limit());
        List<String> in = new ArrayList<>();
        String op = "";
        String nodeName = "";
        while (r.hasMore()) {
            int key = r.varint32();
            int field = key >>> 3;
            if (field == 1 && (key & 7) == 2) {
                in.add(r.string());
            } else if (field == 3 && (key & 7) == 2) {
                nodeName = r.string();
            } else if (field == 4 && (key & 7) == 2) {
                op = r.string();
            } else {
                r.skip(key & 7);
            }
        }
        for (String name : in) {
            consumer.putIfAbsent(name, new String[] {op, nodeName});
        }
    }

    private static void parseTensor(ByteBuffer b, List<String> names, List<long[]> dimsOut) {
        Reader r = new Reader(b, 0, b.limit());
        List<Long> dims = new ArrayList<>();
        String name = "";
        while (r.hasMore()) {
            int key = r.varint32();
            int field = key >>> 3;
            int wire = key & 7;
            if (field == 1 && wire == 0) {
                dims.add(r.varint64());
            } else if (field == 1 && wire == 2) {
                ByteBuffer packed = r.bytes();
                Reader p = new Reader(packed, 0, packed.limit());
                while (p.hasMore()) {
                    dims.add(p.varint64());
                }
            } else if (field == 8 && wire == 2) {
                name = r.string();
            } else {
                r.skip(wire);
            }
        }
        names.add(name);
        dimsOut.add(dims.stream().mapToLong(Long::longValue).toArray());
    }

    private static ValueInfo parseValueInfo(ByteBuffer b) {
        Reader r = new Reader(b, 0, b.limit());
        String name = "";
        long[] dims = new long[0];
        while (r.hasMore()) {
            int key = r.varint32();
            int field = key >>> 3;
            if (field == 1 && (key & 7) == 2) {
                name = r.string();
            } else if (field == 2 && (key & 7) == 2) {
                dims = parseTypeShape(r.bytes());
            } else {
                r.skip(key & 7);
            }
        }
        return new ValueInfo(name, dims);
    }

    /** TypeProto.tensor_type(1).shape(2).dim(1)*.{dim_value(1) | dim_param(2)}. */
    private static long[] parseTypeShape(ByteBuffer type) {
        ByteBuffer tensor = child(type, 1);
        ByteBuffer shape = tensor == null ? null : child(tensor, 2);
        if (shape == null) {
            return new long[0];
        }
        List<Long> dims = new ArrayList<>();
        Reader r = new Reader(shape, 0, shape.limit());
        while (r.hasMore()) {
            int key = r.varint32();
            if (key >>> 3 == 1 && (key & 7) == 2) {
                ByteBuffer dim = r.bytes();
                Reader d = new Reader(dim, 0, dim.limit());
                long v = -1;
                while (d.hasMore()) {
                    int k = d.varint32();
                    if (k >>> 3 == 1 && (k & 7) == 0) {
                        v = d.varint64();
                    } else {
                        d.skip(k & 7);
                    }
                }
                dims.add(v);
            } else {
                r.skip(key & 7);
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static ByteBuffer child(ByteBuffer b, int wanted) {
        Reader r = new Reader(b, 0, b.limit());
        while (r.hasMore()) {
            int key = r.varint32();
            if (key >>> 3 == wanted && (key & 7) == 2) {
                return r.bytes();
            }
            r.skip(key & 7);
        }
        return null;
    }

    /** Protobuf wire-format cursor over a slice of a buffer. */
    private static final class Reader {
        private final ByteBuffer buf;
        private int pos;
        private final int end;

        Reader(ByteBuffer buf, int from, int to) {
            this.buf = buf;
            this.pos = from;
            this.end = to;
        }

        boolean hasMore() {
            return pos < end;
        }

        long varint64() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalStateException("truncated varint");
                }
                byte b = buf.get(pos++);
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        int varint32() {
            return (int) varint64();
        }

        ByteBuffer bytes() {
            long len = varint64();
            if (len < 0 || pos + len > end) {
                throw new IllegalStateException("field length " + len + " runs past the end");
            }
            ByteBuffer slice = buf.duplicate();
            slice.position(pos).limit(pos + (int) len);
            pos += (int) len;
            return slice.slice();
        }

        String string() {
            ByteBuffer b = bytes();
            byte[] a = new byte[b.remaining()];
            b.get(a);
            return new String(a, StandardCharsets.UTF_8);
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint64();
                case 1 -> advance(8);
                case 2 -> {
                    long len = varint64();
                    advance(len);
                }
                case 5 -> advance(4);
                default -> throw new IllegalStateException("unsupported wire type " + wireType);
            }
        }

        private void advance(long n) {
            if (n < 0 || pos + n > end) {
                throw new IllegalStateException("field runs past the end");
            }
            pos += (int) n;
        }
    }
}
