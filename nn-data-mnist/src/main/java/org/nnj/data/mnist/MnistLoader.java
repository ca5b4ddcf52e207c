package org.nnj.data.mnist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.nnj.api.DataFormatException;
import org.nnj.api.data.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads MNIST-format data sets (MNIST, Fashion-MNIST, ...) from the four standard IDX files, or the real MNIST sample
 * embedded in this module. Nothing is ever downloaded.
 *
 * <pre>{@code
 * Dataset sample = MnistLoader.embeddedSample();                 // 8,000 train + 2,000 test real MNIST digits
 * Dataset full = MnistLoader.fromDirectory(Path.of("/data/mnist")); // the four IDX files, raw or .gz
 * }</pre>
 *
 * <p>Stateless and thread-safe. Stability: evolving.
 */
public final class MnistLoader {
    private static final Logger LOG = LoggerFactory.getLogger(MnistLoader.class);

    /** Number of classes of MNIST and Fashion-MNIST. */
    public static final int NUM_CLASSES = 10;

    /** Standard file names (without {@code .gz}) in the order train images, train labels, test images, test labels. */
    public static final List<String> FILE_NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** Classpath folder of the embedded sample. */
    static final String SAMPLE_FOLDER = "org/nnj/data/mnist/sample/";

    private MnistLoader() {
    }

    /**
     * The embedded sample, flattened: 8,000 training and 2,000 test images of real MNIST digits (see the sample's
     * README for provenance and how it was split).
     *
     * @throws DataFormatException if the resources are missing or corrupt (a broken build)
     */
    public static Dataset embeddedSample() {
        return embeddedSample(true);
    }

    /**
     * The embedded sample.
     *
     * @param flatten samples of shape {@code (784)} if true, {@code (1, 28, 28)} if false
     * @throws DataFormatException if the resources are missing or corrupt (a broken build)
     */
    public static Dataset embeddedSample(boolean flatten) {
        long start = System.nanoTime();
        String[] names = new String[FILE_NAMES.size()];
        byte[][] content = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            names[i] = "classpath:" + SAMPLE_FOLDER + FILE_NAMES.get(i) + ".gz";
            content[i] = resource(names[i], SAMPLE_FOLDER + FILE_NAMES.get(i) + ".gz");
        }
        Dataset ds = assemble("mnist (embedded sample)",
                names[0], IdxReader.readImages(names[0], new ByteArrayInputStream(content[0]), content[0].length),
                names[1], IdxReader.readLabels(names[1], new ByteArrayInputStream(content[1]), content[1].length,
                        NUM_CLASSES),
                names[2], IdxReader.readImages(names[2], new ByteArrayInputStream(content[2]), content[2].length),
                names[3], IdxReader.readLabels(names[3], new ByteArrayInputStream(content[3]), content[3].length,
                        NUM_CLASSES),
                flatten);
        log(ds, start);
        return ds;
    }

    private static byte[] resource(String name, String path) {
        try (InputStream in = MnistLoader.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new DataFormatException(name + ": expected the embedded MNIST sample on the classpath, found "
                        + "nothing (is nn-data-mnist's jar complete?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e + ")", e);
        }
    }

    /**
     * Loads the four IDX files from a directory, flattened. Each may be raw or gzipped, named as in
     * {@link #FILE_NAMES}, with or without {@code .gz}, or with a dot before {@code idx} ({@code train-images.idx3-ubyte}); which one is read
     * when several are present: see {@link #fromDirectory(Path, boolean, String)}.
     *
     * @throws DataFormatException naming the path and the expected file names if the directory or a file is missing,
     *                             or naming the file if one is truncated, corrupt or inconsistent with the others
     */
    public static Dataset fromDirectory(Path dir) {
        return fromDirectory(dir, true, "mnist");
    }

    /**
     * Loads the four IDX files from a directory.
     *
     * <p>Which file is read: for each of the four, the first of {@code NAME}, {@code NAME.gz}, {@code DOTTED},
     * {@code DOTTED.gz} that is a regular file (or a link to one), where {@code NAME} is the standard name
     * ({@code t10k-labels-idx1-ubyte}) and {@code DOTTED} the same with a dot before {@code idx}
     * ({@code t10k-labels.idx1-ubyte}). So a raw file wins over its {@code .gz} (as after {@code gunzip -k}), and the
     * standard name over the dotted one. When more than one is present, the log says at INFO which one is read. A
     * directory (or anything else that is not a file) under one of these names is skipped; if no file is found the
     * error names it and says what it is.
     *
     * @param flatten samples of shape {@code (rows · cols)} if true, {@code (1, rows, cols)} if false
     * @param name    the data set's name for its description, e.g. {@code fashion-mnist}
     * @throws DataFormatException naming the path and the expected file names if the directory or a file is missing,
     *                             or naming the file if one is truncated, corrupt or inconsistent with the others
     */
    public static Dataset fromDirectory(Path dir, boolean flatten, String name) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir + ": expected a directory holding " + expectedFiles() + ", found "
                    + (Files.exists(dir) ? "a file" : "nothing at that path"));
        }
        long start = System.nanoTime();
        Path[] files = new Path[FILE_NAMES.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = find(dir, FILE_NAMES.get(i));
        }
        IdxImages trainImages = IdxReader.readImages(files[0]);
        byte[] trainLabels = IdxReader.readLabels(files[1], NUM_CLASSES);
        IdxImages testImages = IdxReader.readImages(files[2]);
        byte[] testLabels = IdxReader.readLabels(files[3], NUM_CLASSES);
        Dataset ds = assemble(name + " (" + dir + ")", files[0].toString(), trainImages, files[1].toString(),
                trainLabels, files[2].toString(), testImages, files[3].toString(), testLabels, flatten);
        log(ds, start);
        return ds;
    }

    static Dataset assemble(String description, String trainImagesName, IdxImages trainImages, String trainLabelsName,
            byte[] trainLabels, String testImagesName, IdxImages testImages, String testLabelsName, byte[] testLabels,
            boolean flatten) {
        checkCounts(trainImagesName, trainImages, trainLabelsName, trainLabels);
        checkCounts(testImagesName, testImages, testLabelsName, testLabels);
        if (trainImages.rows() != testImages.rows() || trainImages.cols() != testImages.cols()) {
            throw new DataFormatException(testImagesName + ": image size: expected " + trainImages.rows() + "x"
                    + trainImages.cols() + " as in " + trainImagesName + ", found " + testImages.rows() + "x"
                    + testImages.cols());
        }
        return new MnistDataset(description,
                split(trainImages, trainLabels, flatten),
                split(testImages, testLabels, flatten));
    }

    private static MnistSplit split(IdxImages images, byte[] labels, boolean flatten) {
        return MnistSplit.wrap(images.sharedPixels(), labels, images.rows(), images.cols(), NUM_CLASSES, flatten);
    }

    private static void checkCounts(String imagesName, IdxImages images, String labelsName, byte[] labels) {
        if (images.count() != labels.length) {
            throw new DataFormatException(labelsName + ": label count: expected " + images.count() + " (the images in "
                    + imagesName + "), found " + labels.length);
        }
    }

    /**
     * The first variant of a standard file name that is a regular file, as {@link #fromDirectory(Path, boolean,
     * String)} describes.
     */
    static Path find(Path dir, String base) {
        String dotted = base.replaceFirst("-idx", ".idx");
        List<Path> found = new ArrayList<>();
        Path notAFile = null;
        for (String candidate : List.of(base, base + ".gz", dotted, dotted + ".gz")) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                found.add(p);
            } else if (notAFile == null && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                notAFile = p;
            }
        }
        if (found.size() > 1) {
            LOG.info("{}: reading {} for {}[.gz]; also present and not read: {} (a raw file is read before its .gz, "
                    + "the standard name before the dotted one)", dir, found.get(0).getFileName(), base,
                    found.subList(1, found.size()).stream().map(p -> p.getFileName().toString())
                            .collect(Collectors.joining(", ")));
        }
        if (!found.isEmpty()) {
            return found.get(0);
        }
        if (notAFile != null) {
            throw new DataFormatException(notAFile + ": expected the IDX file " + base + "[.gz], found "
                    + kind(notAFile));
        }
        throw new DataFormatException(dir + ": expected " + base + "[.gz] (or " + dotted + "[.gz]) among "
                + expectedFiles() + ", found " + listing(dir));
    }

    /** What a path that exists but is no regular file is, in words. */
    private static String kind(Path p) {
        if (Files.isDirectory(p)) {
            return "a directory";
        }
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            return "a symbolic link to nothing";
        }
        return "something that is not a regular file (a device, pipe or socket)";
    }

    private static String expectedFiles() {
        return FILE_NAMES.stream().map(n -> n + "[.gz]").collect(Collectors.joining(", "));
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            s.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
            if (names.isEmpty()) {
                return "an empty directory";
            }
            int shown = Math.min(names.size(), 8);
            return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? ", ..." : "");
        } catch (IOException e) {
            return "a directory that cannot be listed (" + e.getMessage() + ")";
        }
    }

    private static void log(Dataset ds, long start) {
        LOG.info("loaded {}: {} training and {} test samples of {} in {} ms", ds.description(), ds.train().size(),
                ds.test().size(), ds.train().sampleShape(), (System.nanoTime() - start) / 1_000_000);
    }
}
