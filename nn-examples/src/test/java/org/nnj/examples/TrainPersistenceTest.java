package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.Settings;
import org.nnj.api.Tensor;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.io.ModelStore;

/**
 * {@code train --save}, {@code --resume}, divergence with {@code --save}, and {@code --early-stop}, end to end through
 * the command line, kept fast with {@code --train-limit}.
 */
class TrainPersistenceTest {
    private static final Pattern FINAL = Pattern.compile("final test_acc ([0-9.]+) \\(train_acc ([0-9.]+)");

    private static Cli ok(String... args) {
        Cli r = Cli.run(args);
        assertEquals(0, r.code, r::toString);
        return r;
    }

    private static String[] args(String base, String... more) {
        List<String> a = new ArrayList<>(List.of(base.split(" ")));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** The metrics lines without the seconds, which differ from run to run. */
    private static List<String> metricsWithoutSeconds(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> l.replaceAll(",\"seconds\":[^}]*", "")).toList();
    }

    private static String finalAccuracies(Cli r) {
        Matcher m = FINAL.matcher(r.out);
        assertTrue(m.find(), r::toString);
        return m.group(1) + " " + m.group(2);
    }

    @Test
    void stoppingAfterEpochTwoAndResumingToFourEqualsAnUninterruptedRun(@TempDir Path tmp) throws IOException {
        String base = "train --train-limit 2000 --batch-size 50 --seed 3";
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Cli first = ok(args(base, "--epochs", "2", "--save", a.toString(), "--metrics", tmp.resolve("a1").toString()));
        assertTrue(first.out.contains("saved the model to " + a + " (the checkpoint of epoch 2 in "
                + a.resolve("checkpoint") + ")"), first.out);
        for (String f : List.of("network.json", "weights.safetensors", "manifest.json")) {
            assertTrue(Files.isRegularFile(a.resolve(f)), f);
        }
        for (String f : List.of("network.json", "weights.safetensors", "optimizer.safetensors", "checkpoint.json")) {
            assertTrue(Files.isRegularFile(a.resolve("checkpoint").resolve(f)), f);
        }
        Cli resumed = ok("train", "--resume", a.toString(), "--epochs", "4", "--metrics",
                tmp.resolve("a2").toString());
        assertTrue(resumed.out.startsWith("resume " + a.resolve("checkpoint") + " after epoch 2: 784-50-10 relu"),
                resumed.out);
        assertFalse(resumed.out.contains("epoch  1/4"), "epochs 1 and 2 are not trained again: " + resumed.out);
        Cli whole = ok(args(base, "--epochs", "4", "--save", b.toString(), "--metrics", tmp.resolve("b.jsonl").toString()));

        assertArrayEquals(Files.readAllBytes(b.resolve("weights.safetensors")),
                Files.readAllBytes(a.resolve("weights.safetensors")), "final weights bit for bit");
        assertArrayEquals(Files.readAllBytes(b.resolve("checkpoint/optimizer.safetensors")),
                Files.readAllBytes(a.resolve("checkpoint/optimizer.safetensors")));
        assertEquals(finalAccuracies(whole), finalAccuracies(resumed));
        assertEquals(metricsWithoutSeconds(tmp.resolve("b.jsonl")), metricsWithoutSeconds(tmp.resolve("a2")),
                "the resumed run's metrics file holds all four epochs, as the uninterrupted run's");
        assertEquals(4, Files.readAllLines(tmp.resolve("a2")).size());

        // the final model is a model directory that loads and predicts
        Registry registry = Registry.load(Main.class.getClassLoader());
        Backend cpu = registry.backend("cpu", Settings.empty());
        Network net = ModelStore.load(a, registry, cpu);
        assertEquals(List.of("Affine1", "Relu1", "Affine2"), net.layers().names());
    }

    @Test
    void anMlpWithDropoutAndBatchNormResumesBitForBit(@TempDir Path tmp) throws IOException {
        String base = "train --model mlp --hidden 40,30 --dropout 0.3 --batchnorm --train-limit 1000 --batch-size 50";
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ok(args(base, "--epochs", "1", "--save", a.toString()));
        Cli resumed = ok("train", "--resume", a.toString(), "--epochs", "3");
        Cli whole = ok(args(base, "--epochs", "3", "--save", b.toString()));
        assertArrayEquals(Files.readAllBytes(b.resolve("weights.safetensors")),
                Files.readAllBytes(a.resolve("weights.safetensors")));
        assertEquals(finalAccuracies(whole), finalAccuracies(resumed));
        String header = new String(Files.readAllBytes(a.resolve("weights.safetensors")), 0, 2000,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("\"Dropout1.rng\"") && header.contains("\"Dropout2.rng\"")
                && header.contains("\"BatchNorm1.running_mean\""), "the generators are saved with the weights");
    }

    @Test
    void aRunResumedIntoAnotherDirectoryCarriesItsCheckpointThereAndTheSameDirectoryIsKnownHoweverSpelt(
            @TempDir Path tmp) {
        Path a = tmp.resolve("a");
        ok("train", "--epochs", "2", "--hidden", "10", "--train-limit", "300", "--save", a.toString());
        // nothing left to train, saved elsewhere: the new directory holds the checkpoint it resumed from
        Path b = tmp.resolve("b");
        Cli moved = ok("train", "--resume", a.toString(), "--save", b.toString());
        assertTrue(moved.out.contains("(the checkpoint of epoch 2 in " + b.resolve("checkpoint") + ")"), moved.out);
        Cli fromB = ok("train", "--resume", b.toString(), "--epochs", "3");
        assertTrue(fromB.out.contains("after epoch 2:"), fromB.out);
        Cli evaluated = ok("evaluate", "--model", b.toString());
        assertTrue(evaluated.out.lines().findFirst().orElseThrow().contains("(the data the model was trained on"),
                evaluated.out);
        // the same directory under another spelling is the same run's directory, with the same checkpoint
        Path spelt = tmp.resolve("x").resolve("..").resolve("a");
        assertTrue(tmp.resolve("x").toFile().mkdir());
        Cli same = ok("train", "--resume", a.toString(), "--save", spelt.toString());
        assertTrue(same.out.contains("(the checkpoint of epoch 2 in "), same.out);
    }

    @Test
    void resumeTakesItsSettingsFromTheCheckpointAndRefusesOthers(@TempDir Path tmp) {
        Path a = tmp.resolve("a");
        ok("train", "--epochs", "1", "--train-limit", "500", "--save", a.toString());

        Cli model = Cli.run("train", "--resume", a.toString(), "--hidden", "20");
        assertEquals(2, model.code, model::toString);
        assertEquals(List.of("nnj train: option --hidden cannot be given with --resume: the run continues with the "
                + "settings saved in " + a.resolve("checkpoint") + " (see ./nnj help train)"), model.errLines());

        Cli again = Cli.run("train", "--epochs", "1", "--train-limit", "500", "--save", a.toString());
        assertEquals(2, again.code, again::toString);
        assertEquals(1, again.errLines().size(), again::toString);
        assertTrue(again.err.contains("already holds a saved run; continue it with --resume " + a), again.err);

        Cli missing = Cli.run("train", "--resume", tmp.resolve("nothing").toString());
        assertEquals(2, missing.code, missing::toString);
        assertEquals(1, missing.errLines().size(), missing::toString);
        assertTrue(missing.err.contains("expected a run saved by train --save"), missing.err);

        Cli fewer = Cli.run("train", "--resume", a.toString(), "--epochs", "0");
        assertEquals(2, fewer.code, fewer::toString);

        Cli done = ok("train", "--resume", a.toString());
        assertTrue(done.out.contains("nothing left to train: the run has finished its 1 epoch (give"), done.out);
        assertTrue(done.out.lines().reduce((x, y) -> y).orElseThrow().matches("final test_acc 0\\.\\d{4} \\(train_acc "
                + "0\\.\\d{4}\\) after 1 epoch \\(none trained now; \\d+\\.\\d{2} s per epoch when they were\\)"),
                done.out);
    }

    @Test
    void resumeWithDataMovedElsewhereWorksAndWithOtherDataIsRefused(@TempDir Path tmp) throws IOException {
        Path d1 = Files.createDirectories(tmp.resolve("d1"));
        Idx.writeValid(d1);
        Path run = tmp.resolve("run");
        ok("train", "--epochs", "1", "--batch-size", "50", "--data-dir", d1.toString(), "--save", run.toString());

        // the same files in another directory: the data has moved, the run goes on
        Path moved = Files.createDirectories(tmp.resolve("moved"));
        try (var files = Files.list(d1)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, moved.resolve(f.getFileName()));
            }
        }
        Path other = Files.createDirectories(tmp.resolve("other"));
        Idx.writeValid(other);
        Files.write(other.resolve(Idx.TRAIN_LABELS), Idx.labels(200, 3)); // one label differs: other data
        Cli refused = Cli.run("train", "--resume", run.toString(), "--epochs", "2", "--data-dir", other.toString());
        assertEquals(2, refused.code, refused::toString);
        assertEquals(1, refused.errLines().size(), refused::toString);
        assertTrue(refused.err.startsWith("nnj train: --data-dir " + other + ": expected the data the run in " + run
                + " trained on (200 training and 50 test images, content "), refused.err);
        assertTrue(refused.err.contains("found other data (200 training and 50 test images, content "), refused.err);
        // the same labels, one pixel of one test image changed
        Path pixel = Files.createDirectories(tmp.resolve("pixel"));
        Idx.writeValid(pixel);
        byte[] images = Files.readAllBytes(pixel.resolve(Idx.TEST_IMAGES));
        images[images.length - 1] ^= 1;
        Files.write(pixel.resolve(Idx.TEST_IMAGES), images);
        Cli changed = Cli.run("train", "--resume", run.toString(), "--epochs", "2", "--data-dir", pixel.toString());
        assertEquals(2, changed.code, changed::toString);
        assertTrue(changed.err.contains("found other data"), changed.err);
        byte[] checkpoint = Files.readAllBytes(run.resolve("checkpoint").resolve(ModelStore.WEIGHTS_FILE));
        Cli resumed = ok("train", "--resume", run.toString(), "--epochs", "2", "--data-dir", moved.toString());
        assertTrue(resumed.out.contains("epoch  2/2"), resumed.out);
        assertFalse(java.util.Arrays.equals(checkpoint,
                Files.readAllBytes(run.resolve("checkpoint").resolve(ModelStore.WEIGHTS_FILE))), "epoch 2 saved");

        // a run on the embedded sample resumed with a data directory of other images
        Path sample = tmp.resolve("sample");
        ok("train", "--epochs", "1", "--train-limit", "500", "--save", sample.toString());
        Cli notTheSample = Cli.run("train", "--resume", sample.toString(), "--epochs", "2", "--data-dir",
                d1.toString());
        assertEquals(2, notTheSample.code, notTheSample::toString);
        assertTrue(notTheSample.err.contains("expected the data the run in " + sample + " trained on (500 training "
                + "and 2000 test images"), notTheSample.err);
    }

    @Test
    void anUnknownVersionOrWeightsOfAnotherShapeAreOneLineErrors(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path other = tmp.resolve("other");
        ok("train", "--epochs", "1", "--train-limit", "500", "--save", a.toString());
        ok("train", "--epochs", "1", "--train-limit", "500", "--hidden", "20", "--save", other.toString());
        Path cp = a.resolve("checkpoint");
        byte[] goodJson = Files.readAllBytes(cp.resolve("checkpoint.json"));
        byte[] goodWeights = Files.readAllBytes(cp.resolve("weights.safetensors"));

        Files.writeString(cp.resolve("checkpoint.json"), new String(goodJson, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"version\": 2", "\"version\": 9"));
        reseal(cp, "checkpoint.json");
        Cli version = Cli.run("train", "--resume", a.toString());
        assertEquals(2, version.code, version::toString);
        assertEquals(List.of("nnj train: " + cp.resolve("checkpoint.json") + ": unsupported nnj-checkpoint version 9;"
                + " this nnj reads versions 1 and 2"), version.errLines());

        Files.write(cp.resolve("checkpoint.json"), goodJson);
        reseal(cp, "checkpoint.json");
        Files.copy(other.resolve("weights.safetensors"), cp.resolve("weights.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        reseal(cp, "weights.safetensors");
        Cli shape = Cli.run("train", "--resume", a.toString());
        assertEquals(2, shape.code, shape::toString);
        assertEquals(List.of("nnj train: " + cp.resolve("weights.safetensors") + ": tensor 'Affine1.W': expected "
                + "(784, 50) F32, found (784, 20) F32"), shape.errLines());

        Files.write(cp.resolve("weights.safetensors"), goodWeights); // without resealing: a checksum mismatch
        Files.writeString(cp.resolve("checkpoint.json"), "{}");
        Cli corrupt = Cli.run("train", "--resume", a.toString());
        assertEquals(2, corrupt.code, corrupt::toString);
        assertEquals(1, corrupt.errLines().size(), corrupt::toString);
        assertTrue(corrupt.err.contains("checksum mismatch"), corrupt.err);
    }

    @Test
    void divergenceExitsOneSavesTheLastFiniteWeightsAndLeavesTheCheckpointIntact(@TempDir Path tmp)
            throws IOException {
        Path a = tmp.resolve("a");
        ok("train", "--epochs", "1", "--train-limit", "1000", "--save", a.toString());
        byte[] checkpointWeights = Files.readAllBytes(a.resolve("checkpoint/weights.safetensors"));

        Cli r = Cli.run("train", "--resume", a.toString(), "--epochs", "2", "--lr", "1e30");
        assertEquals(1, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        String e = r.errLines().get(0);
        assertTrue(e.startsWith("nnj train: training diverged at step 12 (epoch 2, batch 2): the gradient of "
                + "Affine1.W is not finite"), e);
        assertTrue(e.contains("try a lower learning rate; the weights of the last finite step are saved in "
                + a.resolve("last-finite") + "; the checkpoint of epoch 1 in " + a.resolve("checkpoint")
                + " is intact (continue with ./nnj train --resume " + a + " --lr 1.00e+29)"), e);

        assertArrayEquals(checkpointWeights, Files.readAllBytes(a.resolve("checkpoint/weights.safetensors")));
        Registry registry = Registry.load(Main.class.getClassLoader());
        Backend cpu = registry.backend("cpu", Settings.empty());
        Network last = ModelStore.load(a.resolve("last-finite"), registry, cpu);
        for (Tensor t : ModelStore.persistentTensors(last).values()) {
            assertTrue(cpu.allFinite(t));
        }
        // one step of lr 1e30 moved the weights far from the checkpoint's
        assertTrue(Math.abs(last.parameter("Affine2.W").value().get(0)) > 1e20);

        Cli again = ok("train", "--resume", a.toString(), "--epochs", "2");
        assertTrue(again.out.contains("epoch  2/2"), again.out);
        // the finished run's model supersedes the diverged attempt's weights: no stale last-finite beside it
        assertTrue(again.out.contains("removed " + a.resolve("last-finite") + ", the last finite weights of an "
                + "earlier attempt that diverged"), again.out);
        assertFalse(Files.exists(a.resolve("last-finite")));
        ModelStore.load(a, registry, cpu);

        // without a checkpoint yet (diverging in epoch 1), only the last finite weights
        Path b = tmp.resolve("b");
        Cli early = Cli.run("train", "--epochs", "2", "--lr", "1e30", "--train-limit", "1000", "--save", b.toString());
        assertEquals(1, early.code, early::toString);
        assertTrue(early.err.contains("diverged at step 2 (epoch 1, batch 2)"), early.err);
        assertFalse(early.err.contains("checkpoint"), early.err);
        assertTrue(early.err.endsWith("; no epoch finished, so there is nothing to resume: train again with a lower "
                + "--lr (below 1.00e+30) and another --save directory, or move " + b.resolve("last-finite")
                + " away first\n"), early.err);
        assertTrue(Files.isRegularFile(b.resolve("last-finite/weights.safetensors")));
        try (Stream<Path> files = Files.list(b)) { // and the lock file of the run, which stays
            assertEquals(List.of(b.resolve(RunLock.FILE), b.resolve("last-finite")), files.sorted().toList());
        }
    }

    @Test
    void earlyStoppingStopsWhereTheHistorySaysAndSavesTheBestEpochsWeights(@TempDir Path tmp) throws IOException {
        // 500 images: the test accuracy rises for a few epochs (to about 0.87), then stops improving
        String base = "train --model mlp --hidden 100 --lr 0.003 --train-limit 500 --batch-size 20";
        int patience = 2;
        Path metrics = tmp.resolve("all.jsonl");
        ok(args(base, "--epochs", "12", "--metrics", metrics.toString()));
        List<Double> acc = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            Matcher m = Pattern.compile("\"test_acc\":([0-9.eE-]+)").matcher(line);
            assertTrue(m.find(), line);
            acc.add(Double.parseDouble(m.group(1)));
        }
        // Keras' rule: strictly better than the best resets the wait; stop once it reaches the patience
        int best = 1;
        int wait = 0;
        int stop = 0;
        for (int e = 2; e <= acc.size() && stop == 0; e++) {
            if (acc.get(e - 1) > acc.get(best - 1)) {
                best = e;
                wait = 0;
            } else if (++wait >= patience) {
                stop = e;
            }
        }
        assertTrue(stop > 0 && stop < 12 && best > 1, "the scenario must improve, then plateau within 12 epochs: "
                + acc);

        Path es = tmp.resolve("es");
        Cli r = ok(args(base, "--epochs", "12", "--early-stop", Integer.toString(patience), "--save", es.toString()));
        assertEquals(stop, r.out.lines().filter(l -> l.startsWith("epoch")).count(), r.out);
        assertTrue(r.out.contains("early stopping: test_acc did not improve for " + patience + " epochs, stopped "
                + "after epoch " + stop + "; kept the weights of epoch " + best), r.out);
        assertTrue(r.out.contains(String.format(java.util.Locale.ROOT, "final test_acc %.4f", acc.get(best - 1))),
                r.out);

        Path plain = tmp.resolve("plain");
        ok(args(base, "--epochs", Integer.toString(best), "--save", plain.toString()));
        assertArrayEquals(Files.readAllBytes(plain.resolve("weights.safetensors")),
                Files.readAllBytes(es.resolve("weights.safetensors")), "the final model is the best epoch's");

        Cli done = ok("train", "--resume", es.toString(), "--epochs", "12");
        assertTrue(done.out.contains("nothing left to train: the run stopped early at epoch " + stop + " (its "), done.out);
        assertTrue(done.out.contains("a stopped run does not train again, whatever --epochs says"), done.out);
        assertArrayEquals(Files.readAllBytes(plain.resolve("weights.safetensors")),
                Files.readAllBytes(es.resolve("weights.safetensors")));

        // stopped after epoch 2 and resumed, early stopping goes on as if never interrupted
        Path part = tmp.resolve("part");
        ok(args(base, "--epochs", "2", "--early-stop", Integer.toString(patience), "--save", part.toString()));
        Cli rest = ok("train", "--resume", part.toString(), "--epochs", "12");
        assertEquals(finalAccuracies(r), finalAccuracies(rest));
        assertArrayEquals(Files.readAllBytes(es.resolve("weights.safetensors")),
                Files.readAllBytes(part.resolve("weights.safetensors")));
    }

    @Test
    void earlyStoppingOptionsAreChecked() {
        Cli monitor = Cli.run("train", "--early-stop", "2", "--monitor", "val_loss");
        assertEquals(2, monitor.code, monitor::toString);
        assertEquals(List.of("nnj train: option --monitor: unknown metric to monitor 'val_loss'; known: loss, "
                + "train_acc, test_acc (see ./nnj help train)"), monitor.errLines());
        Cli alone = Cli.run("train", "--monitor", "loss");
        assertEquals(2, alone.code, alone::toString);
        assertTrue(alone.err.contains("need --early-stop PATIENCE"), alone.err);
    }

    /** Rewrites the manifest's entry for {@code name} to match the file, as a deliberate edit would. */
    static void reseal(Path dir, String name) throws IOException {
        Path manifest = dir.resolve("manifest.json");
        JsonObject m = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        JsonObject entry = m.getAsJsonObject("files").getAsJsonObject(name);
        try {
            entry.addProperty("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(dir.resolve(name)))));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        entry.addProperty("bytes", Files.size(dir.resolve(name)));
        Files.writeString(manifest, m.toString());
    }
}
