package org.nnj.examples;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes small raw IDX files, good or deliberately broken, for the command-line tests. */
final class Idx {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private Idx() {
    }

    /** A 28×28 image file of {@code count} random images. */
    static byte[] images(int magic, int count, Random random) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            byte[] pixels = new byte[count * 28 * 28];
            random.nextBytes(pixels);
            out.write(pixels);
        }
        return bytes.toByteArray();
    }

    /** A label file of {@code count} labels {@code i % 10}, the last one replaced by {@code last} if not negative. */
    static byte[] labels(int count, int last) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(i == count - 1 && last >= 0 ? last : i % 10);
            }
        }
        return bytes.toByteArray();
    }

    /** A directory with four valid files: 200 training and 50 test images. */
    static void writeValid(Path dir) throws IOException {
        Random random = new Random(1);
        Files.write(dir.resolve(TRAIN_IMAGES), images(0x00000803, 200, random));
        Files.write(dir.resolve(TRAIN_LABELS), labels(200, -1));
        Files.write(dir.resolve(TEST_IMAGES), images(0x00000803, 50, random));
        Files.write(dir.resolve(TEST_LABELS), labels(50, -1));
    }
}
