/**
 * The layers and losses of chapter 5 of <i>Deep Learning from Scratch</i>, written against {@link org.nnj.api}:
 * the two-input computation-graph nodes {@link org.nnj.layers.AddGate} and {@link org.nnj.layers.MulGate}, the
 * layers {@link org.nnj.layers.Affine}, {@link org.nnj.layers.Relu}, {@link org.nnj.layers.Sigmoid}, and the losses
 * {@link org.nnj.layers.SoftmaxCrossEntropy} and {@link org.nnj.layers.SquaredError}.
 *
 * <p>Every class computes through the {@link org.nnj.api.Backend} of its tensors, keeps its output and gradient
 * buffers and reuses them while the batch shape stays the same, and never modifies the tensors it is given. Backward
 * before forward throws {@link java.lang.IllegalStateException}; tensors that do not fit throw
 * {@link org.nnj.api.ShapeException} naming the layer and both shapes. None of them is thread-safe.
 */
package org.nnj.layers;
