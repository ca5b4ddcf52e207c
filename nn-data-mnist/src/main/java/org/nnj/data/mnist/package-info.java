/**
 * MNIST-format data sets: an {@link org.nnj.data.mnist.IdxReader} for IDX files (raw or gzip), the byte-backed
 * {@link org.nnj.data.mnist.MnistSplit}, the {@link org.nnj.data.mnist.MnistLoader} for a directory of the four
 * standard files or the embedded real MNIST sample, and the {@code mnist} and {@code fashion-mnist} data-set providers.
 * Nothing is ever downloaded.
 */
package org.nnj.data.mnist;
