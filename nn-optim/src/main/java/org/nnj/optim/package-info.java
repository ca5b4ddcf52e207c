/**
 * Optimizers: rules that update parameters from their gradients, after the book's chapter 6, and learning-rate
 * schedules.
 *
 * <h2>Optimizers</h2>
 * {@link org.nnj.optim.Sgd} ({@code W ← W − lr·g}), {@link org.nnj.optim.Momentum} (the book's
 * {@code v ← αv − lr·g; W ← W + v}), {@link org.nnj.optim.Nesterov} (PyTorch's form),
 * {@link org.nnj.optim.AdaGrad} and {@link org.nnj.optim.RmsProp} (the book's, {@code eps = 1e-7} outside the square
 * root), {@link org.nnj.optim.Adam} (PyTorch's rule: bias-corrected moments, {@code eps} added to √v̂) and
 * {@link org.nnj.optim.AdamW} (decoupled weight decay). Each class states its update rule exactly.
 *
 * <p>All of them extend {@link org.nnj.optim.AbstractOptimizer}: per-parameter state is created lazily, on a
 * parameter's first step, with the parameter's own backend ({@code zerosLike}), and is keyed by its qualified name
 * ({@link org.nnj.api.Parameter#name()}), so a renamed parameter starts afresh and a parameter whose shape changes
 * under the same name is an {@link java.lang.IllegalStateException}. All arithmetic goes through the
 * {@link org.nnj.api.Backend}'s operations; where the backend has no square root or division (AdaGrad, RMSprop, Adam)
 * a single {@code zip} computes the step direction. Optimizers never change or zero the gradients.
 *
 * <h2>Weight decay</h2>
 * {@link org.nnj.optim.WeightDecay} (provider settings {@code weight_decay}, default 0 — 0.01 for {@code adamw} — and
 * {@code decay_all}, default false). By default decay applies <b>only to parameters of rank ≥ 2</b> — affine weights
 * and convolution kernels — and <b>not to biases or batch-norm {@code gamma}/{@code beta}</b> (rank 1);
 * {@code decay_all=true} applies it to every parameter. For every optimizer but AdamW it is L2 decay, added to the
 * gradient the rule uses: {@code g = dW + weight_decay · W}. AdamW decouples it: {@code W ← W − lr · weight_decay · W}
 * before the Adam step.
 *
 * <h2>Learning-rate schedules</h2>
 * {@link org.nnj.optim.LearningRateSchedule#rate(int)} gives the rate of a 0-based epoch; a trainer applies it once
 * per epoch through {@link org.nnj.optim.HasLearningRate#setLearningRate(double)}, which every optimizer here
 * implements. {@link org.nnj.optim.Constant}, {@link org.nnj.optim.StepDecay} and
 * {@link org.nnj.optim.CosineAnnealing}, also by name through {@link org.nnj.optim.Schedules}.
 */
package org.nnj.optim;
