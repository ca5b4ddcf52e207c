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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.DataFormatException;
import org.nnj.api.data.Dataset;

/**
 * Randomized fuzzing of the IDX reader and the MNIST directory loader (issue 6, "Hostile files"): valid files, raw
 * and gzip, are mutated by short random lists of byte-level edits (bit flips, random runs, truncation, insertion,
 * deletion, trailing bytes, copied chunks, and 32-bit header fields set to boundary values such as 0, -1, 2^31-1,
 * 2^31 or the file's own size), and every mutant must either be read consistently with its bytes or be refused with
 * a {@link DataFormatException} whose one-line message names the file. Every read is also measured: the bytes the
 * reading thread allocates must stay within a small multiple of the (decompressed) file size, so a header claiming
 * 2^31 images is refused before anything is allocated.
 *
 * <p>Plain JUnit: iteration {@code i} of a property draws all its inputs from {@link #random(int)}, a
 * {@link SplittableRandom} seeded by {@code nnj.fuzz.seed} (default {@value #DEFAULT_SEED}) and {@code i}, so a
 * failure names the seed and iteration that replay it. Budget: {@value #DEFAULT_TRIES} iterations per property
 * (fewer for costly ones), starting at iteration {@code nnj.fuzz.from} (default 0); {@code -Dnnj.fuzz.tries=100000}
 * for a long campaign.
 */
class IdxReaderFuzzTest {
    static final int DEFAULT_TRIES = 2000;
    static final long DEFAULT_SEED = 20261203L;
    static final int NUM_CLASSES = 10;

    /** Allocation allowed to a read beyond a multiple of the input's size: buffers, messages, class loading. */
    static final long ALLOCATION_SLACK = 4L << 20;

    @TempDir
    static Path dir;

    @BeforeAll
    static void createDirectories() throws IOException {
        Files.createDirectories(dir.resolve("set"));
        Files.createDirectories(dir.resolve("header-set"));
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

    record ImageCase(int count, int rows, int cols, Encoding encoding, List<Mutation> mutations)
            implements Case<ImageCase> {
        @Override
        public List<ImageCase> smaller() {
            return drops(mutations).stream().map(l -> new ImageCase(count, rows, cols, encoding, l)).toList();
        }
    }

    @Test
    void mutatedImageFilesAreReadConsistentlyOrRefusedInOneLine(TestInfo info) {
        fuzz(info, 1, r -> new ImageCase(r.nextInt(5), 1 + r.nextInt(6), 1 + r.nextInt(6), oneOf(r, Encoding.class),
                mutations(r)), c -> {
                    byte[] pixels = new byte[c.count * c.rows * c.cols];
                    new Random(c.count * 31L + c.rows * 7L + c.cols).nextBytes(pixels);
                    Mutant m = mutant(images(c.count, c.rows, c.cols, pixels), c.encoding, c.mutations);
                    Path file = write("images", m.file);
                    Object result = readMeasured(file, m, () -> IdxReader.readImages(file));
                    if (result instanceof IdxImages read) {
                        // consistent with the file: writing what was read gives back exactly the (decompressed) bytes
                        assertArrayEquals(m.content, images(read.count(), read.rows(), read.cols(), read.pixels()),
                                "re-encoding differs from the file that was accepted");
                    }
                    return result != null;
                });
    }

    record LabelCase(int count, Encoding encoding, List<Mutation> mutations) implements Case<LabelCase> {
        @Override
        public List<LabelCase> smaller() {
            return drops(mutations).stream().map(l -> new LabelCase(count, encoding, l)).toList();
        }
    }

    @Test
    void mutatedLabelFilesAreReadConsistentlyOrRefusedInOneLine(TestInfo info) {
        fuzz(info, 1, r -> new LabelCase(r.nextInt(13), oneOf(r, Encoding.class), mutations(r)), c -> {
            byte[] labels = new byte[c.count];
            Random r = new Random(c.count);
            for (int i = 0; i < c.count; i++) {
                labels[i] = (byte) r.nextInt(NUM_CLASSES);
            }
            Mutant m = mutant(labels(labels), c.encoding, c.mutations);
            Path file = write("labels", m.file);
            Object result = readMeasured(file, m, () -> IdxReader.readLabels(file, NUM_CLASSES));
            if (result instanceof byte[] read) {
                for (byte b : read) {
                    assertTrue((b & 0xFF) < NUM_CLASSES, "a label out of range was accepted");
                }
                assertArrayEquals(m.content, labels(read), "re-encoding differs from the file that was accepted");
            }
            return result != null;
        });
    }

    record HeaderCase(long count, long rows, long cols, int dataBytes, boolean gzip) implements Case<HeaderCase> {
    }

    /**
     * Headers whose sizes are arbitrary 32-bit values (boundary values favoured), followed by a little data: the
     * reader must refuse what the file cannot hold before allocating, and the loader must not trip over sizes that
     * only become a problem downstream (e.g. zero images of 2^31-1 × 2^31-1 pixels).
     */
    @Test
    void arbitraryHeaderSizesAreCheckedBeforeAllocating(TestInfo info) {
        fuzz(info, 1, r -> {
            long count = int32(r);
            long rows = int32(r);
            long cols = int32(r);
            // a quarter of the files hold exactly the data declared, when that is small, so some are accepted
            long declared = count == 0 || rows == 0 || cols == 0 ? 0
                    : count <= 64 && rows <= 64 && cols <= 64 ? count * rows * cols : 65;
            boolean exact = r.nextInt(4) == 0 && declared <= 64;
            return new HeaderCase(count, rows, cols, exact ? (int) declared : r.nextInt(65), r.nextBoolean());
        }, c -> {
            byte[] content = concat(header(3, c.count, c.rows, c.cols), new byte[c.dataBytes]);
            Mutant m = new Mutant(c.gzip ? gzip(content) : content, content);
            Path file = write("images", m.file);
            Object result = readMeasured(file, m, () -> IdxReader.readImages(file));
            if (result instanceof IdxImages read) {
                assertEquals(c.count, read.count());
                assertEquals(c.rows, read.rows());
                assertEquals(c.cols, read.cols());
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
            return result != null;
        });
    }

    record DirectoryCase(int first, List<Mutation> firstMutations, int second, List<Mutation> secondMutations,
            int gzipMask) implements Case<DirectoryCase> {
        @Override
        public List<DirectoryCase> smaller() {
            List<DirectoryCase> s = new ArrayList<>();
            drops(firstMutations).forEach(l -> s.add(new DirectoryCase(first, l, second, secondMutations, gzipMask)));
            drops(secondMutations).forEach(l -> s.add(new DirectoryCase(first, firstMutations, second, l, gzipMask)));
            return s;
        }
    }

    /**
     * A directory of four valid files (some gzipped) of which one or two are mutated: counts that disagree, image
     * sizes that differ between train and test, labels out of range. The loader either returns a data set that
     * matches the files or refuses with one line naming a file of the directory. Four times as costly per iteration.
     */
    @Test
    void mutatedMnistDirectoriesLoadConsistentlyOrAreRefusedInOneLine(TestInfo info) {
        fuzz(info, 4, r -> new DirectoryCase(r.nextInt(4), mutations(r), r.nextInt(5), mutations(r), r.nextInt(16)),
                c -> {
                    Random r = new Random(c.first * 5L + c.second);
                    byte[][] content = {
                        images(3, 2, 3, randomBytes(r, 18)), labels(randomLabels(r, 3)),
                        images(2, 2, 3, randomBytes(r, 12)), labels(randomLabels(r, 2))};
                    content[c.first] = Mutation.applyAll(content[c.first], c.firstMutations);
                    if (c.second < 4) {
                        content[c.second] = Mutation.applyAll(content[c.second], c.secondMutations);
                    }
                    Path d = dir.resolve("set");
                    for (int i = 0; i < 4; i++) {
                        boolean gz = (c.gzipMask >> i & 1) == 1;
                        String name = MnistLoader.FILE_NAMES.get(i);
                        delete(d.resolve(gz ? name : name + ".gz"));
                        write(d, name + (gz ? ".gz" : ""), gz ? gzip(content[i]) : content[i]);
                    }
                    Dataset ds;
                    try {
                        ds = MnistLoader.fromDirectory(d);
                    } catch (DataFormatException e) {
                        assertOneLineNaming(e, d.toString());
                        return false;
                    } catch (RuntimeException | Error e) {
                        throw new AssertionError("the loader failed with " + e + " instead of a DataFormatException",
                                e);
                    }
                    // accepted: every file must hold what the data set says
                    IdxImages train = IdxReader.readImages("train", new ByteArrayInputStream(content[0]),
                            content[0].length);
                    byte[] trainLabels = IdxReader.readLabels("l", new ByteArrayInputStream(content[1]),
                            content[1].length, 10);
                    IdxImages test = IdxReader.readImages("test", new ByteArrayInputStream(content[2]),
                            content[2].length);
                    assertEquals(train.count(), ds.train().size());
                    assertEquals(train.count(), trainLabels.length);
                    assertEquals(test.count(), ds.test().size());
                    assertEquals(train.rows() * train.cols(), ds.train().sampleShape().size());
                    assertEquals(test.rows() * test.cols(), ds.test().sampleShape().size());
                    for (int i = 0; i < trainLabels.length; i++) {
                        assertEquals(trainLabels[i] & 0xFF, ds.train().label(i));
                    }
                    return true;
                });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Regressions: the issue's own cases and the exact inputs that failed, measured

    /**
     * Found by {@link #arbitraryHeaderSizesAreCheckedBeforeAllocating} (count 0, rows 65536, cols 65536, no data,
     * gzip): the reader accepted zero images of 2^32 pixels each, and the loader then made samples of shape (0)
     * because rows · cols overflowed an int. One image must fit an array by itself.
     */
    @Test
    void zeroImagesOfMoreThanTheLargestArrayAreRefused() {
        for (boolean gzip : new boolean[] {true, false}) {
            byte[] content = header(3, 0, 65536, 65536);
            Path file = write("zero-of-huge", gzip ? gzip(content) : content);
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
            assertOneLineNaming(e, file.toString());
            assertTrue(e.getMessage().contains("0x65536x65536"), e.getMessage());
        }
    }

    @Test
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
    // Runner: the same in IoReadersFuzzTest (nn-core cannot share test code with this module)

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

    /** One to five edits. */
    static List<Mutation> mutations(SplittableRandom r) {
        Mutation[] m = new Mutation[1 + r.nextInt(5)];
        Arrays.setAll(m, k -> Mutation.draw(r));
        return List.of(m);
    }

    /** A 32-bit size, boundary values favoured: 3 in 6 a boundary, 2 in 6 small, 1 in 6 any. */
    static long int32(SplittableRandom r) {
        int k = r.nextInt(6);
        return k < 3 ? oneOf(r, Mutation.BOUNDARIES) & 0xFFFFFFFFL : k < 5 ? r.nextLong(65) : r.nextLong(1L << 32);
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
            0x7fffffffL, 0x80000000L, 0xffffffffL, 1L << 32, -1L, 1L << 62, 1L << 63, Long.MAX_VALUE, 100_000_000L,
            100_000_001L, 2_000_000_000L, 46341L, 65536L);

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
