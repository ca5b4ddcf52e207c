/**
 * The service providers of {@code nn-layers}, registered in {@code META-INF/services}: layers {@code affine},
 * {@code relu}, {@code sigmoid} ({@link org.nnj.api.spi.LayerProvider}) and losses {@code softmax-cross-entropy},
 * {@code squared-error} ({@link org.nnj.api.spi.LossProvider}). Each rejects settings it does not know, naming the key
 * and the keys it knows.
 */
package org.nnj.layers.spi;
