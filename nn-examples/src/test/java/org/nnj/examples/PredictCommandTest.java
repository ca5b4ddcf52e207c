package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnj.api.Backend;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.io.ModelStore;
import org.nnj.data.mnist.IdxWriter;
import org.nnj.data.mnist.MnistSplit;

/**
 * {@code nnj predict} on images made from the embedded sample's TEST split, which the models never trained on: the
 * lines it prints are the network's own answers on the raw test tensors (to the printed digit where the image holds
 * the exact pixels: grey PNG, IDX, an inverted copy, a copy scaled up 2x; the same class for lossy ones: JPEG, colour
 * on a coloured background, ink on paper), and the true labels as often as the models' accuracy says.
 */
class PredictCommandTest {
    private static final int N = 10;
    private static final int HUNDRED = 100;

    /** What the network says about test images 0, 1, ..., as predict prints it, each under its name. */
    private static List<String> expectedLines(Path model, boolean images, List<String> names) {
        Registry registry = TrainedModels.registry();
        Backend backend = registry.backend("cpu", Settings.of("threads", 1));
        Network net = ModelStore.load(model, registry, backend);
        Shape input = net.spec().orElseThrow().inputShape();
        MnistSplit test = TrainedModels.testSplit(images);
        int n = names.size();
        Tensor scores = net.predict(TrainedModels.batch(backend, input, test, 0, n));
        Tensor probs = backend.zerosLike(scores);
        backend.softmax(scores, probs);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(PredictCommand.line(names.get(i), probs, i, 10, 3));
        }
        return lines;
    }

    private static int[] pixels(int i) {
        MnistSplit test = TrainedModels.testSplit(false);
        int[] p = new int[784];
        for (int k = 0; k < 784; k++) {
            p[k] = test.pixel(i, k);
        }
        return p;
    }

    /** Writes test image {@code i}, each pixel mapped to an RGB colour and the image scaled up {@code scale} times. */
    private static Path write(Path dir, String name, int i, int scale, String format, java.util.function.IntUnaryOperator rgb)
            throws IOException {
        int[] p = pixels(i);
        int side = 28 * scale;
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, rgb.applyAsInt(p[(y / scale) * 28 + x / scale]));
            }
        }
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, file.toFile()), format);
        return file;
    }

    /** A grey image (8-bit grayscale PNG or JPEG), as a user's scan would be. */
    private static Path writeGray(Path dir, String name, int i, String format, boolean invert) throws IOException {
        int[] p = pixels(i);
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < 784; k++) {
            img.getRaster().setSample(k % 28, k / 28, 0, invert ? 255 - p[k] : p[k]);
        }
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, file.toFile()), format);
        return file;
    }

    private static int grey(int v) {
        return v << 16 | v << 8 | v;
    }

    /** Blends {@code from} to {@code to} by v/255. */
    private static int blend(int from, int to, int v) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (from >> shift) & 0xFF;
            int b = (to >> shift) & 0xFF;
            out |= (int) Math.round(a + (b - a) * v / 255.0) << shift;
        }
        return out;
    }

    private static String[] args(Path model, List<Path> files) {
        List<String> a = new ArrayList<>(List.of("predict", "--model", model.toString()));
        files.forEach(f -> a.add(f.toString()));
        return a.toArray(new String[0]);
    }

    private static int correct(List<String> lines) {
        MnistSplit test = TrainedModels.testSplit(false);
        int ok = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" class=" + test.label(i) + " ")) {
                ok++;
            }
        }
        return ok;
    }

    private static String classOf(String line) {
        return line.replaceAll(".* class=(\\d+) .*", "$1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-layer", "cnn"})
    void greyPngsOfUnseenTestImagesGetTheNetworksOwnAnswers(String kind, @TempDir Path tmp) throws IOException {
        boolean images = kind.equals("cnn");
        Path model = images ? TrainedModels.cnn() : TrainedModels.twoLayer();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < HUNDRED; i++) {
            files.add(writeGray(tmp, "digit" + i + ".png", i, "png", false));
        }
        Cli r = Cli.run(args(model, files));
        assertEquals(0, r.code, r::toString);
        List<String> lines = r.out.lines().toList();
        assertEquals(expectedLines(model, images, files.stream().map(Path::toString).toList()), lines);
        assertTrue(lines.get(0).matches(".*digit0\\.png class=\\d( \\d:[01]\\.\\d{4}){3}"), lines.get(0));
        // the models score about 0.9 on the whole test split (EvaluateCommandTest)
        assertTrue(correct(lines) >= 85, correct(lines) + " of 100 unseen test digits right: " + r.out);
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-layer", "cnn"})
    void exactVariantsGiveExactlyTheSameLines(String kind, @TempDir Path tmp) throws IOException {
        boolean images = kind.equals("cnn");
        Path model = images ? TrainedModels.cnn() : TrainedModels.twoLayer();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            names.add("x");
        }
        List<String> expected = expectedLines(model, images, names);
        List<Path> files = new ArrayList<>();
        List<String> want = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            // dark ink on white paper: the border is light, so predict inverts it back exactly
            files.add(writeGray(tmp, "ink" + i + ".png", i, "png", true));
            // 56x56, each pixel a 2x2 block: area averaging brings back the 28x28 original exactly
            files.add(write(tmp, "big" + i + ".png", i, 2, "png", PredictCommandTest::grey));
            // a colour PNG whose pixels are grey: luminance is the grey level itself
            files.add(write(tmp, "rgb" + i + ".png", i, 1, "png", PredictCommandTest::grey));
            for (Path f : files.subList(files.size() - 3, files.size())) {
                want.add(f + expected.get(i).substring(1));
            }
        }
        Cli r = Cli.run(args(model, files));
        assertEquals(0, r.code, r::toString);
        assertEquals(want, r.out.lines().toList());
    }

    @Test
    void lossyVariantsGiveTheSameClasses(@TempDir Path tmp) throws IOException {
        Path model = TrainedModels.twoLayer();
        List<String> expected = expectedLines(model, false, java.util.Collections.nCopies(N, "x"));
        int navy = 0x141e5a;
        int yellow = 0xffe678;
        int paper = 0xf0ead2;
        int blueInk = 0x1e2864;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            files.add(writeGray(tmp, "digit" + i + ".jpg", i, "jpg", false));
            // light on dark, in colour: luminance, then the navy background level is taken away
            files.add(write(tmp, "colour" + i + ".png", i, 1, "png", v -> blend(navy, yellow, v)));
            // blue ink on cream paper, 84x84, JPEG: inverted, paper level taken away, shrunk by area averaging
            files.add(write(tmp, "paper" + i + ".jpg", i, 3, "jpg", v -> blend(paper, blueInk, v)));
        }
        Cli r = Cli.run(args(model, files));
        assertEquals(0, r.code, r::toString);
        List<String> lines = r.out.lines().toList();
        assertEquals(3 * N, lines.size(), r::toString);
        int agree = 0;
        for (int k = 0; k < lines.size(); k++) {
            assertTrue(lines.get(k).startsWith(files.get(k) + " class="), lines.get(k));
            if (classOf(lines.get(k)).equals(classOf(expected.get(k / 3)))) {
                agree++;
            }
        }
        assertTrue(agree >= lines.size() - 1, agree + " of " + lines.size()
                + " lossy images classified as the raw tensors:\n" + r.out);
    }

    @Test
    void everyImageOfAnIdxFileIsNamedByItsIndex(@TempDir Path tmp) {
        Path model = TrainedModels.cnn();
        byte[] bytes = new byte[N * 784];
        int[] p;
        for (int i = 0; i < N; i++) {
            p = pixels(i);
            for (int k = 0; k < 784; k++) {
                bytes[i * 784 + k] = (byte) p[k];
            }
        }
        Path idx = tmp.resolve("ten-idx3-ubyte.gz");
        IdxWriter.writeImages(idx, N, 28, 28, bytes, true);
        Cli r = Cli.run("predict", "--model", model.toString(), "--top", "2", idx.toString());
        assertEquals(0, r.code, r::toString);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            names.add(idx + "[" + i + "]");
        }
        List<String> three = expectedLines(model, true, names);
        List<String> two = three.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
        assertEquals(two, r.out.lines().toList());
    }

    @Test
    void badFilesAreReportedOneLineEachAndTheRestIsClassified(@TempDir Path tmp) throws IOException {
        Path model = TrainedModels.twoLayer();
        Path good = writeGray(tmp, "good.png", 0, "png", false);
        Path text = Files.writeString(tmp.resolve("notes.png"), "not an image");
        Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        byte[] png = Files.readAllBytes(good);
        Path truncated = Files.write(tmp.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Path labels = tmp.resolve("labels-idx1-ubyte");
        IdxWriter.writeLabels(labels, new byte[] {1, 2, 3}, false);
        Path missing = tmp.resolve("missing.png");
        // one 1x1 image of type float (0x0D): an IDX file, but not of unsigned bytes
        Path floats = Files.write(tmp.resolve("floats-idx3-ubyte"), new byte[] {0, 0, 0x0D, 3, 0, 0, 0, 1, 0, 0, 0, 1,
                0, 0, 0, 1, 0, 0, 0, 0});
        Cli r = Cli.run(args(model, List.of(text, good, empty, truncated, missing, labels, tmp, floats)));
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.out.lines().count(), r::toString);
        assertTrue(r.out.startsWith(good + " class="), r.out);
        List<String> err = r.errLines();
        assertEquals(8, err.size(), r::toString);
        assertEquals("nnj predict: " + floats + ": expected a PNG, JPEG or IDX image file, found an IDX file of "
                + "element type 0x0d (float); IDX images must be unsigned bytes (0x08)", err.get(6));
        assertEquals("nnj predict: " + text + ": expected a PNG, JPEG or IDX image file, found a file starting with "
                + "bytes 6e 6f 74 20", err.get(0));
        assertEquals("nnj predict: " + empty + ": expected a PNG, JPEG or IDX image file, found an empty file",
                err.get(1));
        assertEquals("nnj predict: " + truncated + ": cannot read the PNG image: the file ends before the image does "
                + "(is it truncated?)", err.get(2));
        assertEquals("nnj predict: " + missing + ": no such file", err.get(3));
        assertTrue(err.get(4).startsWith("nnj predict: " + labels), err.get(4));
        assertEquals("nnj predict: " + tmp + ": expected an image file, found a directory", err.get(5));
        assertEquals("nnj predict: 7 of 8 files could not be classified", err.get(7));
    }

    @Test
    void aMissingOrBrokenModelStopsAtOnce(@TempDir Path tmp) throws IOException {
        Path img = writeGray(tmp, "d.png", 0, "png", false);
        Cli none = Cli.run("predict", "--model", tmp.resolve("nope").toString(), img.toString());
        assertEquals(2, none.code, none::toString);
        assertEquals(List.of("nnj predict: --model " + tmp.resolve("nope") + ": expected a model directory (written by"
                + " train --save, holding network.json and weights.safetensors), found nothing at that path"),
                none.errLines());
        Cli empty = Cli.run("predict", "--model", tmp.toString(), img.toString());
        assertEquals(2, empty.code, empty::toString);
        assertEquals(1, empty.errLines().size(), empty::toString);
        assertTrue(empty.err.contains(tmp.toString()), empty::toString);
        assertEquals("", empty.out);
        Cli noFiles = Cli.run("predict", "--model", TrainedModels.twoLayer().toString());
        assertEquals(2, noFiles.code);
        assertTrue(noFiles.err.startsWith("nnj predict: no image files given"), noFiles::toString);
        Cli noModel = Cli.run("predict", img.toString());
        assertEquals(2, noModel.code);
        assertTrue(noModel.err.startsWith("nnj predict: option --model DIR is required"), noModel::toString);
    }

    @Test
    void imageSizeOfTheInputShapes() {
        assertEquals(List.of(28, 28), toList(PredictCommand.imageSize(Shape.of(784))));
        assertEquals(List.of(28, 28), toList(PredictCommand.imageSize(Shape.of(1, 28, 28))));
        assertEquals(List.of(16, 8), toList(PredictCommand.imageSize(Shape.of(16, 8))));
        org.nnj.api.ShapeException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.nnj.api.ShapeException.class, () -> PredictCommand.imageSize(Shape.of(3, 28, 28)));
        assertTrue(e.getMessage().contains("(3, 28, 28)"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(org.nnj.api.ShapeException.class,
                () -> PredictCommand.imageSize(Shape.of(10)));
    }

    /**
     * Saves into {@code dir} the model of {@code source} with every weight multiplied by 1e28 (as ./nnj predict
     * found them in a diverged run's last-finite directory): finite, so it loads, but its scores overflow.
     */
    static Path hugeWeights(Path source, Path dir) {
        Registry registry = TrainedModels.registry();
        Network net = ModelStore.load(source, registry, registry.backend("cpu", Settings.of("threads", 1)));
        for (org.nnj.api.Parameter p : net.parameters()) {
            Tensor v = p.value();
            for (int i = 0; i < v.size(); i++) {
                v.set(i, v.get(i) * 1e28);
            }
        }
        ModelStore.save(net, dir);
        return dir;
    }

    /** {@code NAME, is X}: the parameter with the largest magnitude of a saved model and that magnitude (%.3g). */
    static String largestWeight(Path model) {
        Registry registry = TrainedModels.registry();
        Network net = ModelStore.load(model, registry, registry.backend("cpu", Settings.of("threads", 1)));
        double largest = 0;
        String name = "";
        for (org.nnj.api.Parameter p : net.parameters()) {
            for (double v : p.value().toDoubleArray()) {
                if (Math.abs(v) > largest) {
                    largest = Math.abs(v);
                    name = p.name();
                }
            }
        }
        return String.format(java.util.Locale.ROOT, "%s, is %.3g", name, largest);
    }

    @Test
    void imagesWhoseOutputsAreNotFiniteAreReportedAndHaveNoClass(@TempDir Path tmp) throws IOException {
        Path model = hugeWeights(TrainedModels.twoLayer(), tmp.resolve("huge"));
        Path png = writeGray(tmp, "f0.png", 0, "png", false);
        Path idx = tmp.resolve("three-idx3-ubyte");
        IdxWriter.writeImages(idx, 3, 28, 28, new byte[3 * 784], false);
        Cli r = Cli.run(args(model, List.of(png, idx)));
        assertEquals(2, r.code, r::toString);
        assertEquals("", r.out, "no class=0 0:NaN lines");
        List<String> err = r.errLines();
        assertEquals(3, err.size(), r::toString);
        String why = "; its weights are far too large (the largest, in " + largestWeight(model) + " in magnitude), so "
                + "the arithmetic overflowed, as it does with the weights of a diverged run";
        assertTrue(largestWeight(model).matches("Affine\\d\\.W, is \\d\\.\\d\\de\\+2[78]"), largestWeight(model));
        assertEquals("nnj predict: " + png + ": the model's outputs for it are not finite (NaN or infinite), so it has "
                + "no class" + why, err.get(0));
        assertEquals("nnj predict: " + idx + ": the model's outputs for 3 of its 3 images are not finite (NaN or "
                + "infinite), so those have no class" + why, err.get(1));
        assertEquals("nnj predict: 2 of 2 files could not be classified", err.get(2));
    }

    @Test
    void anIdxFileWithoutImagesIsAnError(@TempDir Path tmp) throws IOException {
        Path empty = tmp.resolve("none-idx3-ubyte");
        IdxWriter.writeImages(empty, 0, 28, 28, new byte[0], false);
        Path good = writeGray(tmp, "good.png", 0, "png", false);
        Cli r = Cli.run(args(TrainedModels.twoLayer(), List.of(empty, good)));
        assertEquals(2, r.code, r::toString);
        assertTrue(r.out.startsWith(good + " class="), r::toString);
        assertEquals(List.of("nnj predict: " + empty + ": no images (an IDX image file whose count is 0)",
                "nnj predict: 1 of 2 files could not be classified"), r.errLines());
    }

    /** A PNG whose header declares {@code width × height} 8-bit grey pixels, followed by a few bytes of data. */
    static byte[] pngHeader(int width, int height) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(b);
        d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.io.ByteArrayOutputStream ihdr = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream h = new java.io.DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        chunk(d, "IHDR", ihdr.toByteArray());
        chunk(d, "IDAT", new byte[] {0x78, (byte) 0xda, 0x01, 0x00});
        chunk(d, "IEND", new byte[0]);
        return b.toByteArray();
    }

    private static void chunk(java.io.DataOutputStream d, String type, byte[] data) throws IOException {
        d.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    @Test
    void imagesLargerThanTheLimitAreRefusedBeforeDecodingAndNamed(@TempDir Path tmp) throws IOException {
        // a PNG "bomb": 20000 x 20000 declared in a file of 70 bytes; refused from its header
        Path bomb = Files.write(tmp.resolve("bomb.png"), pngHeader(20000, 20000));
        // just over the limit on one side, a real image; and one exactly at the limit, which is read
        BufferedImage wide = new BufferedImage(ImageInput.MAX_SIDE + 1, 2, BufferedImage.TYPE_BYTE_GRAY);
        Path tooWide = tmp.resolve("wide.png");
        assertTrue(ImageIO.write(wide, "png", tooWide.toFile()));
        BufferedImage atLimit = new BufferedImage(2, ImageInput.MAX_SIDE, BufferedImage.TYPE_BYTE_GRAY);
        Path tall = tmp.resolve("tall.png");
        assertTrue(ImageIO.write(atLimit, "png", tall.toFile()));
        Cli r = Cli.run(args(TrainedModels.twoLayer(), List.of(bomb, tooWide, tall)));
        assertEquals(2, r.code, r::toString);
        assertTrue(r.out.startsWith(tall + " class="), r::toString);
        assertEquals(List.of(
                "nnj predict: " + bomb + ": the image is 20000 x 20000 pixels; predict reads images of at most "
                        + "8192 x 8192 (scale it down first)",
                "nnj predict: " + tooWide + ": the image is 8193 x 2 pixels; predict reads images of at most "
                        + "8192 x 8192 (scale it down first)",
                "nnj predict: 2 of 3 files could not be classified"), r.errLines());
    }

    private static List<Integer> toList(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
