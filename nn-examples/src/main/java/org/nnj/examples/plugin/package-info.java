/**
 * A custom layer written the way a user's plugin is: {@link org.nnj.examples.plugin.Swish} implements
 * {@link org.nnj.api.Layer} on the backend's operations, and {@link org.nnj.examples.plugin.SwishProvider} makes it
 * available by the name {@code swish} through {@code META-INF/services/org.nnj.api.spi.LayerProvider}.
 */
package org.nnj.examples.plugin;
