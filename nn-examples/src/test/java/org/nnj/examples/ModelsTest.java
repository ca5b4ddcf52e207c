package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.Registry;

/** The nets of {@code --model two-layer|mlp|cnn}: layer names, parameter shapes, initialisation. */
class ModelsTest {
    private static final Shape IMAGE = Shape.of(1, 28, 28);
    private static final Shape FLAT = Shape.of(784);
    private static Registry registry;
    private static Backend backend;

    @BeforeAll
    static void open() {
        registry = Registry.load(ModelsTest.class.getClassLoader());
        backend = Backends.open(registry, null, 1);
    }

    @AfterAll
    static void close() {
        Backends.close(backend);
    }

    private static Network build(ModelSpec.Purpose purpose, Shape input, String... args) {
        ModelSpec spec = ModelSpec.parse(Options.parse("train", args, ModelSpec.OPTIONS, ModelSpec.FLAGS), purpose);
        return spec.build(registry, backend, DType.FLOAT32, input, 10, 0);
    }

    private static Map<String, Shape> shapes(Network net) {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) {
            m.put(p.name(), p.value().shape());
        }
        return m;
    }

    private static double std(Parameter p) {
        double[] w = p.value().toDoubleArray();
        double sum = 0;
        double sq = 0;
        for (double v : w) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / w.length;
        return Math.sqrt(sq / w.length - mean * mean);
    }

    @Test
    void cnnIsTheBooksSimpleConvNet() {
        Network net = build(ModelSpec.Purpose.TRAIN, IMAGE, "--model", "cnn");
        assertEquals(List.of("Conv2d1", "Relu1", "MaxPool2d1", "Affine1", "Relu2", "Affine2"), net.layers().names());
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("Conv2d1.W", Shape.of(30, 1, 5, 5));
        expected.put("Conv2d1.b", Shape.of(30));
        expected.put("Affine1.W", Shape.of(4320, 100));
        expected.put("Affine1.b", Shape.of(100));
        expected.put("Affine2.W", Shape.of(100, 10));
        expected.put("Affine2.b", Shape.of(10));
        assertEquals(expected, shapes(net));
        assertEquals(Shape.of(10), net.outputShape(IMAGE));
        // He: std √(2 / fan_in), fan_in 25 for the conv, 4320 for Affine1
        assertEquals(Math.sqrt(2.0 / 25), std(net.parameter("Conv2d1.W")), 0.15 * Math.sqrt(2.0 / 25));
        assertEquals(Math.sqrt(2.0 / 4320), std(net.parameter("Affine1.W")), 0.02 * Math.sqrt(2.0 / 4320));
    }

    @Test
    void torchInitIsUniformInOneOverRootFanIn() {
        Network net = build(ModelSpec.Purpose.TRAIN, IMAGE, "--model", "cnn", "--init", "torch");
        for (String[] p : new String[][] {{"Conv2d1", "25"}, {"Affine1", "4320"}, {"Affine2", "100"}}) {
            double bound = 1 / Math.sqrt(Integer.parseInt(p[1]));
            for (String suffix : new String[] {".W", ".b"}) {
                double[] v = net.parameter(p[0] + suffix).value().toDoubleArray();
                double max = java.util.Arrays.stream(v).map(Math::abs).max().orElse(0);
                assertTrue(max <= bound && max > 0.5 * bound, p[0] + suffix + " max |v| " + max + " vs " + bound);
            }
            // uniform in ±bound: std bound/√3
            assertEquals(bound / Math.sqrt(3), std(net.parameter(p[0] + ".W")), 0.1 * bound / Math.sqrt(3), p[0]);
        }
    }

    @Test
    void cnnCheckVariantIsSmall() {
        Network net = build(ModelSpec.Purpose.CHECK, IMAGE, "--model", "cnn");
        assertEquals(Shape.of(4, 1, 5, 5), net.parameter("Conv2d1.W").value().shape());
        assertEquals(Shape.of(4 * 12 * 12, 10), net.parameter("Affine1.W").value().shape());
        Network full = build(ModelSpec.Purpose.CHECK, IMAGE, "--model", "cnn", "--filters", "30", "--hidden", "100");
        assertEquals(Shape.of(4320, 100), full.parameter("Affine1.W").value().shape());
    }

    @Test
    void mlpWithBatchnormAndDropoutInTheBooksOrder() {
        Network net = build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp", "--hidden", "100,50", "--batchnorm",
                "--dropout", "0.2");
        assertEquals(List.of("Affine1", "BatchNorm1", "Relu1", "Dropout1", "Affine2", "BatchNorm2", "Relu2",
                "Dropout2", "Affine3"), net.layers().names());
        Map<String, Shape> s = shapes(net);
        assertEquals(Shape.of(784, 100), s.get("Affine1.W"));
        assertEquals(Shape.of(100), s.get("BatchNorm1.gamma"));
        assertEquals(Shape.of(100, 50), s.get("Affine2.W"));
        assertEquals(Shape.of(50), s.get("BatchNorm2.beta"));
        assertEquals(Shape.of(50, 10), s.get("Affine3.W"));
        assertEquals(10, s.size(), s::toString);
    }

    @Test
    void mlpDefaultsToThreeHiddenLayersWithoutExtras() {
        Network net = build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp");
        assertEquals(List.of("Affine1", "Relu1", "Affine2", "Relu2", "Affine3", "Relu3", "Affine4"),
                net.layers().names());
    }

    @Test
    void mlpInitFollowsTheActivationAsTheBookDoes() {
        double he = Math.sqrt(2.0 / 784);
        double xavier = Math.sqrt(1.0 / 784);
        Network relu = build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp", "--hidden", "200");
        assertEquals(he, std(relu.parameter("Affine1.W")), 0.03 * he);
        Network sigmoid = build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp", "--hidden", "200",
                "--activation", "sigmoid");
        assertEquals(xavier, std(sigmoid.parameter("Affine1.W")), 0.03 * xavier);
        Network tanh = build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp", "--hidden", "200",
                "--activation", "tanh", "--init", "he");
        assertEquals(he, std(tanh.parameter("Affine1.W")), 0.03 * he);
        Network normal = build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp", "--hidden", "200",
                "--weight-std", "0.01");
        assertEquals(0.01, std(normal.parameter("Affine1.W")), 0.0003);
    }

    @Test
    void twoLayerIsUnchanged() {
        Network net = build(ModelSpec.Purpose.TRAIN, FLAT);
        assertEquals(List.of("Affine1", "Relu1", "Affine2"), net.layers().names());
        assertEquals(Shape.of(784, 50), net.parameter("Affine1.W").value().shape());
        assertEquals(TwoLayerNet.BOOK_WEIGHT_STD, std(net.parameter("Affine1.W")), 0.0005);
        Network same = TwoLayerNet.build(registry, backend, DType.FLOAT32, FLAT, 50, "relu", 10,
                TwoLayerNet.BOOK_WEIGHT_STD, 0);
        assertTrue(java.util.Arrays.equals(same.parameter("Affine1.W").value().toDoubleArray(),
                net.parameter("Affine1.W").value().toDoubleArray()), "the same weights as before --model existed");
    }

    @Test
    void optionsOfAnotherModelAreRejected() {
        assertThrows(UsageException.class, () -> build(ModelSpec.Purpose.TRAIN, FLAT, "--batchnorm"));
        assertThrows(UsageException.class, () -> build(ModelSpec.Purpose.TRAIN, FLAT, "--hidden", "10,10"));
        assertThrows(UsageException.class, () -> build(ModelSpec.Purpose.TRAIN, IMAGE, "--model", "cnn",
                "--dropout", "0.5"));
        assertThrows(UsageException.class, () -> build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp",
                "--init", "he", "--weight-std", "0.1"));
        assertThrows(UsageException.class, () -> build(ModelSpec.Purpose.TRAIN, FLAT, "--model", "mlp",
                "--dropout", "1"));
    }
}
