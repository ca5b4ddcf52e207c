package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuBackend;

class SafeTensorsTest {
    private final Backend cpu = new CpuBackend(1);

    private Map<String, Tensor> sample() {
        Random r = new Random(5);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("Affine1.W", random(DType.FLOAT32, Shape.of(3, 4), r));
        m.put("Affine1.b", random(DType.FLOAT32, Shape.of(4), r));
        m.put("BatchNorm1.running_var", random(DType.FLOAT64, Shape.of(5), r));
        m.put("scalar", cpu.fromArray(DType.FLOAT64, Shape.scalar(), -0.0));
        m.put("empty", cpu.zeros(DType.FLOAT32, Shape.of(0, 7)));
        m.put("special", cpu.fromArray(DType.FLOAT32, Shape.of(3), Float.MIN_VALUE, Float.MAX_VALUE, Double.NaN));
        return m;
    }

    private Tensor random(DType dtype, Shape shape, Random r) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * 1e3;
        }
        return cpu.fromArray(dtype, shape, v);
    }

    private static void assertSame(Tensor a, Tensor b) {
        assertEquals(a.shape(), b.shape());
        assertEquals(a.dtype(), b.dtype());
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), "element " + i);
        }
    }

    @Test
    void roundTripIsExactInOrderWithMetadata(@TempDir Path dir) {
        Path f = dir.resolve("w.safetensors");
        Map<String, Tensor> m = sample();
        SafeTensors.write(f, m, Map.of("producer", "nnj"));
        SafeTensors.Contents c = SafeTensors.read(f, cpu);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(c.tensors().keySet()));
        m.forEach((k, t) -> assertSame(t, c.tensors().get(k)));
        assertEquals(Map.of("producer", "nnj"), c.metadata());
    }

    /** An independent reader: plain ByteBuffer parsing of the layout, with the JSON picked apart by hand. */
    @Test
    void independentByteBufferReaderSeesTheSameNumbers(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        Map<String, Tensor> m = sample();
        SafeTensors.write(f, m, Map.of());
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        long n = all.getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(all.array(), 8, (int) n, StandardCharsets.UTF_8);
        int data = 8 + (int) n;
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            int at = header.indexOf("\"" + e.getKey() + "\":");
            assertTrue(at >= 0, e.getKey());
            String entry = header.substring(at, header.indexOf('}', at));
            String dt = entry.replaceAll(".*\"dtype\":\"(F\\d\\d)\".*", "$1");
            String[] off = entry.replaceAll(".*\"data_offsets\":\\[(\\d+),(\\d+)\\].*", "$1 $2").split(" ");
            int begin = Integer.parseInt(off[0]);
            int end = Integer.parseInt(off[1]);
            Tensor t = e.getValue();
            assertEquals(t.dtype() == DType.FLOAT32 ? "F32" : "F64", dt);
            assertEquals(t.size() * t.dtype().byteSize(), end - begin);
            double[] want = t.toDoubleArray();
            for (int i = 0; i < want.length; i++) {
                double got = dt.equals("F32") ? all.getFloat(data + begin + 4 * i) : all.getDouble(data + begin + 8 * i);
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got), e.getKey() + "[" + i + "]");
            }
        }
        assertEquals(all.capacity(), data + 12 * 4 + 4 * 4 + 5 * 8 + 8 + 0 + 3 * 4);
    }

    /** Python's json and numpy.frombuffer read the file and print sums and every element's bits. */
    @Test
    void pythonWithNumpyReadsTheSameNumbers(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(pythonHasNumpy(), "python3 with numpy not available");
        Path f = dir.resolve("w.safetensors");
        Map<String, Tensor> m = new LinkedHashMap<>(sample());
        m.remove("special"); // NaN prints differently; its bits are covered by the ByteBuffer reader
        SafeTensors.write(f, m, Map.of("producer", "nnj"));
        String script = String.join("\n",
                "import json, struct, sys, numpy as np",
                "b = open(sys.argv[1], 'rb').read()",
                "n = struct.unpack('<Q', b[:8])[0]",
                "h = json.loads(b[8:8 + n].decode('utf-8'))",
                "meta = h.pop('__metadata__')",
                "print('meta', meta['producer'])",
                "for k, e in h.items():",
                "    s, t = e['data_offsets']",
                "    a = np.frombuffer(b[8 + n + s:8 + n + t], dtype={'F32': '<f4', 'F64': '<f8'}[e['dtype']])",
                "    a = a.reshape(e['shape'])",
                "    print(k, e['dtype'], 'x'.join(str(d) for d in a.shape) or '-', ' '.join(repr(float(x)) for x in a.ravel()))");
        Path py = dir.resolve("read.py");
        Files.writeString(py, script);
        Process p = new ProcessBuilder("python3", py.toString(), f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals("meta nnj", lines.get(0));
        int i = 1;
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            String[] parts = lines.get(i++).split(" ", 4);
            assertEquals(e.getKey(), parts[0]);
            Tensor t = e.getValue();
            assertEquals(t.dtype() == DType.FLOAT32 ? "F32" : "F64", parts[1]);
            String dims = java.util.Arrays.stream(t.shape().dims()).mapToObj(String::valueOf)
                    .collect(java.util.stream.Collectors.joining("x"));
            assertEquals(dims.isEmpty() ? "-" : dims, parts[2]);
            double[] want = t.toDoubleArray();
            String[] got = parts.length > 3 && !parts[3].isEmpty() ? parts[3].split(" ") : new String[0];
            assertEquals(want.length, got.length, e.getKey());
            for (int k = 0; k < want.length; k++) {
                assertEquals(want[k], Double.parseDouble(got[k]), 0.0, e.getKey() + "[" + k + "]");
            }
        }
    }

    private static boolean pythonHasNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- hostile files ---------------------------------------------------------------------------------------

    private static byte[] file(String header, int dataBytes, int padTo) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private void assertRejected(Path dir, byte[] bytes, String expected) throws Exception {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        DataFormatException e = assertThrows(DataFormatException.class, () -> SafeTensors.read(f, cpu), expected);
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), expected + " not in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void corruptFilesAreRejectedWithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        String b = "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}";
        assertRejected(dir, new byte[0], "expected at least 8 bytes");
        assertRejected(dir, new byte[5], "expected at least 8 bytes");
        byte[] huge = file("{" + a + "}", 8, 0);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertRejected(dir, huge, "expected a header length in [2, 100000000] bytes, found 1099511627776");
        byte[] negative = file("{" + a + "}", 8, 0);
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertRejected(dir, negative, "found 18446744073709551615");
        byte[] beyond = file("{" + a + "}", 8, 0);
        ByteBuffer.wrap(beyond).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 5000);
        assertRejected(dir, beyond, "header length 5000 exceeds the file's remaining");
        assertRejected(dir, file("{" + a + "," + b + "}", 12, 0), "whole number in [0, 12]");
        assertRejected(dir, file("{" + a + "," + b + "}", 20, 0), "4 trailing bytes");
        assertRejected(dir, file("{" + a + "}", 4, 0), "whole number in [0, 4]");
        assertRejected(dir, file("{" + a.replace("[0,8]", "[0,12]") + "}", 12, 0),
                "expected data_offsets spanning 8 bytes (shape (2) of F32), found [0, 12]");
        assertRejected(dir, file("{" + a + "," + b.replace("[8,16]", "[4,12]") + "}", 16, 0),
                "expected data to start at byte 8 (right after the previous tensor), found 4 (overlapping)");
        assertRejected(dir, file("{" + a.replace("[0,8]", "[4,12]") + "}", 12, 0), "found 4 (a hole)");
        assertRejected(dir, file("{" + a.replace("[0,8]", "[8,0]") + "}", 8, 0), "found [8, 0]");
        assertRejected(dir, file("{" + a.replace("F32", "BF16") + "}", 8, 0), "expected dtype F32 or F64, found BF16");
        assertRejected(dir, file("{" + a.replace("[2]", "[-2]") + "}", 8, 0), "shape[0]");
        assertRejected(dir, file("{" + a.replace("[2]", "[65536,65536]") + "}", 8, 0), "more than 2^31-1 elements");
        assertRejected(dir, file("{" + a.replace("\"shape\"", "\"shap\"") + "}", 8, 0), "unknown key \"shap\"");
        assertRejected(dir, file("{" + a + "," + a + "}", 8, 0), "duplicate key \"a\"");
        assertRejected(dir, file("{" + a + ",\"__metadata__\":{\"x\":1}}", 8, 0), "__metadata__.x to be a string");
        assertRejected(dir, file("{" + a, 8, 0), "not valid JSON");
        assertRejected(dir, file("[1, 2]", 0, 0), "expected the safetensors header to be a JSON object");
        byte[] bad = file("{\"\u00e9\":{}}", 0, 0);
        bad[10] = (byte) 0xff;
        assertRejected(dir, bad, "expected UTF-8 text");
    }

    @Test
    void truncatedFilesOfEveryLengthAreRejected(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, sample(), Map.of("producer", "nnj"));
        byte[] whole = out.toByteArray();
        Path f = dir.resolve("cut.safetensors");
        for (int len = 0; len < whole.length; len++) {
            Files.write(f, java.util.Arrays.copyOf(whole, len));
            DataFormatException e = assertThrows(DataFormatException.class, () -> SafeTensors.read(f, cpu),
                    "length " + len);
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        }
        Files.write(f, whole);
        assertEquals(6, SafeTensors.read(f, cpu).tensors().size());
    }

    @Test
    void namesMustBeUsable() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(new ByteArrayOutputStream(),
                Map.of("__metadata__", cpu.zeros(DType.FLOAT32, Shape.of(1))), Map.of()));
    }
}
