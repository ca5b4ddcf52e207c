package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.UnknownProviderException;
import org.nnj.core.Network;
import org.nnj.core.Trainer;
import org.nnj.core.cpu.CpuBackend;

class ModelStoreTest {
    private final Backend cpu = new CpuBackend(1);
    private final IoFixtures.Split data = new IoFixtures.Split(40, 3);

    /** A network trained for a few steps, so that weights and the layer state are far from their initial values. */
    private Network trained(DType dtype) {
        NetworkSpec spec = IoFixtures.spec(dtype);
        Network net = spec.build(IoFixtures.registry(), cpu, 9);
        Optimizer opt = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
        Trainer.builder().epochs(2).batchSize(8).seed(4).build().fit(net, opt, data, data);
        return net;
    }

    private static long[] bits(Tensor t) {
        double[] v = t.toDoubleArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void saveThenLoadPredictsBitForBit(DType dtype, @TempDir Path dir) throws Exception {
        Network net = trained(dtype);
        assertNotEquals(0.0, net.state().get("TCentre1.running_mean").get(0), "the state moved");
        long[] before = bits(net.predict(data.features(cpu, dtype)));
        ModelStore.save(net, dir);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("manifest.json", "network.json", "weights.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Network back = ModelStore.load(dir, IoFixtures.registry(), new CpuBackend(2));
        assertArrayEquals(before, bits(back.predict(data.features(cpu, dtype))));
        assertEquals(net.spec().orElseThrow(), back.spec().orElseThrow());
        assertEquals(List.copyOf(ModelStore.persistentTensors(net).keySet()),
                List.copyOf(SafeTensors.readHeader(dir.resolve("weights.safetensors")).entries().keySet()));
        // saving again over it replaces the set
        ModelStore.save(back, dir);
        assertArrayEquals(before, bits(ModelStore.load(dir, IoFixtures.registry(), cpu)
                .predict(data.features(cpu, dtype))));
    }

    @Test
    void aSetCommittedWhileItIsReadIsReadAgainNotReportedCorrupt(@TempDir Path dir) throws Exception {
        // a run saves its checkpoint over and over (weights changed each time) while another process loads it: a
        // reader that checked the new files against the old manifest used to report a checksum mismatch
        Network net = trained(DType.FLOAT32);
        ModelStore.save(net, dir);
        Tensor w = net.parameters().get(0).value();
        double initial = w.get(0);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 300 && !done.get(); i++) {
                w.set(0, i);
                ModelStore.save(net, dir);
            }
            done.set(true);
        });
        writer.start();
        int loads = 0;
        try {
            while (!done.get()) {
                Network back = ModelStore.load(dir, IoFixtures.registry(), cpu);
                double first = back.parameters().get(0).value().get(0);
                assertTrue(first == initial || first == Math.rint(first), "a value some save wrote: " + first);
                loads++;
            }
        } finally {
            done.set(true);
            writer.join();
        }
        assertTrue(loads >= 3, "the reader overlapped the writer: " + loads + " loads");
    }

    @Test
    void savedFilesGetTheUmasksPermissionsNotPrivateOnes(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain"));
        ModelStore.save(trained(DType.FLOAT32), dir.resolve("model"));
        var expected = Files.getPosixFilePermissions(plain);
        for (String f : List.of("manifest.json", "network.json", "weights.safetensors")) {
            assertEquals(expected, Files.getPosixFilePermissions(dir.resolve("model").resolve(f)), f);
        }
    }

    @Test
    void handMadeNetworksNeedASpec(@TempDir Path dir) {
        Network hand = new Network(new org.nnj.core.Sequential(),
                IoFixtures.registry().loss("t-squared", org.nnj.api.Settings.empty()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelStore.save(hand, dir));
        assertTrue(e.getMessage().contains("has no spec"), e.getMessage());
    }

    private void assertLoadFails(Path dir, String file, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ModelStore.load(dir, IoFixtures.registry(), cpu));
        assertTrue(e.getMessage().startsWith(dir.resolve(file) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), expected + " not in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void damagedDirectoriesAreRefusedNamingTheFile(@TempDir Path root) throws Exception {
        Network net = trained(DType.FLOAT32);
        Path good = root.resolve("good");
        ModelStore.save(net, good);

        Path flipped = copy(good, root.resolve("flipped"));
        byte[] w = Files.readAllBytes(flipped.resolve("weights.safetensors"));
        w[w.length - 3] ^= 1;
        Files.write(flipped.resolve("weights.safetensors"), w);
        assertLoadFails(flipped, "weights.safetensors", "checksum mismatch: expected SHA-256");

        Path missing = copy(good, root.resolve("missing"));
        Files.delete(missing.resolve("network.json"));
        assertLoadFails(missing, "network.json", "missing file");

        Path noManifest = copy(good, root.resolve("nomanifest"));
        Files.delete(noManifest.resolve("manifest.json"));
        assertLoadFails(noManifest, "manifest.json", "missing file");

        Path version = copy(good, root.resolve("version"));
        Files.writeString(version.resolve("manifest.json"),
                Files.readString(version.resolve("manifest.json")).replace("\"version\": 1", "\"version\": 7"));
        assertLoadFails(version, "manifest.json", "unsupported nnj-manifest version 7");

        // a network.json of an unknown version, with a manifest that agrees with it
        Path specVersion = root.resolve("specversion");
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        String json = net.spec().orElseThrow().toJson().replace("\"version\": 1", "\"version\": 2");
        files.put("network.json", out -> out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        files.put("weights.safetensors", out -> out.write(Files.readAllBytes(good.resolve("weights.safetensors"))));
        Bundle.write(specVersion, files, java.util.Set.of());
        assertLoadFails(specVersion, "network.json", "unsupported nnj-network version 2");
    }

    @Test
    void aLayerProviderMissingFromTheClassPathIsRefusedNamingNetworkJsonAndANearName(@TempDir Path root)
            throws Exception {
        Network net = trained(DType.FLOAT32);
        Path good = root.resolve("good");
        ModelStore.save(net, good);
        Path dir = root.resolve("typo");
        String json = Files.readString(good.resolve("network.json"));
        assertTrue(json.contains("\"provider\": \"t-ramp\""), json);
        byte[] typo = json.replace("\"provider\": \"t-ramp\"", "\"provider\": \"t-rampp\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put("network.json", out -> out.write(typo));
        files.put("weights.safetensors", out -> out.write(Files.readAllBytes(good.resolve("weights.safetensors"))));
        Bundle.write(dir, files, java.util.Set.of());
        UnknownProviderException e = assertThrows(UnknownProviderException.class,
                () -> ModelStore.load(dir, IoFixtures.registry(), cpu));
        assertEquals(dir.resolve("network.json") + ": layer 3 'TRamp1' (t-rampp) on input (5): unknown layer "
                + "'t-rampp' (did you mean t-ramp?); known layers: t-centre, t-linear, t-ramp; a plugin layer "
                + "needs its jar on the class path (NNJ_CLASSPATH=your-plugin.jar ./nnj ...)", e.getMessage());
    }

    @Test
    void weightsThatDoNotFitTheArchitectureAreRefusedNamingTheTensor(@TempDir Path dir) {
        Network net = trained(DType.FLOAT32);
        Path f = dir.resolve("w.safetensors");
        Map<String, Tensor> ok = new LinkedHashMap<>(ModelStore.persistentTensors(net));

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(ok);
        wrongShape.put("Linear2.W", cpu.zeros(DType.FLOAT32, Shape.of(3, 5)));
        SafeTensors.write(f, wrongShape, Map.of());
        assertWeightsFail(net, f, "tensor 'Linear2.W': expected (5, 3) F32, found (3, 5) F32");

        Map<String, Tensor> wrongType = new LinkedHashMap<>(ok);
        wrongType.put("Linear1.b", cpu.zeros(DType.FLOAT64, Shape.of(5)));
        SafeTensors.write(f, wrongType, Map.of());
        assertWeightsFail(net, f, "tensor 'Linear1.b': expected (5) F32, found (5) F64");

        Map<String, Tensor> missing = new LinkedHashMap<>(ok);
        missing.remove("TCentre1.running_mean");
        SafeTensors.write(f, missing, Map.of());
        assertWeightsFail(net, f, "expected tensor 'TCentre1.running_mean' (5) F32, it is missing");

        Map<String, Tensor> extra = new LinkedHashMap<>(ok);
        extra.put("Affine9.W", cpu.zeros(DType.FLOAT32, Shape.of(1)));
        SafeTensors.write(f, extra, Map.of());
        assertWeightsFail(net, f, "unexpected tensor 'Affine9.W'");

        Map<String, Tensor> nan = new LinkedHashMap<>(ok);
        nan.put("Linear1.b", cpu.fromArray(DType.FLOAT32, Shape.of(5), 0, 0, Double.NaN, 0, 0));
        SafeTensors.write(f, nan, Map.of());
        double before = net.parameter("Linear1.W").value().get(0);
        assertWeightsFail(net, f, "tensor 'Linear1.b': expected finite values");
        assertEquals(before, net.parameter("Linear1.W").value().get(0), "nothing copied before the check");
    }

    private void assertWeightsFail(Network net, Path f, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> ModelStore.loadWeights(net, f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), expected + " not in: " + e.getMessage());
    }

    @Test
    void weightsFromElsewhereWithTheSameNamesLoad(@TempDir Path dir) {
        Network a = trained(DType.FLOAT64);
        Network b = IoFixtures.spec(DType.FLOAT64).build(IoFixtures.registry(), cpu, 12345);
        Path f = dir.resolve("other.safetensors");
        SafeTensors.write(f, ModelStore.persistentTensors(a), Map.of("format", "pt"));
        ModelStore.loadWeights(b, f);
        assertArrayEquals(bits(a.predict(data.features(cpu, DType.FLOAT64))),
                bits(b.predict(data.features(cpu, DType.FLOAT64))));
    }

    /** A crash after the manifest was committed but before the new files were renamed into place. */
    @Test
    void aSaveInterruptedAfterItsCommitLoadsTheNewSetAndTheNextSaveCompletesIt(@TempDir Path root) throws Exception {
        Network first = trained(DType.FLOAT32);
        Network second = IoFixtures.spec(DType.FLOAT32).build(IoFixtures.registry(), cpu, 77);
        Path old = root.resolve("old");
        Path fresh = root.resolve("new");
        ModelStore.save(first, old);
        ModelStore.save(second, fresh);
        // the state left by the crash: old files in place, new ones pending, the new manifest committed
        Path dir = copy(old, root.resolve("crashed"));
        for (String f : List.of("network.json", "weights.safetensors")) {
            Files.copy(fresh.resolve(f), dir.resolve(f + ".new"));
        }
        Files.copy(fresh.resolve("manifest.json"), dir.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING);
        long[] want = bits(second.predict(data.features(cpu, DType.FLOAT32)));
        assertArrayEquals(want, bits(ModelStore.load(dir, IoFixtures.registry(), cpu)
                .predict(data.features(cpu, DType.FLOAT32))));

        // a crash before the commit: pending files but the old manifest; the old set loads
        Path early = copy(old, root.resolve("early"));
        Files.copy(fresh.resolve("weights.safetensors"), early.resolve("weights.safetensors.new"));
        assertArrayEquals(bits(first.predict(data.features(cpu, DType.FLOAT32))),
                bits(ModelStore.load(early, IoFixtures.registry(), cpu).predict(data.features(cpu, DType.FLOAT32))));

        // the next save of the crashed directory first completes the interrupted one, then writes its own set
        ModelStore.save(first, dir);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("manifest.json", "network.json", "weights.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(bits(first.predict(data.features(cpu, DType.FLOAT32))),
                bits(ModelStore.load(dir, IoFixtures.registry(), cpu).predict(data.features(cpu, DType.FLOAT32))));
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }
}
