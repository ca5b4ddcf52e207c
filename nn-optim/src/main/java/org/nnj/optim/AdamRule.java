package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import org.nnj.api.Backend;
import org.nnj.api.Tensor;

/** Adam's moment update and step, shared by {@link Adam} and {@link AdamW}; hyper-parameters checked once here. */
final class AdamRule {
    final double beta1;
    final double beta2;
    final double eps;

    AdamRule(String name, double beta1, double beta2, double eps) {
        checkArgument(beta1 >= 0 && beta1 < 1, "%s: beta1=%s must be in [0, 1)", name, beta1);
        checkArgument(beta2 >= 0 && beta2 < 1, "%s: beta2=%s must be in [0, 1)", name, beta2);
        checkArgument(Double.isFinite(eps) && eps > 0, "%s: eps=%s must be finite and > 0", name, eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /**
     * {@code m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; W ← W − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps)}, the
     * order of operations of PyTorch's (non-fused) implementation.
     */
    void apply(Backend be, Tensor w, Tensor g, Tensor m, Tensor v, Tensor tmp, double lr, long t) {
        be.scale(m, beta1, m);
        be.axpy(1 - beta1, g, m);
        be.scale(v, beta2, v);
        be.mul(g, g, tmp);
        be.axpy(1 - beta2, tmp, v);
        double bc1 = 1 - Math.pow(beta1, t);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
        double e = eps;
        // the Backend has no sqrt or division; a fused Adam op would replace this zip (see package-info)
        be.zip(m, v, (mi, vi) -> mi / (Math.sqrt(vi) / sqrtBc2 + e), tmp);
        be.axpy(-lr / bc1, tmp, w);
    }

    String describe() {
        return ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps;
    }
}
