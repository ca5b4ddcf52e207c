package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertTrue(lines.get(0).startsWith("evaluate " + model + " on mnist (embedded sample), test split: 2000 images,"
                + " 10 classes"), lines.get(0));
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
