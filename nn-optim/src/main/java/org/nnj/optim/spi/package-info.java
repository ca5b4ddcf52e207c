/**
 * The service providers of {@code nn-optim} ({@link org.nnj.api.spi.OptimizerProvider}): {@code sgd},
 * {@code momentum}, {@code nesterov}, {@code adagrad}, {@code rmsprop}, {@code adam} and {@code adamw}. Every
 * provider takes {@code lr}, {@code weight_decay} and {@code decay_all}, plus its own hyper-parameters; each class
 * lists its settings with their defaults and ranges. An unknown key, a value that does not parse or a value out of
 * range is an {@link java.lang.IllegalArgumentException} naming the setting.
 */
package org.nnj.optim.spi;
