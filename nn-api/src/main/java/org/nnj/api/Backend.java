package org.nnj.api;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Owns the storage and the arithmetic of its tensors. Layers, losses and optimizers compute only through these
 * operations, so a faster backend (native, GPU) speeds every one of them up without a change to any layer.
 *
 * <p>Conventions shared by all operations:
 * <ul>
 *   <li>Every operation writes into an {@code out} tensor the caller allocated (usually once, then reused every step),
 *       so a training step allocates nothing once warmed up. {@code out} may be the same tensor as an input unless
 *       the operation says otherwise.</li>
 *   <li>All tensors passed to one call have the same {@link DType} and belong to this backend; a mismatch, or a
 *       shape that does not fit, throws {@link ShapeException} naming the operation and the shapes.</li>
 *   <li>Matrices are the tensors' row-major 2-D views: a tensor of shape {@code (n, a, b)} is an {@code n × ab}
 *       matrix, and a rank-1 tensor {@code (n)} is an {@code n × 1} matrix (so row-wise operations such as
 *       {@link #softmax} need a rank-2 {@code (1, c)} view of a single vector).</li>
 *   <li>Class-index targets are tensors of the same dtype as the scores, holding whole numbers.</li>
 *   <li>Results do not depend on how many threads a backend uses: no sum is reordered by splitting work.</li>
 * </ul>
 *
 * <p>Stability: evolving — operations are added (with default implementations where possible) as layers need them.
 */
public interface Backend extends AutoCloseable {

    /** The provider name this backend is registered under, e.g. {@code cpu}. */
    String name();

    /**
     * Releases threads or native resources. Tensors stay readable; a backend may keep working on the caller's thread
     * after closing. By default nothing to release.
     */
    @Override
    default void close() {
    }

    // ---- creation and copying ------------------------------------------------------------------------------------

    /** A new tensor of zeros. */
    Tensor zeros(DType dtype, Shape shape);

    /**
     * A new tensor holding {@code values} (row-major), rounded to the dtype.
     *
     * @throws ShapeException if {@code values.length != shape.size()}
     */
    Tensor fromArray(DType dtype, Shape shape, double... values);

    /** A new zero tensor with the dtype and shape of {@code like}. */
    default Tensor zerosLike(Tensor like) {
        return zeros(like.dtype(), like.shape());
    }

    /** {@code t[i] = value} for every element. */
    void fill(Tensor t, double value);

    /** Copies {@code src} into {@code dst}, which must have the same size (shapes may differ) and dtype. */
    void copy(Tensor src, Tensor dst);

    // ---- linear algebra -------------------------------------------------------------------------------------------

    /**
     * General matrix multiply {@code c = alpha · op(a) · op(b) + beta · c}, where {@code op(x)} is {@code x} or its
     * transpose, taken without copying. Backprop of {@code Y = X·W} needs {@code dX = dY·Wᵀ} and {@code dW = Xᵀ·dY}:
     * both are one call. {@code beta = 1} accumulates into {@code c}; with {@code beta = 0} the old contents of
     * {@code c} are ignored (even NaN). {@code c} must not alias {@code a} or {@code b}.
     *
     * @throws ShapeException if the inner dimensions or {@code c}'s shape do not fit
     */
    void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c);

    /** {@code out[i, j] = x[i, j] + row[j]}: adds a bias row to every row of the matrix {@code x}. */
    void addRow(Tensor x, Tensor row, Tensor out);

    /** {@code out[j] = beta · out[j] + Σᵢ x[i, j]}: column sums of the matrix {@code x} (a bias gradient). */
    void sumRows(Tensor x, double beta, Tensor out);

    // ---- element-wise ---------------------------------------------------------------------------------------------

    /** {@code out = a + b}, element-wise, equal sizes. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a − b}, element-wise, equal sizes. */
    void sub(Tensor a, Tensor b, Tensor out);

    /** {@code out = a · b}, element-wise, equal sizes. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = s · a}. */
    void scale(Tensor a, double s, Tensor out);

    /** {@code y += alpha · x}: the SGD step and gradient accumulation. */
    void axpy(double alpha, Tensor x, Tensor y);

    /** Σ of all elements, accumulated in double precision. */
    double sum(Tensor x);

    /** Σ a[i]·b[i], accumulated in double precision. */
    double dot(Tensor a, Tensor b);

    /** {@code out[i] = f(x[i])}: a slow, general fallback for custom layers; built-in layers use dedicated ops. */
    void map(Tensor x, DoubleUnaryOperator f, Tensor out);

    /** {@code out[i] = f(a[i], b[i])}: a slow, general fallback for custom layers. */
    void zip(Tensor a, Tensor b, DoubleBinaryOperator f, Tensor out);

    /** True if every element is finite (no NaN, no infinity). */
    boolean allFinite(Tensor x);

    // ---- activations ----------------------------------------------------------------------------------------------

    /** {@code out = max(x, 0)}. */
    void relu(Tensor x, Tensor out);

    /** {@code dx = dout} where {@code x > 0}, else 0 (the gradient at exactly 0 is taken as 0, as in the book). */
    void reluBackward(Tensor x, Tensor dout, Tensor dx);

    /** {@code out = 1 / (1 + exp(−x))}, without overflow for any x. */
    void sigmoid(Tensor x, Tensor out);

    /** {@code dx = dout · y · (1 − y)}, where {@code y} is sigmoid's output. */
    void sigmoidBackward(Tensor y, Tensor dout, Tensor dx);

    // ---- softmax and classification -------------------------------------------------------------------------------

    /** Row-wise softmax of the matrix {@code logits}, shifted by each row's maximum so that no exp overflows. */
    void softmax(Tensor logits, Tensor out);

    /**
     * Mean cross-entropy of the row-wise softmax of {@code logits} against {@code target}, computed as
     * {@code logsumexp(row) − row[t]} so that it is finite whenever the true loss is representable (no overflow in
     * exp, no log(0), never NaN for finite logits). Writes the softmax probabilities into {@code probs}.
     *
     * @param target either class indices, shape {@code (n)}, or a distribution per row (one-hot), shape {@code (n, c)}
     * @throws ShapeException if a class index is outside {@code [0, c)} or the shapes do not fit
     */
    double softmaxCrossEntropy(Tensor logits, Tensor target, Tensor probs);

    /**
     * {@code dx = scale · (probs − onehot(target))} for class indices, {@code scale · (probs − target)} for
     * {@code (n, c)} targets: the gradient of {@link #softmaxCrossEntropy} with scale 1/n.
     */
    void softmaxCrossEntropyBackward(Tensor probs, Tensor target, double scale, Tensor dx);

    /** {@code out[i] = argmax_j x[i, j]}, the first index on ties. */
    void argmaxRows(Tensor x, int[] out);

    // ---- data loading ---------------------------------------------------------------------------------------------

    /**
     * Gathers rows of unsigned bytes into a batch: {@code out[r, k] = scale · (src[indices[from + r]·rowLength + k] & 0xFF)}
     * for {@code r < count}. Data sets keep their samples as bytes and convert only the batch they serve. {@code out}
     * is seen as a matrix of rows of {@code rowLength}; it may have more than {@code count} rows (the rest is left as
     * it is), so a buffer can be reused for a shorter last batch.
     *
     * @throws ShapeException if {@code out}'s rows are not {@code rowLength} long, it has fewer than {@code count}
     *     rows, or an index is out of range
     */
    void gatherBytes(byte[] src, int rowLength, int[] indices, int from, int count, double scale, Tensor out);

    /**
     * Gathers labels into a batch: if {@code out} has rank 1, {@code out[r] = labels[indices[from + r]]} (class
     * indices); if rank 2 {@code (count, c)}, one-hot rows.
     */
    void gatherLabels(byte[] labels, int[] indices, int from, int count, Tensor out);

    // ---- more activations and regularisation (the book's chapters 6 and 7) --------------------------------------

    /** {@code out = tanh(x)}. */
    void tanh(Tensor x, Tensor out);

    /** {@code dx = dout · (1 − y²)}, where {@code y} is tanh's output. */
    void tanhBackward(Tensor y, Tensor dout, Tensor dx);

    /** {@code out = x > 0 ? x : alpha · x}. */
    void leakyRelu(Tensor x, double alpha, Tensor out);

    /** {@code dx = x > 0 ? dout : alpha · dout}. */
    void leakyReluBackward(Tensor x, double alpha, Tensor dout, Tensor dx);

    /**
     * An inverted-dropout mask: element by element in row-major order, {@code mask[i] = 1/keep} if
     * {@code random.nextDouble() < keep}, else 0. The draws come from {@code random} in order, so the same seed gives
     * the same mask on every backend and for any thread count.
     */
    void dropoutMask(Tensor mask, double keep, java.util.Random random);

    /**
     * Batch normalisation forward over {@code x} seen as {@code (n, channels, spatial)}: statistics per channel over
     * the {@code n · spatial} values (spatial is 1 for dense inputs, {@code H·W} for images). In training the batch
     * mean and the biased variance (divided by the count, as the book and PyTorch's normalisation do) normalise
     * {@code x}, and the running statistics become {@code momentum · running + (1 − momentum) · batch} (the running
     * variance takes the unbiased batch variance, as PyTorch does); in inference the running statistics normalise.
     * {@code out = gamma · xhat + beta}; {@code xhat} and {@code invStd} (per channel) are kept for backward.
     */
    void batchNormForward(Tensor x, int channels, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                          double momentum, double eps, boolean training, Tensor xhat, Tensor invStd, Tensor out);

    /**
     * Batch normalisation backward (training statistics): adds {@code Σ dout·xhat} into {@code dgamma} and
     * {@code Σ dout} into {@code dbeta} per channel, and writes
     * {@code dx = gamma · invStd / m · (m · dout − Σ dout − xhat · Σ dout·xhat)} with {@code m = n · spatial}.
     */
    void batchNormBackward(Tensor dout, Tensor xhat, Tensor invStd, Tensor gamma, int channels, Tensor dgamma,
                           Tensor dbeta, Tensor dx);

    /**
     * Mean binary cross-entropy of {@code sigmoid(logits)} against targets in [0, 1] of the same shape, averaged over
     * the batch (dim 0), computed as {@code max(x, 0) − x·t + log(1 + exp(−|x|))}: finite for any finite logit.
     * Writes the sigmoid probabilities into {@code probs}.
     */
    double sigmoidBinaryCrossEntropy(Tensor logits, Tensor target, Tensor probs);

    // ---- convolution and pooling ---------------------------------------------------------------------------------

    /**
     * The book's im2col: {@code x} of shape {@code (n, C, H, W)} becomes {@code col} of shape
     * {@code (n · outH · outW, C · kh · kw)}, one row per output position (sample-major, then row, then column), each
     * row the window's values channel-major; padding reads as 0.
     */
    void im2col(Tensor x, ConvGeometry g, Tensor col);

    /** The adjoint of {@link #im2col}: {@code dx} is overwritten with the sum of every window's contribution. */
    void col2im(Tensor col, ConvGeometry g, Tensor dx);

    /**
     * Permutes the axes of {@code x}: {@code out} has shape {@code x.shape()[axes[0]], x.shape()[axes[1]], …} and
     * {@code out[i₀, i₁, …] = x[…]} accordingly. Convolution uses it to move channels between the
     * {@code (n, outH·outW, C)} layout of a multiply and the {@code (n, C, outH, outW)} layout of images.
     */
    void permute(Tensor x, int[] axes, Tensor out);

    /**
     * Max pooling of {@code (n, C, H, W)} into {@code (n, C, outH, outW)} with {@code g.channels() = C}; records in
     * {@code argmax} the flat input index of each output's maximum (the first in row-major order on ties; padding
     * never wins).
     */
    void maxPool(Tensor x, ConvGeometry g, Tensor out, int[] argmax);

    /** Max pooling backward: {@code dx} is zeroed, then each {@code dout} element is added at its {@code argmax}. */
    void maxPoolBackward(Tensor dout, int[] argmax, Tensor dx);

    /** Average pooling of {@code (n, C, H, W)}; padding counts as zeros in the average (PyTorch's default). */
    void avgPool(Tensor x, ConvGeometry g, Tensor out);

    /** Average pooling backward: {@code dx} is overwritten with each {@code dout} spread evenly over its window. */
    void avgPoolBackward(Tensor dout, ConvGeometry g, Tensor dx);
}
