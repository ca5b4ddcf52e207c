/** The service providers of {@code nn-optim}: {@code sgd} ({@link org.nnj.api.spi.OptimizerProvider}). */
package org.nnj.optim.spi;
