package org.nnj.optim;

import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.core.cpu.CpuBackend;

/** Small float64 parameters for the tests. */
final class Params {
    static final Backend BE = new CpuBackend();

    private Params() {
    }

    /** A parameter of {@code shape} holding {@code value} (row-major), gradient zero. */
    static Parameter of(String name, Shape shape, double... value) {
        return new Parameter(name, BE.fromArray(DType.FLOAT64, shape, value));
    }

    /** A rank-1 parameter. */
    static Parameter vector(String name, double... value) {
        return of(name, Shape.of(value.length), value);
    }

    /** Overwrites {@code p}'s gradient. */
    static Parameter grad(Parameter p, double... g) {
        for (int i = 0; i < g.length; i++) {
            p.grad().set(i, g[i]);
        }
        return p;
    }
}
