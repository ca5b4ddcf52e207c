package org.nnj.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;
import org.nnj.core.io.ModelStore;
import org.nnj.data.mnist.MnistSplit;

/**
 * Small models trained once per test JVM on the embedded sample's <em>training</em> split and saved with
 * {@link ModelStore#save}, for the inference tests: the book's two-layer net (784-50-10, SGD 0.1, 10 epochs on all
 * 8,000 images) and a small SimpleConvNet (8 filters 5x5, affine 50, Adam 0.002, two epochs on the first 3,000
 * images). The test split, which they never saw, is what the tests classify.
 */
final class TrainedModels {
    private static Path root;
    private static Path twoLayer;
    private static Path cnn;

    private TrainedModels() {
    }

    static Registry registry() {
        return Registry.load(Main.class.getClassLoader());
    }

    /** The directory of the trained two-layer net, input (784). */
    static synchronized Path twoLayer() {
        if (twoLayer == null) {
            twoLayer = train("two-layer", false);
        }
        return twoLayer;
    }

    /** The directory of the trained small cnn, input (1, 28, 28). */
    static synchronized Path cnn() {
        if (cnn == null) {
            cnn = train("cnn", true);
        }
        return cnn;
    }

    private static final MnistSplit[] TEST = new MnistSplit[2];

    /** The embedded sample's test split, flattened or as images (loaded once). */
    static synchronized MnistSplit testSplit(boolean images) {
        int k = images ? 1 : 0;
        if (TEST[k] == null) {
            TEST[k] = (MnistSplit) registry().dataset("mnist", Settings.of("flatten", !images)).test();
        }
        return TEST[k];
    }

    /** Test images {@code from .. from+count-1} as a batch of the network's input shape. */
    static Tensor batch(Backend backend, Shape input, DataSplit split, int from, int count) {
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = from + i;
        }
        Tensor x = backend.zeros(DType.FLOAT32, input.withBatch(count));
        split.gather(idx, 0, count, x, backend.zeros(DType.FLOAT32, Shape.of(count)));
        return x;
    }

    private static Path train(String name, boolean images) {
        Registry registry = registry();
        Dataset data = registry.dataset("mnist", Settings.of("flatten", !images));
        Backend backend = registry.backend("cpu", Settings.of("threads", 2));
        try {
            Network net;
            Optimizer opt;
            DataSplit train;
            int epochs;
            if (images) {
                train = LimitedSplit.of(data.train(), 3000);
                net = SimpleConvNet.build(registry, backend, DType.FLOAT32, train.sampleShape(), 8, 5, 50, "relu", "he",
                        Double.NaN, 10, 0);
                opt = registry.optimizer("adam", Settings.of("lr", 0.002));
                epochs = 2;
            } else {
                train = data.train();
                net = TwoLayerNet.build(registry, backend, DType.FLOAT32, train.sampleShape(), 50, "relu", 10,
                        TwoLayerNet.BOOK_WEIGHT_STD, 0);
                opt = registry.optimizer("sgd", Settings.of("lr", 0.1));
                epochs = 10;
            }
            Trainer trainer = Trainer.builder().epochs(epochs).batchSize(100).seed(0).build();
            trainer.fit(net, opt, train, LimitedSplit.of(data.test(), 100));
            org.slf4j.LoggerFactory.getLogger(TrainedModels.class).info("trained {}: test accuracy {}", name,
                    trainer.accuracy(net, data.test()));
            Path dir = root().resolve(name);
            ModelStore.save(net, dir);
            return dir;
        } finally {
            Backends.close(backend);
        }
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("nnj-trained-models");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path r = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(r)));
        }
        return root;
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
