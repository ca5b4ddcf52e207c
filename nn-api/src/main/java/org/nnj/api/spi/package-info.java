/**
 * The service-provider interfaces: one per pluggable kind (layers, losses, optimizers, data sets, backends), each
 * found at run time through {@link java.util.ServiceLoader} and asked for by a stable, lower-case name.
 */
package org.nnj.api.spi;
