package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The determinism promise for the layers that {@link ThreadsDeterminismTest} does not reach: the mlp with batch
 * normalisation (sums over the batch) and dropout (a seeded generator per layer). The same seed gives byte-identical
 * saved weights and layer state with 1 and 2 threads, and run after run; another seed does not.
 */
class MlpThreadsDeterminismTest {
    private static final String[] MLP = {"train", "--model", "mlp", "--hidden", "64,32", "--batchnorm", "--dropout",
        "0.2", "--optimizer", "adam", "--epochs", "2", "--train-limit", "1000", "--quiet"};

    private static byte[] weights(Path dir, String... extra) throws IOException {
        String[] args = Arrays.copyOf(MLP, MLP.length + extra.length + 2);
        System.arraycopy(extra, 0, args, MLP.length, extra.length);
        args[args.length - 2] = "--save";
        args[args.length - 1] = dir.toString();
        Cli r = Cli.run(args);
        assertEquals(0, r.code, r::toString);
        return Files.readAllBytes(dir.resolve("weights.safetensors"));
    }

    @Test
    void oneAndTwoThreadsAndASecondRunSaveTheSameBytes(@TempDir Path tmp) throws IOException {
        byte[] one = weights(tmp.resolve("t1"), "--threads", "1");
        byte[] two = weights(tmp.resolve("t2"), "--threads", "2");
        byte[] again = weights(tmp.resolve("t2-again"), "--threads", "2");
        byte[] otherSeed = weights(tmp.resolve("seed1"), "--threads", "2", "--seed", "1");
        assertArrayEquals(one, two, "weights with --threads 1 and --threads 2");
        assertArrayEquals(two, again, "weights of two runs with --threads 2");
        assertFalse(Arrays.equals(one, otherSeed), "another seed gives other weights");
    }
}
