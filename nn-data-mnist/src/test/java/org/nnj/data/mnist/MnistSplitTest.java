package org.nnj.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.core.cpu.CpuBackend;

class MnistSplitTest {
    private final Random random = new Random(99L);
    private final byte[] pixels = IdxBytes.randomBytes(random, 6 * 4 * 3);
    private final byte[] labels = {3, 0, 9, 9, 1, 5};
    private final MnistSplit split = new MnistSplit(pixels, labels, 4, 3, 10, true);

    @Test
    void describesItsSamples() {
        assertEquals(6, split.size());
        assertEquals(Shape.of(12), split.sampleShape());
        assertEquals(Shape.of(1, 4, 3), new MnistSplit(pixels, labels, 4, 3, 10, false).sampleShape());
        assertEquals(10, split.numClasses());
        assertEquals(9, split.label(3));
        assertThrows(IndexOutOfBoundsException.class, () -> split.label(6));
    }

    @Test
    void isNotAffectedByLaterChangesToTheCallersArrays() {
        byte[] p = pixels.clone();
        byte[] l = labels.clone();
        MnistSplit s = new MnistSplit(p, l, 4, 3, 10, true);
        p[0] = (byte) (p[0] + 1);
        l[0] = 7;
        assertEquals(3, s.label(0));
        assertEquals(pixels[0] & 0xFF, s.pixel(0, 0));
    }

    @Test
    void rejectsInconsistentArrays() {
        assertThrows(IllegalArgumentException.class, () -> new MnistSplit(new byte[11], new byte[1], 4, 3, 10, true));
        assertThrows(IllegalArgumentException.class, () -> new MnistSplit(new byte[12], new byte[] {10}, 4, 3, 10, true));
    }

    @Test
    void gatherDelegatesToEachTensorsBackendWithScaleOneOver255() {
        Backend featureBackend = mock(Backend.class);
        Backend targetBackend = mock(Backend.class);
        Tensor features = tensor(featureBackend, Shape.of(2, 12));
        Tensor targets = tensor(targetBackend, Shape.of(2, 10));
        int[] order = {5, 2, 4, 0};

        split.gather(order, 1, 2, features, targets);

        ArgumentCaptor<byte[]> src = ArgumentCaptor.forClass(byte[].class);
        verify(featureBackend).gatherBytes(src.capture(), eq(12), same(order), eq(1), eq(2), eq(1.0 / 255.0),
                same(features));
        assertArrayEquals(pixels, src.getValue());
        ArgumentCaptor<byte[]> lab = ArgumentCaptor.forClass(byte[].class);
        verify(targetBackend).gatherLabels(lab.capture(), same(order), eq(1), eq(2), same(targets));
        assertArrayEquals(labels, lab.getValue());
    }

    @Test
    void gatherRejectsTensorsThatDoNotFitBeforeTouchingTheBackend() {
        Backend backend = mock(Backend.class);
        int[] order = {0, 1, 2};
        Tensor goodFeatures = tensor(backend, Shape.of(3, 12));
        assertShape(() -> split.gather(order, 0, 3, tensor(backend, Shape.of(3, 11)), tensor(backend, Shape.of(3))),
                "features (3, 11)", "(3, 12)");
        assertShape(() -> split.gather(order, 0, 3, goodFeatures, tensor(backend, Shape.of(3, 9))),
                "targets (3, 9)", "(3, 10)");
        assertShape(() -> split.gather(order, 0, 3, goodFeatures, tensor(backend, Shape.of(2))),
                "targets (2)", "(3)");
        assertShape(() -> split.gather(order, 0, 3, goodFeatures, tensor(backend, Shape.of(3, 10, 1))),
                "targets (3, 10, 1)");
        assertThrows(IndexOutOfBoundsException.class,
                () -> split.gather(order, 2, 3, goodFeatures, tensor(backend, Shape.of(3))));
        assertThrows(IndexOutOfBoundsException.class,
                () -> split.gather(new int[] {0, 6, 1}, 0, 3, goodFeatures, tensor(backend, Shape.of(3))));
        verify(backend, never()).gatherBytes(any(), anyInt(), any(), anyInt(), anyInt(), anyDouble(), any());
        verify(backend, never()).gatherLabels(any(), any(), anyInt(), anyInt(), any());
    }

    @Test
    void gatherOnTheCpuBackendGivesPixelsOver255AndOneHotRows() {
        Backend cpu = new CpuBackend(1);
        int[] order = {4, 1, 3, 0, 2};
        Tensor x = cpu.zeros(DType.FLOAT64, Shape.of(3, 12));
        Tensor oneHot = cpu.zeros(DType.FLOAT64, Shape.of(3, 10));
        Tensor classes = cpu.zeros(DType.FLOAT32, Shape.of(3));

        split.gather(order, 1, 3, x, oneHot);
        split.gather(order, 1, 3, cpu.zeros(DType.FLOAT32, Shape.of(3, 12)), classes);

        for (int r = 0; r < 3; r++) {
            int sample = order[1 + r];
            for (int k = 0; k < 12; k++) {
                assertEquals((pixels[sample * 12 + k] & 0xFF) / 255.0, x.get(r * 12 + k), 1e-15);
            }
            for (int c = 0; c < 10; c++) {
                assertEquals(c == labels[sample] ? 1.0 : 0.0, oneHot.get(r * 10 + c));
            }
            assertEquals(labels[sample], classes.get(r));
        }
    }

    @Test
    void gatherFromTheEmbeddedSampleFillsImageShapedFloat32Batches() {
        DataSplit test = MnistLoader.embeddedSample(false).test();
        Backend cpu = new CpuBackend(1);
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = all.length - 1 - i;
        }
        Tensor x = cpu.zeros(DType.FLOAT32, test.sampleShape().withBatch(100));
        Tensor t = cpu.zeros(DType.FLOAT32, Shape.of(100, 10));
        test.gather(all, 1900, 100, x, t);
        double max = 0;
        for (int r = 0; r < 100; r++) {
            int sample = all[1900 + r];
            assertEquals(1.0, sum(t, r * 10, 10));
            assertEquals(1.0, t.get(r * 10 + test.label(sample)));
            for (int k = 0; k < 784; k++) {
                double v = x.get(r * 784 + k);
                assertEquals(((MnistSplit) test).pixel(sample, k) / 255.0, v, 1e-7);
                max = Math.max(max, v);
            }
        }
        assertEquals(1.0, max, 1e-7);
    }

    private static double sum(Tensor t, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += t.get(i);
        }
        return s;
    }

    private static Tensor tensor(Backend backend, Shape shape) {
        Tensor t = mock(Tensor.class);
        when(t.shape()).thenReturn(shape);
        when(t.size()).thenReturn(shape.size());
        when(t.backend()).thenReturn(backend);
        return t;
    }

    private static void assertShape(org.junit.jupiter.api.function.Executable action, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, action);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
    }
}
