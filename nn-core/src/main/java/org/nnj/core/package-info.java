/**
 * Backpropagation orchestration: the named layer {@link org.nnj.core.Sequential} (the book's {@code OrderedDict}),
 * the {@link org.nnj.core.Network} that joins it to a loss, the {@link org.nnj.core.GradientCheck}, the provider
 * {@link org.nnj.core.Registry}, the {@link org.nnj.core.NetworkBuilder} that builds networks from provider names,
 * and the mini-batch {@link org.nnj.core.Trainer}.
 */
package org.nnj.core;
