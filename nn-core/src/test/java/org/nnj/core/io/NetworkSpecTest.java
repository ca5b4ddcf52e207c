package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.UnknownProviderException;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Sequential;
import org.nnj.core.cpu.CpuBackend;

class NetworkSpecTest {
    private final Backend cpu = new CpuBackend(1);

    @Test
    void jsonRoundTripKeepsEverythingAndSettingTexts() {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(1, 28, 28), DType.FLOAT64)
                .layer("Enc1", "t-linear", Settings.of("units", "50", "init", "he", "bias", "true", "scale", "1e-3"))
                .layer("t-ramp").loss("t-squared", Settings.of("note", "a \"quoted\" ünïcode"))
                .optimizer("adam", Settings.of("lr", "0.001")).training(3, 64, -7).build();
        String json = spec.toJson();
        assertTrue(json.contains("\"format\": \"nnj-network\""), json);
        assertTrue(json.contains("\"version\": 1"), json);
        assertTrue(json.contains("\"units\": 50"), json);
        assertTrue(json.contains("\"scale\": 1e-3"), json);
        NetworkSpec back = NetworkSpec.fromJson(json, "net.json");
        assertEquals(spec, back);
        assertEquals("1e-3", back.layers().get(0).settings().getString("scale", ""));
        assertEquals(json, back.toJson());
    }

    @Test
    void builtNetworkRecordsItsSpecAndHandMadeOnesHaveNone() {
        NetworkSpec spec = IoFixtures.spec(DType.FLOAT32);
        Network net = spec.build(IoFixtures.registry(), cpu, 1);
        NetworkSpec recorded = net.spec().orElseThrow();
        assertEquals(spec.architecture().layers().size(), recorded.layers().size());
        assertEquals("Linear1", recorded.layers().get(0).name());
        assertEquals("Linear2", recorded.layers().get(3).name());
        assertEquals(spec.loss(), recorded.loss());
        assertEquals(net.layers().names(), recorded.layers().stream().map(NetworkSpec.LayerSpec::name).toList());
        // a rebuilt recorded spec gives the same weights for the same seed
        Network again = recorded.build(IoFixtures.registry(), cpu, 1);
        assertEquals(net.parameters().get(0).value().get(3), again.parameters().get(0).value().get(3));

        Network custom = NetworkBuilder.on(IoFixtures.registry(), cpu, DType.FLOAT32, Shape.of(3), 1)
                .add("Mine", new IoFixtures.RampProvider().create(Settings.empty(), null)).loss("t-squared");
        assertFalse(custom.spec().isPresent());
        assertFalse(new Network(new Sequential(), IoFixtures.registry().loss("t-squared", Settings.empty()))
                .spec().isPresent());
    }

    @Test
    void unknownProviderIsRejectedNamingTheLayer() {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(3), DType.FLOAT32).layer("t-linear", Settings.of("units", 4))
                .layer("t-swirl").loss("t-squared").build();
        UnknownProviderException e = assertThrows(UnknownProviderException.class,
                () -> spec.build(IoFixtures.registry(), cpu, 0));
        assertTrue(e.getMessage().startsWith("layer 2 (t-swirl) on input (4): unknown layer 't-swirl'"),
                e.getMessage());
    }

    @Test
    void unknownSettingIsRejectedNamingTheLayer() {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(3), DType.FLOAT32)
                .layer("t-linear", Settings.of("units", 4, "unitz", 5)).loss("t-squared").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.build(IoFixtures.registry(), cpu, 0));
        assertTrue(e.getMessage().contains("layer 1 (t-linear)") && e.getMessage().contains("unitz"),
                e.getMessage());
    }

    @Test
    void shapesThatDoNotFitAreRejectedNamingTheLayerAndBothShapes() {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(2, 3), DType.FLOAT32)
                .layer("Flat", "t-ramp", Settings.empty()).layer("Dense", "t-linear", Settings.of("units", 4))
                .loss("t-squared").build();
        ShapeException e = assertThrows(ShapeException.class, () -> spec.build(IoFixtures.registry(), cpu, 0));
        assertTrue(e.getMessage().startsWith("layer 2 'Dense' (t-linear) on input (2, 3): "), e.getMessage());
        assertTrue(e.getMessage().contains("expected (d)"), e.getMessage());
    }

    @Test
    void malformedSpecFilesAreDataFormatErrorsNamingTheFile(@TempDir Path dir) throws Exception {
        String good = IoFixtures.spec(DType.FLOAT32).toJson();
        String[][] cases = {
            {good.replace("\"version\": 1", "\"version\": 2"), "unsupported nnj-network version 2"},
            {good.replace("\"nnj-network\"", "\"keras\""), "expected \"format\": \"nnj-network\""},
            {good.replace("\"loss\"", "\"loss\": {\"provider\": \"x\"}, \"losss\""), "unknown key \"losss\""},
            {good.replace("\"dtype\": \"float32\"", "\"dtype\": \"int8\""), "unknown dtype 'int8'"},
            {good.replace("\"input_shape\": [\n    3\n  ]", "\"input_shape\": [-3]"), "input_shape[0]"},
            {good.substring(0, good.length() / 2), "not valid JSON"},
            {good + "{}", "expected the end of the JSON text"},
            {"{\"format\": \"nnj-network\", \"format\": \"x\"}", "duplicate key \"format\""},
            {"[1]", "expected the network spec to be a JSON object"},
            {"{\"format\": \"nnj-network\", \"version\": 1}", "has no \"input_shape\""},
            {"[".repeat(200), "nested deeper than 64"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("net.json");
            Files.writeString(f, c[0]);
            DataFormatException e = assertThrows(DataFormatException.class, () -> NetworkSpec.read(f), c[1]);
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[1] + " not in: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> NetworkSpec.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json: missing file"), missing.getMessage());
    }

    @Test
    void everyTrainingKeyIsOptionalAndTakesTheTrainersDefault() {
        String head = "{\"format\": \"nnj-network\", \"version\": 1, \"input_shape\": [3], \"layers\": [], "
                + "\"loss\": {\"provider\": \"t-squared\"}, \"training\": ";
        assertEquals(new NetworkSpec.Training(1, 100, 0),
                NetworkSpec.fromJson(head + "{\"epochs\": 1}}", "a.json").training().orElseThrow());
        assertEquals(new NetworkSpec.Training(17, 32, 0),
                NetworkSpec.fromJson(head + "{\"batch_size\": 32}}", "b.json").training().orElseThrow());
        assertEquals(new NetworkSpec.Training(17, 100, 5),
                NetworkSpec.fromJson(head + "{\"seed\": 5}}", "c.json").training().orElseThrow());
        assertEquals(new NetworkSpec.Training(17, 100, 0),
                NetworkSpec.fromJson(head + "{}}", "d.json").training().orElseThrow());
        DataFormatException typo = assertThrows(DataFormatException.class,
                () -> NetworkSpec.fromJson(head + "{\"epochs\": 1, \"batchsize\": 5}}", "e.json"));
        assertTrue(typo.getMessage().startsWith("e.json: ") && typo.getMessage().contains("unknown key \"batchsize\""),
                typo.getMessage());
        DataFormatException zero = assertThrows(DataFormatException.class,
                () -> NetworkSpec.fromJson(head + "{\"batch_size\": 0}}", "f.json"));
        assertTrue(zero.getMessage().contains("training.batch_size"), zero.getMessage());
    }

    @Test
    void specFileWritesAtomicallyAndReadsBack(@TempDir Path dir) {
        NetworkSpec spec = IoFixtures.spec(DType.FLOAT64);
        Path f = dir.resolve("sub/net.json");
        spec.write(f);
        assertEquals(spec, NetworkSpec.read(f));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
