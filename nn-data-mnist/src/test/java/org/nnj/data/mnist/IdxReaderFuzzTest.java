package org.nnj.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.management.ManagementFactory;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import org.nnj.api.DataFormatException;
import org.nnj.api.data.Dataset;

/**
 * Property-based fuzzing of the IDX reader and the MNIST directory loader (issue 6, "Hostile files"): valid files,
 * raw and gzip, are mutated by short random lists of byte-level edits (bit flips, random runs, truncation, insertion,
 * deletion, trailing bytes, copied chunks, and 32-bit header fields set to boundary values such as 0, -1, 2^31-1,
 * 2^31 or the file's own size), and every mutant must either be read consistently with its bytes or be refused with
 * a {@link DataFormatException} whose one-line message names the file. Every read is also measured: the bytes the
 * reading thread allocates must stay within a small multiple of the (decompressed) file size, so a header claiming
 * 2^31 images is refused before anything is allocated.
 *
 * <p>Budget: {@value #DEFAULT_TRIES} mutants per property (a few seconds); {@code -Dnnj.fuzz.tries=100000} for a
 * long campaign, {@code -Dnnj.fuzz.seed=...} to replay the seed jqwik reports with a failure.
 */
@AddLifecycleHook(IdxReaderFuzzTest.Budget.class)
class IdxReaderFuzzTest {
    static final int DEFAULT_TRIES = 2000;
    static final int NUM_CLASSES = 10;

    /** Allocation allowed to a read beyond a multiple of the input's size: buffers, messages, class loading. */
    static final long ALLOCATION_SLACK = 4L << 20;

    private static Path dir;

    /**
     * Sets the tries of every {@code @Property} (not {@code @Example}) from {@code nnj.fuzz.tries}, divided by the
     * property's {@link Cost}, and its seed from {@code nnj.fuzz.seed} if given.
     */
    public static final class Budget implements AroundPropertyHook {
        @Override
        public PropagationMode propagateTo() {
            return PropagationMode.ALL_DESCENDANTS;
        }

        @Override
        public boolean appliesTo(Optional<AnnotatedElement> element) {
            return element.map(e -> e.isAnnotationPresent(Property.class)).orElse(false);
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            Cost cost = context.targetMethod().getAnnotation(Cost.class);
            int tries = Integer.getInteger("nnj.fuzz.tries", DEFAULT_TRIES);
            context.attributes().setTries(Math.max(1, cost == null ? tries : tries / cost.value()));
            String seed = System.getProperty("nnj.fuzz.seed");
            if (seed != null && !seed.isBlank()) {
                context.attributes().setSeed(seed);
            }
            return property.execute();
        }
    }

    /** A property whose tries are this many times as expensive: it gets that many times fewer. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Cost {
        int value();
    }

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("nnj-idx-fuzz");
        Files.createDirectories(dir.resolve("set"));
        Files.createDirectories(dir.resolve("header-set"));
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Properties

    /** How a mutant reaches the reader. */
    enum Encoding {
        /** The mutated bytes, raw. */
        RAW,
        /** The mutated bytes, gzipped afterwards: the header checks are reached through decompression. */
        GZIP_OF_MUTANT,
        /** A valid gzip file, mutated: damaged streams, streams cut short, trailing garbage. */
        MUTATED_GZIP
    }

    @Property
    void mutatedImageFilesAreReadConsistentlyOrRefusedInOneLine(@ForAll @IntRange(max = 4) int count,
            @ForAll @IntRange(min = 1, max = 6) int rows, @ForAll @IntRange(min = 1, max = 6) int cols,
            @ForAll Encoding encoding, @ForAll("mutations") List<Mutation> mutations) {
        byte[] pixels = new byte[count * rows * cols];
        new Random(count * 31L + rows * 7L + cols).nextBytes(pixels);
        byte[] valid = images(count, rows, cols, pixels);
        Mutant m = mutant(valid, encoding, mutations);
        Path file = write("images", m.file);

        Object result = readMeasured(file, m, () -> IdxReader.readImages(file));
        if (result instanceof IdxImages) {
            IdxImages read = (IdxImages) result;
            // consistent with the file: writing what was read gives back exactly the (decompressed) bytes
            assertArrayEquals(m.content, images(read.count(), read.rows(), read.cols(), read.pixels()),
                    "re-encoding differs from the file that was accepted");
        }
    }

    @Property
    void mutatedLabelFilesAreReadConsistentlyOrRefusedInOneLine(@ForAll @IntRange(max = 12) int count,
            @ForAll Encoding encoding, @ForAll("mutations") List<Mutation> mutations) {
        byte[] labels = new byte[count];
        Random r = new Random(count);
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) r.nextInt(NUM_CLASSES);
        }
        Mutant m = mutant(labels(labels), encoding, mutations);
        Path file = write("labels", m.file);

        Object result = readMeasured(file, m, () -> IdxReader.readLabels(file, NUM_CLASSES));
        if (result instanceof byte[]) {
            byte[] read = (byte[]) result;
            for (byte b : read) {
                assertTrue((b & 0xFF) < NUM_CLASSES, "a label out of range was accepted");
            }
            assertArrayEquals(m.content, labels(read), "re-encoding differs from the file that was accepted");
        }
    }

    /**
     * Headers whose sizes are arbitrary 32-bit values (boundary values favoured), followed by a little data: the
     * reader must refuse what the file cannot hold before allocating, and the loader must not trip over sizes that
     * only become a problem downstream (e.g. zero images of 2^31-1 × 2^31-1 pixels).
     */
    @Property
    void arbitraryHeaderSizesAreCheckedBeforeAllocating(@ForAll("int32") long count, @ForAll("int32") long rows,
            @ForAll("int32") long cols, @ForAll @IntRange(max = 64) int dataBytes, @ForAll boolean gzip) {
        byte[] content = concat(header(3, count, rows, cols), new byte[dataBytes]);
        Mutant m = new Mutant(gzip ? gzip(content) : content, content);
        Path file = write("images", m.file);
        Object result = readMeasured(file, m, () -> IdxReader.readImages(file));
        if (result instanceof IdxImages) {
            IdxImages read = (IdxImages) result;
            assertEquals(count, read.count());
            assertEquals(rows, read.rows());
            assertEquals(cols, read.cols());
            // what was read must be usable as a data set: the loader turns it into a split with these sizes
            byte[] labelFile = labels(new byte[read.count()]);
            Path d = dir.resolve("header-set");
            write(d, MnistLoader.FILE_NAMES.get(0), m.file);
            write(d, MnistLoader.FILE_NAMES.get(1), labelFile);
            write(d, MnistLoader.FILE_NAMES.get(2), m.file);
            write(d, MnistLoader.FILE_NAMES.get(3), labelFile);
            for (boolean flatten : new boolean[] {true, false}) {
                try {
                    Dataset ds = MnistLoader.fromDirectory(d, flatten, "fuzz");
                    assertEquals(read.count(), ds.train().size());
                    assertEquals((long) read.rows() * read.cols(), ds.train().sampleShape().size());
                } catch (DataFormatException e) {
                    assertOneLineNaming(e, d.toString());
                }
            }
        }
    }

    /**
     * A directory of four valid files (some gzipped) of which one or two are mutated: counts that disagree, image
     * sizes that differ between train and test, labels out of range. The loader either returns a data set that
     * matches the files or refuses with one line naming a file of the directory.
     */
    @Property
    @Cost(4)
    void mutatedMnistDirectoriesLoadConsistentlyOrAreRefusedInOneLine(@ForAll @IntRange(max = 3) int first,
            @ForAll("mutations") List<Mutation> firstMutations, @ForAll @IntRange(max = 4) int second,
            @ForAll("mutations") List<Mutation> secondMutations, @ForAll @IntRange(max = 15) int gzipMask) {
        Random r = new Random(first * 5L + second);
        byte[][] content = {
            images(3, 2, 3, randomBytes(r, 18)), labels(randomLabels(r, 3)),
            images(2, 2, 3, randomBytes(r, 12)), labels(randomLabels(r, 2))};
        content[first] = Mutation.applyAll(content[first], firstMutations);
        if (second < 4) {
            content[second] = Mutation.applyAll(content[second], secondMutations);
        }
        Path d = dir.resolve("set");
        for (int i = 0; i < 4; i++) {
            boolean gz = (gzipMask >> i & 1) == 1;
            String name = MnistLoader.FILE_NAMES.get(i);
            delete(d.resolve(gz ? name : name + ".gz"));
            write(d, name + (gz ? ".gz" : ""), gz ? gzip(content[i]) : content[i]);
        }
        Dataset ds;
        try {
            ds = MnistLoader.fromDirectory(d);
        } catch (DataFormatException e) {
            assertOneLineNaming(e, d.toString());
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("the loader failed with " + e + " instead of a DataFormatException", e);
        }
        // accepted: every file must hold what the data set says
        IdxImages train = IdxReader.readImages("train", new ByteArrayInputStream(content[0]), content[0].length);
        byte[] trainLabels = IdxReader.readLabels("l", new ByteArrayInputStream(content[1]), content[1].length, 10);
        IdxImages test = IdxReader.readImages("test", new ByteArrayInputStream(content[2]), content[2].length);
        assertEquals(train.count(), ds.train().size());
        assertEquals(train.count(), trainLabels.length);
        assertEquals(test.count(), ds.test().size());
        assertEquals(train.rows() * train.cols(), ds.train().sampleShape().size());
        assertEquals(test.rows() * test.cols(), ds.test().sampleShape().size());
        for (int i = 0; i < trainLabels.length; i++) {
            assertEquals(trainLabels[i] & 0xFF, ds.train().label(i));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Examples: the issue's own cases, measured

    /**
     * Found by {@link #arbitraryHeaderSizesAreCheckedBeforeAllocating} (count 0, rows 65536, cols 65536, no data,
     * gzip): the reader accepted zero images of 2^32 pixels each, and the loader then made samples of shape (0)
     * because rows · cols overflowed an int. One image must fit an array by itself.
     */
    @Example
    void zeroImagesOfMoreThanTheLargestArrayAreRefused() {
        for (boolean gzip : new boolean[] {true, false}) {
            byte[] content = header(3, 0, 65536, 65536);
            Path file = write("zero-of-huge", gzip ? gzip(content) : content);
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
            assertOneLineNaming(e, file.toString());
            assertTrue(e.getMessage().contains("0x65536x65536"), e.getMessage());
        }
    }

    @Example
    void aHeaderClaimingTwoToThe31ImagesIsRefusedWithoutAllocating() {
        for (long count : new long[] {1L << 31, (1L << 32) - 1, Integer.MAX_VALUE, 2_000_000_000L}) {
            for (boolean gzip : new boolean[] {false, true}) {
                byte[] content = concat(header(3, count, 28, 28), new byte[784]);
                Mutant m = new Mutant(gzip ? gzip(content) : content, content);
                Path file = write("huge", m.file);
                long before = allocatedBytes();
                DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
                long allocated = allocatedBytes() - before;
                assertOneLineNaming(e, file.toString());
                assertTrue(allocated < 1 << 20, () -> "allocated " + allocated + " bytes refusing " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Oracle

    /** A mutant as written to disk, and what it decompresses to (the same bytes if not gzip). */
    record Mutant(byte[] file, byte[] content) {
    }

    static Mutant mutant(byte[] valid, Encoding encoding, List<Mutation> mutations) {
        switch (encoding) {
            case RAW: {
                byte[] b = Mutation.applyAll(valid, mutations);
                return new Mutant(b, b);
            }
            case GZIP_OF_MUTANT: {
                byte[] b = Mutation.applyAll(valid, mutations);
                return new Mutant(gzip(b), b);
            }
            default: {
                byte[] b = Mutation.applyAll(gzip(valid), mutations);
                return new Mutant(b, gunzipOrNull(b));
            }
        }
    }

    /**
     * Runs {@code read}; returns what it returned, or null if it threw the documented exception (checked: one line,
     * naming the file). Fails on any other throwable, and if the reading thread allocated more than a small multiple
     * of the file's (decompressed) size.
     */
    static Object readMeasured(Path file, Mutant m, Supplier<Object> read) {
        long size = Math.max(m.file.length, m.content == null ? 0 : m.content.length);
        long before = allocatedBytes();
        Object result = null;
        try {
            result = read.get();
        } catch (DataFormatException e) {
            assertOneLineNaming(e, file.toString());
        } catch (RuntimeException | Error e) {
            throw new AssertionError("the reader failed with " + e + " instead of a DataFormatException", e);
        }
        long allocated = allocatedBytes() - before;
        if (allocated > ALLOCATION_SLACK + 8 * size) {
            fail("reading a file of " + size + " bytes allocated " + allocated + " bytes");
        }
        if (result != null && m.content == null) {
            fail("a gzip file that GZIPInputStream cannot decompress was accepted");
        }
        return result;
    }

    static void assertOneLineNaming(DataFormatException e, String name) {
        String message = e.getMessage();
        assertTrue(message != null && message.indexOf('\n') < 0 && message.indexOf('\r') < 0,
                () -> "message is not one line: " + message);
        assertTrue(message.contains(name), () -> "message does not name " + name + ": " + message);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Files

    static byte[] header(int ndims, long... dims) {
        byte[] h = new byte[4 + 4 * dims.length];
        h[2] = (byte) IdxReader.TYPE_UBYTE;
        h[3] = (byte) ndims;
        for (int d = 0; d < dims.length; d++) {
            for (int k = 0; k < 4; k++) {
                h[4 + 4 * d + k] = (byte) (dims[d] >>> (24 - 8 * k));
            }
        }
        return h;
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return concat(header(3, count, rows, cols), pixels);
    }

    static byte[] labels(byte[] labels) {
        return concat(header(1, labels.length), labels);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] randomLabels(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(NUM_CLASSES);
        }
        return b;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The decompressed bytes, or the bytes themselves if they are not gzip, or null if they are broken gzip. */
    static byte[] gunzipOrNull(byte[] b) {
        if (b.length < 2 || (b[0] & 0xFF) != 0x1f || (b[1] & 0xFF) != 0x8b) {
            return b;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    static Path write(String name, byte[] content) {
        return write(dir, name, content);
    }

    static Path write(Path d, String name, byte[] content) {
        try {
            return Files.write(d.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mutations

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Mutation.arbitrary().list().ofMinSize(1).ofMaxSize(5);
    }

    /** 32-bit sizes, boundary values favoured. */
    @Provide
    Arbitrary<Long> int32() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(Mutation.BOUNDARIES).map(v -> v & 0xFFFFFFFFL)),
                Tuple.of(2, Arbitraries.longs().between(0, 64)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFFFFFFL)));
    }

    /** The edits a mutant is made of. */
    enum Op {
        FLIP_BIT, SET_BYTE, RANDOM_RUN, TRUNCATE, APPEND, INSERT, DELETE, COPY, INT32_BE, INT32_BE_ALIGNED, INT32_LE,
        INT64_LE
    }

    /**
     * One edit: {@code pos} (taken modulo the length) says where, {@code len} how many bytes, {@code value} what
     * (a byte, a 32- or 64-bit field, or the seed of random bytes). Boundary values include the content's own length
     * (value {@code -2}) and its length ± 1.
     */
    record Mutation(Op op, int pos, int len, long value) {
        static final List<Long> BOUNDARIES = List.of(0L, 1L, 2L, 3L, 4L, 7L, 8L, 9L, 10L, 11L, 16L, 28L, 255L, 256L,
            0x7fL, 0x80L, 0xffL, 0x7fffL, 0x8000L, 0xffffL, 0x10000L, 60000L, 10000L, 0x7ffffff7L, 0x7ffffff8L,
            0x7fffffffL, 0x80000000L, 0xffffffffL, -1L, 1L << 62, 1L << 63, Long.MAX_VALUE, 100_000_000L, 100_000_001L,
            2_000_000_000L, 46341L, 65536L);

        static Arbitrary<Mutation> arbitrary() {
            Arbitrary<Integer> pos = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.integers().between(0, 24)),
                    Tuple.of(2, Arbitraries.integers().between(0, 1 << 16)));
            Arbitrary<Integer> len = Arbitraries.integers().between(1, 64);
            Arbitrary<Long> value = Arbitraries.frequencyOf(
                    Tuple.of(2, Arbitraries.of(BOUNDARIES)),
                    Tuple.of(1, Arbitraries.of(-2L, -3L, -4L)),
                    Tuple.of(2, Arbitraries.longs()));
            return Combinators.combine(Arbitraries.of(Op.class), pos, len, value).as(Mutation::new);
        }

        static byte[] applyAll(byte[] b, List<Mutation> mutations) {
            for (Mutation m : mutations) {
                b = m.apply(b);
            }
            return b;
        }

        /** The value, with -2, -3, -4 standing for the content's length, length - 1 and length + 1. */
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
                        int k = Math.min(len, Math.min(n - from, n - at));
                        System.arraycopy(in, from, b, at, k);
                    }
                    return b;
                }
                case INT32_BE:
                case INT32_BE_ALIGNED: {
                    int p = op == Op.INT32_BE ? at : (int) Math.floorMod(4L * pos, (long) Math.max(n, 1));
                    long v = resolve(n);
                    for (int k = 0; k < 4 && p + k < n; k++) {
                        b[p + k] = (byte) (v >>> (24 - 8 * k));
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

        /** {@code k} bytes: zeros, spaces or random, by the value. */
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
