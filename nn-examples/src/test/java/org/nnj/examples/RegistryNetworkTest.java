package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.data.Dataset;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;

/** The same two-layer net built purely from provider names through the registry, trained on the embedded digits. */
class RegistryNetworkTest {

    @Test
    void twoLayerNetFromProviderNamesLearnsDigits() {
        Registry registry = Registry.load(RegistryNetworkTest.class.getClassLoader());
        Backend backend = registry.backend("cpu", Settings.of("threads", 2));
        try {
            Dataset digits = registry.dataset("mnist", Settings.empty());
            Network net = NetworkBuilder.on(registry, backend, DType.FLOAT32, digits.train().sampleShape(), 42)
                    .add("affine", Settings.of("units", 50))
                    .add("relu")
                    .add("affine", Settings.of("units", 10))
                    .loss("softmax-cross-entropy");
            Optimizer sgd = registry.optimizer("sgd", Settings.of("lr", 0.1));

            assertEquals("[Affine1, Relu1, Affine2]", net.layers().names().toString());
            assertEquals("(784, 50)", net.parameter("Affine1.W").value().shape().toString());
            assertEquals("(10)", net.parameter("Affine2.b").value().shape().toString());

            List<EpochMetrics> history = Trainer.builder().epochs(1).batchSize(25).seed(42).build()
                    .fit(net, sgd, digits.train(), digits.test());
            assertEquals(1, history.size());
            assertTrue(history.get(0).testAcc() > 0.8, "test accuracy after one epoch: " + history.get(0));
        } finally {
            Backends.close(backend);
        }
    }
}
