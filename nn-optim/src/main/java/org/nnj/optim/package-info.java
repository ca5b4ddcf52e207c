/**
 * Optimizers: rules that update parameters from their gradients. {@link org.nnj.optim.Sgd} is the book's stochastic
 * gradient descent {@code W ← W − lr·dW}.
 */
package org.nnj.optim;
