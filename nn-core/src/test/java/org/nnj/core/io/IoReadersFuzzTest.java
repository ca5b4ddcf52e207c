package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.UnknownProviderException;
import org.nnj.core.Network;
import org.nnj.core.cpu.CpuBackend;

/**
 * Randomized fuzzing of the model readers (issue 6, "Hostile files"): a valid safetensors file, a valid
 * {@code network.json} and a valid model directory are mutated by short random lists of edits, at the byte level
 * (bit flips, random runs, truncation, insertion, deletion, trailing bytes, 32/64-bit fields set to boundary values
 * such as 2^62 or the file's own size) and at the JSON token level (a number, string or bracket replaced by a
 * boundary value, deleted or doubled; the safetensors header re-framed with its new length; the model directory's
 * manifest re-sealed with the mutant's checksum so the parsers behind the checksum are reached). Every mutant is
 * either read consistently with its bytes or refused with a {@link DataFormatException} whose one-line message names
 * the file; the bytes the reading thread allocates stay within a small multiple of the file's size.
 *
 * <p>Plain JUnit: iteration {@code i} of a property draws all its inputs from {@link #random(int)}, a
 * {@link SplittableRandom} seeded by {@code nnj.fuzz.seed} (default {@value #DEFAULT_SEED}) and {@code i}, so a
 * failure names the seed and iteration that replay it. Budget: {@value #DEFAULT_TRIES} iterations per property
 * (fewer for costly ones), starting at iteration {@code nnj.fuzz.from} (default 0); {@code -Dnnj.fuzz.tries=100000}
 * for a long campaign.
 */
class IoReadersFuzzTest {
    static final int DEFAULT_TRIES = 2000;
    static final long DEFAULT_SEED = 20261203L;
    static final long ALLOCATION_SLACK = 4L << 20;

    private static final Backend CPU = new CpuBackend(1);
    @TempDir
    static Path dir;
    private static byte[] validSafetensors;
    private static byte[] validSpec;
    private static Map<String, byte[]> validModel;

    @BeforeAll
    static void createValidFiles() throws IOException {
        Random r = new Random(7);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("Linear1.W", random(DType.FLOAT32, Shape.of(2, 3), r));
        tensors.put("Linear1.b", random(DType.FLOAT64, Shape.of(3), r));
        tensors.put("s", CPU.fromArray(DType.FLOAT32, Shape.scalar(), 1.5));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, tensors, Map.of("producer", "nnj"));
        validSafetensors = out.toByteArray();

        NetworkSpec spec = IoFixtures.spec(DType.FLOAT32);
        validSpec = spec.toJson().getBytes(StandardCharsets.UTF_8);

        Path model = dir.resolve("valid-model");
        ModelStore.save(spec.build(IoFixtures.registry(), CPU, 9), model);
        validModel = new LinkedHashMap<>();
        for (String f : List.of(ModelStore.NETWORK_FILE, ModelStore.WEIGHTS_FILE, ModelStore.MANIFEST_FILE)) {
            validModel.put(f, Files.readAllBytes(model.resolve(f)));
        }
        Files.createDirectories(dir.resolve("model"));
        Files.createDirectories(dir.resolve("unbuildable"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Properties

    /** Where the edits of a safetensors mutant are made. */
    enum SafetensorsTarget {
        /** Anywhere in the file's bytes. */
        BYTES,
        /** In the JSON header's bytes, re-framed with the new header length. */
        HEADER_BYTES,
        /** In the JSON header's tokens, re-framed with the new header length. */
        HEADER_TOKENS
    }

    record SafetensorsCase(SafetensorsTarget target, List<Mutation> mutations, List<TokenEdit> edits)
            implements Case<SafetensorsCase> {
        @Override
        public List<SafetensorsCase> smaller() {
            List<SafetensorsCase> s = new ArrayList<>();
            drops(mutations).forEach(l -> s.add(new SafetensorsCase(target, l, edits)));
            drops(edits).forEach(l -> s.add(new SafetensorsCase(target, mutations, l)));
            return s;
        }
    }

    @Test
    void mutatedSafetensorsAreReadConsistentlyOrRefusedInOneLine(TestInfo info) {
        fuzz(info, 1, r -> new SafetensorsCase(oneOf(r, SafetensorsTarget.class), mutations(r), tokenEdits(r)), c -> {
            byte[] mutant;
            if (c.target == SafetensorsTarget.BYTES) {
                mutant = Mutation.applyAll(validSafetensors, c.mutations);
            } else {
                int n = (int) ByteBuffer.wrap(validSafetensors).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                byte[] header = Arrays.copyOfRange(validSafetensors, 8, 8 + n);
                byte[] data = Arrays.copyOfRange(validSafetensors, 8 + n, validSafetensors.length);
                header = c.target == SafetensorsTarget.HEADER_BYTES ? Mutation.applyAll(header, c.mutations)
                        : TokenEdit.applyAll(header, c.edits);
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                mutant = concat(concat(len.array(), header), data);
            }
            Path file = write(dir.resolve("t.safetensors"), mutant);

            Object result = readMeasured(file, mutant.length, () -> SafeTensors.read(file, CPU));
            if (result != null) {
                assertConsistent(mutant, (SafeTensors.Contents) result);
            }
            return result != null;
        });
    }

    record SpecCase(boolean tokens, List<Mutation> mutations, List<TokenEdit> edits) implements Case<SpecCase> {
        @Override
        public List<SpecCase> smaller() {
            List<SpecCase> s = new ArrayList<>();
            drops(mutations).forEach(l -> s.add(new SpecCase(tokens, l, edits)));
            drops(edits).forEach(l -> s.add(new SpecCase(tokens, mutations, l)));
            return s;
        }
    }

    @Test
    void mutatedSpecFilesAreReadConsistentlyOrRefusedInOneLine(TestInfo info) {
        fuzz(info, 1, r -> new SpecCase(r.nextBoolean(), mutations(r), tokenEdits(r)), c -> {
            byte[] mutant = c.tokens ? TokenEdit.applyAll(validSpec, c.edits)
                    : Mutation.applyAll(validSpec, c.mutations);
            Path file = write(dir.resolve("network.json"), mutant);

            Object result = readMeasured(file, mutant.length, () -> NetworkSpec.read(file));
            if (result != null) {
                NetworkSpec spec = (NetworkSpec) result;
                // consistent: what was read writes and reads back as itself
                assertEquals(spec, NetworkSpec.fromJson(spec.toJson(), "round trip"));
            }
            return result != null;
        });
    }

    /** Which file of a model directory is mutated, and whether the manifest is re-sealed to agree with it. */
    enum ModelTarget {
        NETWORK_RESEALED, WEIGHTS_RESEALED, NETWORK, WEIGHTS, MANIFEST
    }

    record ModelCase(ModelTarget target, boolean tokens, List<Mutation> mutations, List<TokenEdit> edits)
            implements Case<ModelCase> {
        @Override
        public List<ModelCase> smaller() {
            List<ModelCase> s = new ArrayList<>();
            drops(mutations).forEach(l -> s.add(new ModelCase(target, tokens, l, edits)));
            drops(edits).forEach(l -> s.add(new ModelCase(target, tokens, mutations, l)));
            return s;
        }
    }

    /** Twice as costly per iteration: half the iterations. */
    @Test
    void mutatedModelDirectoriesLoadConsistentlyOrAreRefusedInOneLine(TestInfo info) {
        fuzz(info, 2, r -> new ModelCase(oneOf(r, ModelTarget.class), r.nextBoolean(), mutations(r), tokenEdits(r)),
                c -> {
                    Map<String, byte[]> files = new LinkedHashMap<>(validModel);
                    String name = c.target.name().startsWith("NETWORK") ? ModelStore.NETWORK_FILE
                            : c.target.name().startsWith("WEIGHTS") ? ModelStore.WEIGHTS_FILE
                            : ModelStore.MANIFEST_FILE;
                    boolean json = !name.equals(ModelStore.WEIGHTS_FILE);
                    byte[] valid = files.get(name);
                    files.put(name, json && c.tokens ? TokenEdit.applyAll(valid, c.edits)
                            : Mutation.applyAll(valid, c.mutations));
                    if (c.target.name().endsWith("RESEALED")) {
                        files.put(ModelStore.MANIFEST_FILE, manifest(files));
                    }
                    Path model = dir.resolve("model");
                    long size = 0;
                    for (Map.Entry<String, byte[]> f : files.entrySet()) {
                        write(model.resolve(f.getKey()), f.getValue());
                        size += f.getValue().length;
                    }

                    Object result = readMeasured(model, size, () -> ModelStore.load(model, IoFixtures.registry(), CPU));
                    if (result != null) {
                        Network net = (Network) result;
                        String specText = new String(files.get(ModelStore.NETWORK_FILE), StandardCharsets.UTF_8);
                        assertEquals(NetworkSpec.fromJson(specText, "network.json"), net.spec().orElseThrow());
                        Map<String, Tensor> saved = SafeTensors.read(model.resolve(ModelStore.WEIGHTS_FILE), CPU)
                                .tensors();
                        Map<String, Tensor> loaded = ModelStore.persistentTensors(net);
                        assertEquals(saved.keySet(), loaded.keySet());
                        for (String k : saved.keySet()) {
                            assertSameValues(saved.get(k).toDoubleArray(), loaded.get(k).toDoubleArray(), k);
                        }
                    }
                    return result != null;
                });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Regressions: the exact mutants that failed, and what they are refused with now

    /**
     * Found by {@link #mutatedSafetensorsAreReadConsistentlyOrRefusedInOneLine} (HEADER_TOKENS, token 1 replaced by
     * {@code "a\nb"}): a header key with a line break was echoed raw, splitting the message over two lines.
     */
    @Test
    void aSafetensorsKeyWithALineBreakIsRefusedInOneLine() {
        int n = (int) ByteBuffer.wrap(validSafetensors).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] header = TokenEdit.applyAll(Arrays.copyOfRange(validSafetensors, 8, 8 + n),
                List.of(new TokenEdit(1, 0, 19)));
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
        byte[] mutant = concat(concat(len.array(), header),
                Arrays.copyOfRange(validSafetensors, 8 + n, validSafetensors.length));
        Path file = write(dir.resolve("key.safetensors"), mutant);
        assertRefusedInOneLine(file, () -> SafeTensors.read(file, CPU), "expected names without control characters");
    }

    /**
     * Found by {@link #mutatedSpecFilesAreReadConsistentlyOrRefusedInOneLine} (tokens, token 3 replaced by
     * {@code "a\nb"}): a {@code "format"} value with a line break was echoed raw.
     */
    @Test
    void aSpecFormatWithALineBreakIsRefusedInOneLine() {
        Path file = write(dir.resolve("format.json"), TokenEdit.applyAll(validSpec, List.of(new TokenEdit(3, 0, 19))));
        assertRefusedInOneLine(file, () -> NetworkSpec.read(file), "found \"a\\nb\"");
    }

    /**
     * A spec that parses but cannot be built, with a manifest that agrees with it (a setting replaced by a string):
     * refused as a corrupt {@code network.json}, not with the layer provider's IllegalArgumentException.
     */
    @Test
    void aModelWhoseSpecCannotBeBuiltIsRefusedNamingTheSpec() {
        Map<String, byte[]> files = new LinkedHashMap<>(validModel);
        String spec = new String(files.get(ModelStore.NETWORK_FILE), StandardCharsets.UTF_8);
        files.put(ModelStore.NETWORK_FILE, spec.replaceFirst("\"units\": 5", "\"units\": \"x\"")
                .getBytes(StandardCharsets.UTF_8));
        files.put(ModelStore.MANIFEST_FILE, manifest(files));
        Path model = dir.resolve("unbuildable");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            write(model.resolve(f.getKey()), f.getValue());
        }
        assertRefusedInOneLine(model.resolve(ModelStore.NETWORK_FILE),
                () -> ModelStore.load(model, IoFixtures.registry(), CPU), "units");
    }

    static void assertRefusedInOneLine(Path file, Executable read, String fragment) {
        DataFormatException e = assertThrows(DataFormatException.class, read);
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()) && m.indexOf('\n') < 0 && m.contains(fragment), m);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Runner: the same in IdxReaderFuzzTest (nn-core cannot share test code with nn-data-mnist)

    static final long SEED = Long.getLong("nnj.fuzz.seed", DEFAULT_SEED);
    static final int FROM = Integer.getInteger("nnj.fuzz.from", 0);
    static final int TRIES = Integer.getInteger("nnj.fuzz.tries", DEFAULT_TRIES);

    /** A property's inputs; {@link #smaller()} lists the same with one edit dropped, to report a smaller failure. */
    interface Case<C> {
        default List<C> smaller() {
            return List.of();
        }
    }

    /** Checks one case: returns whether the file was accepted (true) or refused as documented (false). */
    interface Check<C> {
        boolean accepted(C c) throws Exception;
    }

    /** The random source of iteration {@code i}: depends on nothing but the seed and {@code i}. */
    static SplittableRandom random(int i) {
        return new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + i);
    }

    /**
     * Runs iterations {@code FROM ..} ({@code TRIES / cost} of them), prints the counts, and fails with the seed,
     * iteration and inputs of the first failure, and the smallest failing case found by dropping edits one by one.
     */
    static <C extends Case<C>> void fuzz(TestInfo info, int cost, Function<SplittableRandom, C> draw, Check<C> check) {
        int tries = Math.max(1, TRIES / cost);
        int accepted = 0;
        List<Integer> failed = new ArrayList<>();
        C firstCase = null;
        Throwable firstError = null;
        long start = System.nanoTime();
        for (int i = FROM; i < FROM + tries; i++) {
            C c = draw.apply(random(i));
            try {
                accepted += check.accepted(c) ? 1 : 0;
            } catch (Throwable t) {
                if (failed.isEmpty()) {
                    firstCase = c;
                    firstError = t;
                }
                failed.add(i);
            }
        }
        String name = info.getTestClass().orElseThrow().getSimpleName() + "#" + info.getTestMethod().orElseThrow()
                .getName();
        System.out.printf("fuzz %s: seed %d, iterations %d..%d: %d accepted, %d refused, %d failed, %d ms%n", name,
                SEED, FROM, FROM + tries - 1, accepted, tries - accepted - failed.size(), failed.size(),
                (System.nanoTime() - start) / 1_000_000);
        if (firstError != null) {
            C small = firstCase;
            for (int step = 0; step < 100 && small != null; step++) {
                C next = small.smaller().stream().filter(s -> fails(check, s)).findFirst().orElse(null);
                if (next == null) {
                    break;
                }
                small = next;
            }
            throw new AssertionError(String.format("%s failed %d of %d iterations (%s); first: iteration %d of seed %d"
                    + " (replay: -Dtest=%s -Dnnj.fuzz.seed=%d -Dnnj.fuzz.from=%d -Dnnj.fuzz.tries=%d)%n  inputs: %s%n"
                    + "  smallest failing with edits dropped: %s%n  failure: %s", name, failed.size(), tries,
                    failed.stream().limit(20).map(String::valueOf).collect(Collectors.joining(",")), failed.get(0),
                    SEED, name, SEED, failed.get(0), cost, firstCase, small, firstError), firstError);
        }
    }

    static <C> boolean fails(Check<C> check, C c) {
        try {
            check.accepted(c);
            return false;
        } catch (Throwable t) {
            return true;
        }
    }

    /** {@code list} with one element dropped, for each element. */
    static <E> List<List<E>> drops(List<E> list) {
        List<List<E>> d = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            List<E> l = new ArrayList<>(list);
            l.remove(i);
            d.add(List.copyOf(l));
        }
        return d;
    }

    static <E extends Enum<E>> E oneOf(SplittableRandom r, Class<E> type) {
        E[] values = type.getEnumConstants();
        return values[r.nextInt(values.length)];
    }

    static <E> E oneOf(SplittableRandom r, List<E> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** Any long, half of them of a random bit length so that small magnitudes are as likely as huge ones. */
    static long anyLong(SplittableRandom r) {
        return r.nextBoolean() ? r.nextLong() : r.nextLong() >> r.nextInt(64);
    }

    /** One to five byte-level edits. */
    static List<Mutation> mutations(SplittableRandom r) {
        Mutation[] m = new Mutation[1 + r.nextInt(5)];
        Arrays.setAll(m, k -> Mutation.draw(r));
        return List.of(m);
    }

    /** One to three token edits. */
    static List<TokenEdit> tokenEdits(SplittableRandom r) {
        TokenEdit[] e = new TokenEdit[1 + r.nextInt(3)];
        Arrays.setAll(e, k -> new TokenEdit(r.nextInt((1 << 12) + 1), r.nextInt(5),
                r.nextInt(TokenEdit.REPLACEMENTS.size())));
        return List.of(e);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Oracle

    /**
     * Runs {@code read}; returns its result, or null if it threw the documented exception (checked: one line, naming
     * {@code file}). Fails on any other throwable and if the reading thread allocated more than a small multiple of
     * {@code size}.
     */
    static Object readMeasured(Path file, long size, Supplier<Object> read) {
        long before = allocatedBytes();
        Object result = null;
        try {
            result = read.get();
        } catch (DataFormatException e) {
            String m = e.getMessage();
            assertTrue(m != null && m.indexOf('\n') < 0 && m.indexOf('\r') < 0, () -> "message is not one line: " + m);
            assertTrue(m.contains(file.toString()), () -> "message does not name " + file + ": " + m);
        } catch (UnknownProviderException e) {
            // documented by ModelStore.load: a provider that is not on the class path is no corrupt file
            String m = e.getMessage();
            assertTrue(m != null && m.indexOf('\n') < 0 && m.indexOf('\r') < 0, () -> "message is not one line: " + m);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("reading " + file + " failed with " + e + " instead of a DataFormatException", e);
        }
        long allocated = allocatedBytes() - before;
        if (allocated > ALLOCATION_SLACK + 64 * size) {
            fail("reading " + size + " bytes allocated " + allocated + " bytes");
        }
        return result;
    }

    /** Every tensor read holds exactly the bytes its entry points at, and the entries tile the data section. */
    static void assertConsistent(byte[] file, SafeTensors.Contents contents) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long dataStart = 8 + b.getLong(0);
        long covered = 0;
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            Tensor t = e.getValue();
            covered += (long) t.size() * t.dtype().byteSize();
        }
        assertEquals(file.length - dataStart, covered, "the tensors do not cover the data exactly");
        // decode independently, via the offsets the reader reports
        SafeTensors.Header h;
        try {
            Path again = write(dir.resolve("again.safetensors"), file);
            h = SafeTensors.readHeader(again);
        } catch (DataFormatException x) {
            throw new AssertionError("read accepted what readHeader refuses: " + x.getMessage(), x);
        }
        for (SafeTensors.Entry e : h.entries().values()) {
            Tensor t = contents.tensors().get(e.name());
            assertEquals(e.shape(), t.shape());
            assertEquals(e.dtype(), t.dtype());
            double[] expected = new double[t.size()];
            int width = e.dtype().byteSize();
            for (int i = 0; i < expected.length; i++) {
                int at = (int) (dataStart + e.begin() + (long) i * width);
                expected[i] = width == 4 ? b.getFloat(at) : b.getDouble(at);
            }
            assertSameValues(expected, t.toDoubleArray(), e.name());
        }
    }

    static void assertSameValues(double[] expected, double[] actual, String name) {
        assertEquals(expected.length, actual.length, name);
        for (int i = 0; i < expected.length; i++) {
            boolean same = Double.isNaN(expected[i]) ? Double.isNaN(actual[i])
                    : Double.doubleToRawLongBits(expected[i]) == Double.doubleToRawLongBits(actual[i]);
            if (!same) {
                fail(name + "[" + i + "]: expected " + expected[i] + ", read " + actual[i]);
            }
        }
    }

    /** A manifest that agrees with {@code files} (other than itself). */
    static byte[] manifest(Map<String, byte[]> files) {
        StringBuilder s = new StringBuilder("{\n  \"format\": \"nnj-manifest\",\n  \"version\": 1,\n  \"files\": {");
        String sep = "\n";
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (f.getKey().equals(ModelStore.MANIFEST_FILE)) {
                continue;
            }
            s.append(sep).append("    \"").append(f.getKey()).append("\": {\"sha256\": \"")
                    .append(HexFormat.of().formatHex(AtomicFiles.sha256().digest(f.getValue())))
                    .append("\", \"bytes\": ").append(f.getValue().length).append('}');
            sep = ",\n";
        }
        return s.append("\n  }\n}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static Tensor random(DType dtype, Shape shape, Random r) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return CPU.fromArray(dtype, shape, v);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mutations

    /**
     * One edit of a JSON text's tokens (strings, numbers, literals, brackets, colons and commas): token
     * {@code index} (modulo their number) is replaced by a boundary value, deleted, or doubled.
     */
    record TokenEdit(int index, int kind, int replacement) {
        private static final Pattern TOKEN = Pattern.compile(
                "\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false|null|[\\[\\]{}:,]");
        static final List<String> REPLACEMENTS = List.of("0", "1", "-1", "2", "7", "-0", "1.5", "1e3", "1e400",
            "2147483647", "2147483648", "-2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "4611686018427387904", "100000000", "99999999999999999999", "\"\"", "\"a\\nb\"", "\"a\\u0000\"", "\"F16\"",
            "\"F64\"", "\"F32\"", "\"__metadata__\"", "\"x.y\"", "\"t-linear\"", "\"t-nothing\"", "\"units\"",
            "\"float64\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"settings\"", "\"name\"", "\"training\"",
            "\"sha256\"", "\"bytes\"", "\"../x\"", "true", "null", "[]", "{}", "[0, 0]", "[1, 2, 3]", "{\"a\": 1}",
            "[".repeat(70) + "1" + "]".repeat(70));

        /** As Java, to paste into a regression test. */
        @Override
        public String toString() {
            return "new TokenEdit(" + index + ", " + kind + ", " + replacement + ")";
        }

        static byte[] applyAll(byte[] json, List<TokenEdit> edits) {
            String s = new String(json, StandardCharsets.UTF_8);
            for (TokenEdit e : edits) {
                s = e.apply(s);
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }

        String apply(String s) {
            List<int[]> tokens = new ArrayList<>();
            Matcher m = TOKEN.matcher(s);
            while (m.find()) {
                tokens.add(new int[] {m.start(), m.end()});
            }
            if (tokens.isEmpty()) {
                return s;
            }
            int[] t = tokens.get(index % tokens.size());
            String token = s.substring(t[0], t[1]);
            String with;
            switch (kind) {
                case 0:
                case 1:
                case 2:
                    with = REPLACEMENTS.get(replacement);
                    break;
                case 3:
                    with = "";
                    break;
                default:
                    with = token + " " + token;
                    break;
            }
            return s.substring(0, t[0]) + with + s.substring(t[1]);
        }
    }

    /** The edits a byte-level mutant is made of. */
    enum Op {
        FLIP_BIT, SET_BYTE, RANDOM_RUN, TRUNCATE, APPEND, INSERT, DELETE, COPY, INT32_BE, INT32_LE, INT64_LE
    }

    /**
     * One byte-level edit: {@code pos} (modulo the length) says where, {@code len} how many bytes, {@code value}
     * what (a byte, a 32- or 64-bit field, or the seed of random bytes). Values -2, -3, -4 stand for the content's
     * length, length - 1 and length + 1.
     */
    record Mutation(Op op, int pos, int len, long value) {
        static final List<Long> BOUNDARIES = List.of(0L, 1L, 2L, 7L, 8L, 9L, 0x7fL, 0x80L, 0xffL, 0xffffL, 0x7fffffffL,
            0x80000000L, 0xffffffffL, -1L, 1L << 31, 1L << 32, 1L << 62, 1L << 63, Long.MAX_VALUE, 100_000_000L,
            100_000_001L);

        /** Where: 3 in 5 in the first 25 bytes; how many: 1 to 64; what: 2 in 5 a boundary, 1 in 5 the length ± 1. */
        static Mutation draw(SplittableRandom r) {
            int pos = r.nextInt(5) < 3 ? r.nextInt(25) : r.nextInt((1 << 16) + 1);
            int k = r.nextInt(5);
            long value = k < 2 ? oneOf(r, BOUNDARIES) : k < 3 ? -2 - r.nextInt(3) : anyLong(r);
            return new Mutation(oneOf(r, Op.class), pos, 1 + r.nextInt(64), value);
        }

        /** As Java, to paste into a regression test. */
        @Override
        public String toString() {
            return "new Mutation(Op." + op + ", " + pos + ", " + len + ", " + value + "L)";
        }

        static byte[] applyAll(byte[] b, List<Mutation> mutations) {
            for (Mutation m : mutations) {
                b = m.apply(b);
            }
            return b;
        }

        private long resolve(int n) {
            return value == -2 ? n : value == -3 ? n - 1 : value == -4 ? n + 1 : value;
        }

        byte[] apply(byte[] in) {
            int n = in.length;
            byte[] b = in.clone();
            int at = n == 0 ? 0 : Math.floorMod(pos, n);
            switch (op) {
                case FLIP_BIT:
                    if (n > 0) {
                        b[at] ^= (byte) (1 << (value & 7));
                    }
                    return b;
                case SET_BYTE:
                    if (n > 0) {
                        b[at] = (byte) resolve(n);
                    }
                    return b;
                case RANDOM_RUN: {
                    Random r = new Random(value);
                    for (int i = at; i < Math.min(n, at + len); i++) {
                        b[i] = (byte) r.nextInt();
                    }
                    return b;
                }
                case TRUNCATE:
                    return Arrays.copyOf(b, Math.floorMod(pos, n + 1));
                case APPEND:
                    return concat(b, bytes(len));
                case INSERT: {
                    int p = Math.floorMod(pos, n + 1);
                    return concat(concat(Arrays.copyOf(b, p), bytes(len)), Arrays.copyOfRange(b, p, n));
                }
                case DELETE: {
                    int p = Math.floorMod(pos, n + 1);
                    return concat(Arrays.copyOf(b, p), Arrays.copyOfRange(b, Math.min(n, p + len), n));
                }
                case COPY: {
                    if (n > 0) {
                        int from = (int) Math.floorMod(value, (long) n);
                        System.arraycopy(in, from, b, at, Math.min(len, Math.min(n - from, n - at)));
                    }
                    return b;
                }
                case INT32_BE: {
                    long v = resolve(n);
                    for (int k = 0; k < 4 && at + k < n; k++) {
                        b[at + k] = (byte) (v >>> (24 - 8 * k));
                    }
                    return b;
                }
                case INT32_LE: {
                    long v = resolve(n);
                    for (int k = 0; k < 4 && at + k < n; k++) {
                        b[at + k] = (byte) (v >>> (8 * k));
                    }
                    return b;
                }
                case INT64_LE: {
                    int p = pos % 2 == 0 ? 0 : at;
                    long v = resolve(n);
                    for (int k = 0; k < 8 && p + k < n; k++) {
                        b[p + k] = (byte) (v >>> (8 * k));
                    }
                    return b;
                }
                default:
                    throw new AssertionError(op);
            }
        }

        private byte[] bytes(int k) {
            byte[] extra = new byte[k];
            if (value % 3 == 1) {
                Arrays.fill(extra, (byte) ' ');
            } else if (value % 3 != 0) {
                new Random(value).nextBytes(extra);
            }
            return extra;
        }
    }
}
