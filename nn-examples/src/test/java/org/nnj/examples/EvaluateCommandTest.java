package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnj.api.Backend;
import org.nnj.api.Settings;
import org.nnj.api.data.DataSplit;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;
import org.nnj.core.io.ModelStore;
import org.nnj.data.mnist.IdxWriter;
import org.nnj.data.mnist.MnistSplit;

/**
 * {@code nnj evaluate}: its accuracy is {@link Trainer#accuracy}'s, its matrix adds up, and it reads {@code --data-dir}
 * as train does.
 */
class EvaluateCommandTest {

    private static double trainerAccuracy(Path model, boolean images, DataSplit split) {
        Registry registry = TrainedModels.registry();
        Backend backend = registry.backend("cpu", Settings.of("threads", 1));
        Network net = ModelStore.load(model, registry, backend);
        return Trainer.builder().build().accuracy(net, split);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-layer", "cnn"})
    void accuracyIsTheTrainersAndTheMatrixAddsUp(String kind) {
        boolean images = kind.equals("cnn");
        Path model = images ? TrainedModels.cnn() : TrainedModels.twoLayer();
        Cli r = Cli.run("evaluate", "--model", model.toString());
        assertEquals(0, r.code, r::toString);
        List<String> lines = r.out.lines().toList();
        MnistSplit test = TrainedModels.testSplit(images);
        double expected = trainerAccuracy(model, images, test);
        assertEquals(String.format(java.util.Locale.ROOT, "accuracy=%.4f", expected), lines.get(lines.size() - 1));
        assertEquals("correct " + Math.round(expected * 2000) + " of 2000", lines.get(lines.size() - 2));
        // a model saved without a run: nothing records its training data, so the default, and the line says so
        assertEquals("evaluate " + model + " on mnist (embedded sample), test split: 2000 images, 10 classes; training "
                + "data unknown (" + model + " records none), so the default; choose with --dataset or --data-dir",
                lines.get(0));
        assertEquals("", r.err);
        assertTrue(expected > 0.85, "a trained model: " + expected);

        // the confusion matrix: rows are the true classes, so each row adds up to that class's support
        int header = lines.indexOf("confusion matrix (rows: true class, columns: predicted class)");
        long diagonal = 0;
        long all = 0;
        for (int t = 0; t < 10; t++) {
            String[] cells = lines.get(header + 2 + t).trim().split("\\s+");
            assertEquals(String.valueOf(t), cells[0]);
            long row = 0;
            for (int p = 0; p < 10; p++) {
                long v = Long.parseLong(cells[1 + p]);
                row += v;
                if (p == t) {
                    diagonal += v;
                }
            }
            long support = 0;
            for (int i = 0; i < test.size(); i++) {
                if (test.label(i) == t) {
                    support++;
                }
            }
            assertEquals(support, row, "row " + t);
            String[] stats = lines.get(3 + t).trim().split("\\s+");
            assertEquals(String.valueOf(support), stats[3], lines.get(3 + t));
            all += row;
        }
        assertEquals(2000, all);
        assertEquals(Math.round(expected * 2000), diagonal);
    }

    @Test
    void dataDirAndTrainSplitAreRead(@TempDir Path tmp) {
        // the first 40 test images of the sample as a data set of their own (train and test the same files)
        MnistSplit test = TrainedModels.testSplit(false);
        int n = 40;
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) test.label(i);
            for (int k = 0; k < 784; k++) {
                pixels[i * 784 + k] = (byte) test.pixel(i, k);
            }
        }
        IdxWriter.writeImages(tmp.resolve(Idx.TRAIN_IMAGES), n, 28, 28, pixels, false);
        IdxWriter.writeLabels(tmp.resolve(Idx.TRAIN_LABELS), labels, false);
        IdxWriter.writeImages(tmp.resolve(Idx.TEST_IMAGES + ".gz"), n, 28, 28, pixels, true);
        IdxWriter.writeLabels(tmp.resolve(Idx.TEST_LABELS + ".gz"), labels, true);
        Path model = TrainedModels.cnn();
        double expected = trainerAccuracy(model, true, LimitedSplit.of(TrainedModels.testSplit(true), n));
        for (String split : List.of("test", "train")) {
            Cli r = Cli.run("evaluate", "--model", model.toString(), "--data-dir", tmp.toString(), "--split", split,
                    "--batch-size", "7");
            assertEquals(0, r.code, r::toString);
            assertTrue(r.out.startsWith("evaluate " + model + " on mnist (" + tmp + "), " + split + " split: 40 images"),
                    r.out);
            assertTrue(r.out.endsWith(String.format(java.util.Locale.ROOT, "accuracy=%.4f%n", expected)), r.out);
        }
    }

    /** The first {@code n} test images of the sample as a data set of their own (train and test the same files). */
    private static Path smallDataSet(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        MnistSplit test = TrainedModels.testSplit(false);
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) test.label(i);
            for (int k = 0; k < 784; k++) {
                pixels[i * 784 + k] = (byte) test.pixel(i, k);
            }
        }
        IdxWriter.writeImages(dir.resolve(Idx.TRAIN_IMAGES), n, 28, 28, pixels, false);
        IdxWriter.writeLabels(dir.resolve(Idx.TRAIN_LABELS), labels, false);
        IdxWriter.writeImages(dir.resolve(Idx.TEST_IMAGES), n, 28, 28, pixels, false);
        IdxWriter.writeLabels(dir.resolve(Idx.TEST_LABELS), labels, false);
        return dir;
    }

    @Test
    void withoutDataOptionsTheRecordedTrainingDataIsUsed(@TempDir Path tmp) throws IOException {
        // a run trained by train --save on a data directory whose name says fashion: its checkpoint records
        // "run": {"dataset": "fashion-mnist", "data_dir": ...}
        Path data = smallDataSet(tmp.resolve("fashion-small"), 40);
        Path run = tmp.resolve("run");
        Cli t = Cli.run("train", "--data-dir", data.toString(), "--epochs", "1", "--batch-size", "10", "--save",
                run.toString());
        assertEquals(0, t.code, t::toString);
        String record = Files.readString(run.resolve("checkpoint").resolve("checkpoint.json"));
        assertTrue(record.contains("\"dataset\": \"fashion-mnist\""), record);
        Path recordedIn = run.resolve("checkpoint").resolve("checkpoint.json");
        String on = " on fashion-mnist (" + data + "), test split: 40 images, 10 classes";
        String recorded = " (the data the model was trained on, as " + recordedIn + " records)";

        Cli r = Cli.run("evaluate", "--model", run.toString());
        assertEquals(0, r.code, r::toString);
        assertEquals("evaluate " + run + on + recorded, r.out.lines().findFirst().orElseThrow());
        assertEquals("", r.err);
        String accuracy = r.out.lines().reduce((a, b) -> b).orElseThrow();

        // the checkpoint itself reads its own record
        Path checkpoint = run.resolve("checkpoint");
        Cli c = Cli.run("evaluate", "--model", checkpoint.toString());
        assertEquals(0, c.code, c::toString);
        assertEquals("evaluate " + checkpoint + on + recorded, c.out.lines().findFirst().orElseThrow());

        // the same data asked for: the same answer, no note; --dataset alone reads the recorded directory
        Cli same = Cli.run("evaluate", "--model", run.toString(), "--data-dir", data.toString());
        assertEquals(0, same.code, same::toString);
        assertEquals("evaluate " + run + on + " (the data the model was trained on)",
                same.out.lines().findFirst().orElseThrow());
        assertEquals(accuracy, same.out.lines().reduce((a, b) -> b).orElseThrow());
        assertEquals("", same.err);
        Cli named = Cli.run("evaluate", "--model", run.toString(), "--dataset", "fashion-mnist");
        assertEquals(0, named.code, named::toString);
        assertEquals("evaluate " + run + on + recorded, named.out.lines().findFirst().orElseThrow());

        // other data asked for: done, with a one-line note
        Cli other = Cli.run("evaluate", "--model", run.toString(), "--dataset", "mnist");
        assertEquals(0, other.code, other::toString);
        assertEquals("evaluate " + run + " on mnist (embedded sample), test split: 2000 images, 10 classes",
                other.out.lines().findFirst().orElseThrow());
        assertEquals(List.of("nnj evaluate: note: --model " + run + " was trained on fashion-mnist (" + data + "), as "
                + recordedIn + " records; evaluating on mnist (embedded sample) as asked"), other.errLines());

        // the recorded directory is gone: say so, and how to go on
        Path moved = tmp.resolve("moved");
        Files.move(data, moved);
        Cli gone = Cli.run("evaluate", "--model", run.toString());
        assertEquals(2, gone.code, gone::toString);
        assertEquals(List.of("nnj evaluate: --model " + run + " was trained on fashion-mnist (" + data + "), as "
                + recordedIn + " records, but " + data + " is not a directory now; give the data's new place with "
                + "--data-dir"), gone.errLines());
        Cli given = Cli.run("evaluate", "--model", run.toString(), "--data-dir", moved.toString(), "--dataset",
                "fashion-mnist");
        assertEquals(0, given.code, given::toString);
        assertEquals(accuracy, given.out.lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(1, given.errLines().size(), given::toString);
        assertTrue(given.err.startsWith("nnj evaluate: note: "), given::toString);

        // a damaged file of the checkpoint other than its record does not concern evaluating the final model
        Files.write(run.resolve("checkpoint").resolve("optimizer.safetensors"), new byte[] {1, 2, 3});
        Cli damaged = Cli.run("evaluate", "--model", run.toString(), "--data-dir", moved.toString(), "--dataset",
                "fashion-mnist");
        assertEquals(0, damaged.code, damaged::toString);
        assertEquals(accuracy, damaged.out.lines().reduce((a, b) -> b).orElseThrow());

        // a corrupt record is refused, not read as "no record" (which would evaluate on the embedded sample)
        byte[] bytes = Files.readAllBytes(recordedIn);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(recordedIn, bytes);
        Cli corrupt = Cli.run("evaluate", "--model", run.toString());
        assertEquals(2, corrupt.code, corrupt::toString);
        assertEquals(1, corrupt.errLines().size(), corrupt::toString);
        assertTrue(corrupt.err.startsWith("nnj evaluate: " + recordedIn + ": checksum mismatch: expected SHA-256 "),
                corrupt.err);
        assertEquals("", corrupt.out);
        // with the data given, the record is not needed: evaluated, with a note
        Cli given2 = Cli.run("evaluate", "--model", run.toString(), "--data-dir", moved.toString(), "--dataset",
                "fashion-mnist");
        assertEquals(0, given2.code, given2::toString);
        assertEquals(accuracy, given2.out.lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(given2.err.startsWith("nnj evaluate: note: " + recordedIn + ": checksum mismatch"), given2.err);
        assertTrue(given2.err.contains("; the training data is taken as unknown"), given2.err);
    }

    @Test
    void theTrainSplitOfARunWithATrainLimitIsTheImagesItTrainedOn(@TempDir Path tmp) {
        Path run = tmp.resolve("run");
        Cli t = Cli.run("train", "--hidden", "10", "--train-limit", "300", "--epochs", "1", "--batch-size", "50",
                "--save", run.toString());
        assertEquals(0, t.code, t::toString);
        Path recordedIn = run.resolve("checkpoint").resolve("checkpoint.json");
        Cli r = Cli.run("evaluate", "--model", run.toString(), "--split", "train");
        assertEquals(0, r.code, r::toString);
        assertEquals("evaluate " + run + " on mnist (embedded sample), train split: 300 images, the first 300 as the "
                + "run's --train-limit, 10 classes (the data the model was trained on, as " + recordedIn
                + " records)", r.out.lines().findFirst().orElseThrow());
        // the test split is never cut
        Cli test = Cli.run("evaluate", "--model", run.toString());
        assertTrue(test.out.startsWith("evaluate " + run + " on mnist (embedded sample), test split: 2000 images, 10 "
                + "classes"), test::toString);
    }

    @Test
    void aModelThatDoesNotFitItsRecordedDataIsRefused(@TempDir Path tmp) {
        // a 3-class model whose run says it was trained on mnist (10 classes): the record and the model disagree
        Registry registry = TrainedModels.registry();
        Backend backend = registry.backend("cpu", Settings.of("threads", 1));
        Network net = TwoLayerNet.build(registry, backend, org.nnj.api.DType.FLOAT32, org.nnj.api.Shape.of(784), 8,
                "relu", 3, TwoLayerNet.BOOK_WEIGHT_STD, 0);
        Path run = tmp.resolve("run");
        ModelStore.save(net, run);
        Path recordedIn = run.resolve("checkpoint").resolve("checkpoint.json");
        ModelStore.saveCheckpoint(run.resolve("checkpoint"), net, net.spec().orElseThrow(),
                registry.optimizer("sgd", Settings.of("lr", 0.1)), 0, List.of(), null, Map.of("dataset", "mnist"));
        Cli r = Cli.run("evaluate", "--model", run.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(List.of("nnj evaluate: --model " + run + " predicts 3 classes, but its recorded training data "
                + "mnist (embedded sample) (in " + recordedIn + ") has 10: the model and its run's record disagree; "
                + "choose the data with --dataset or --data-dir"), r.errLines());

        // with no record: the default data, and the message says the training data is unknown
        Path bare = tmp.resolve("bare");
        ModelStore.save(net, bare);
        Cli u = Cli.run("evaluate", "--model", bare.toString());
        assertEquals(2, u.code, u::toString);
        assertEquals(List.of("nnj evaluate: --model " + bare + " predicts 3 classes, but mnist (embedded sample) has "
                + "10; the model's training data is unknown (not recorded): choose it with --dataset or --data-dir"),
                u.errLines());
    }

    @Test
    void aModelWhoseOutputsAreNotFiniteIsRefused(@TempDir Path tmp) {
        // weights ~1e28, finite (so they load) but far too large: the scores overflow to infinity, softmax to NaN
        Path run = tmp.resolve("run");
        Path model = PredictCommandTest.hugeWeights(TrainedModels.twoLayer(), run.resolve("last-finite"));
        ModelStore.save(ModelStore.load(TrainedModels.twoLayer(), TrainedModels.registry(),
                TrainedModels.registry().backend("cpu", Settings.of("threads", 1))), run.resolve("checkpoint"));
        Cli r = Cli.run("evaluate", "--model", model.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertEquals("nnj evaluate: --model " + model + ": the model's outputs are not finite (NaN or infinite) for "
                + "2000 of the 2000 images of the test split (the first is image 0), so its accuracy means nothing; "
                + "its weights are far too large (the largest, in " + PredictCommandTest.largestWeight(model)
                + " in magnitude), so the arithmetic overflowed, as it does with the weights of a diverged run; the "
                + "run's checkpoint " + run.toAbsolutePath().normalize().resolve("checkpoint") + " holds the weights "
                + "of its last finished epoch", r.errLines().get(0));
        assertTrue(!r.out.contains("accuracy="), r.out);
    }

    @Test
    void samplesOfAnotherSizeOrAMissingModelAreOneLineErrors(@TempDir Path tmp) throws Exception {
        int n = 3;
        byte[] labels = {1, 2, 3};
        IdxWriter.writeImages(tmp.resolve(Idx.TRAIN_IMAGES), n, 14, 14, new byte[n * 196], false);
        IdxWriter.writeLabels(tmp.resolve(Idx.TRAIN_LABELS), labels, false);
        IdxWriter.writeImages(tmp.resolve(Idx.TEST_IMAGES), n, 14, 14, new byte[n * 196], false);
        IdxWriter.writeLabels(tmp.resolve(Idx.TEST_LABELS), labels, false);
        Path model = TrainedModels.twoLayer();
        Cli r = Cli.run("evaluate", "--model", model.toString(), "--data-dir", tmp.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(List.of("nnj evaluate: --model " + model + " takes inputs (784), but the samples of mnist (" + tmp
                + ") are (196)"), r.errLines());

        Path notModel = Files.createDirectories(tmp.resolve("empty"));
        Cli m = Cli.run("evaluate", "--model", notModel.toString());
        assertEquals(2, m.code, m::toString);
        assertEquals(1, m.errLines().size(), m::toString);
        assertEquals(List.of("nnj evaluate: --model " + notModel + ": expected a model directory (written by train "
                + "--save), found a directory without network.json"), m.errLines());

        // a run that crashed before its final save has only its checkpoint: say where it is
        Path run = tmp.resolve("run");
        ModelStore.save(ModelStore.load(model, TrainedModels.registry(),
                TrainedModels.registry().backend("cpu", Settings.of("threads", 1))), run.resolve("checkpoint"));
        Cli c = Cli.run("evaluate", "--model", run.toString());
        assertEquals(2, c.code, c::toString);
        assertTrue(c.err.strip().endsWith("found a directory without network.json; its last checkpoint is --model "
                + run.resolve("checkpoint")), c::toString);

        Cli s = Cli.run("evaluate", "--model", model.toString(), "--split", "validation");
        assertEquals(2, s.code);
        assertTrue(s.err.startsWith("nnj evaluate: option --split: expected test or train, found 'validation'"),
                s::toString);
    }
}
