package org.nnj.openblas;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.nnj.api.NnjException;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuTensor;

/**
 * Reads the backing array of a {@link CpuTensor}. nn-core keeps {@code CpuTensor.floats()} and {@code doubles()}
 * package-private, so they are reached by reflection, once per tensor created (never per operation). If nn-core
 * ever makes an accessor public, this class is the one place to change.
 */
final class CpuArrays {
    private static final Method FLOATS;
    private static final Method DOUBLES;

    static {
        try {
            FLOATS = CpuTensor.class.getDeclaredMethod("floats");
            DOUBLES = CpuTensor.class.getDeclaredMethod("doubles");
            FLOATS.setAccessible(true);
            DOUBLES.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("openblas backend: cannot reach the arrays of nn-core's CpuTensor ("
                    + e + "); this nn-backend-openblas does not match this nn-core");
        }
    }

    private CpuArrays() {
    }

    /** The {@code float[]} of a float32 cpu tensor. */
    static float[] floats(Tensor t) {
        return (float[]) invoke(FLOATS, t);
    }

    /** The {@code double[]} of a float64 cpu tensor. */
    static double[] doubles(Tensor t) {
        return (double[]) invoke(DOUBLES, t);
    }

    private static Object invoke(Method m, Tensor t) {
        try {
            return m.invoke(t);
        } catch (IllegalAccessException e) {
            throw new NnjException("openblas backend: cannot read a cpu tensor's array: " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new NnjException(String.valueOf(c), c);
        }
    }
}
