package org.nnj.api.spi;

/**
 * What every provider has: a stable, lower-case name by which users ask for it ({@code affine}, {@code sgd},
 * {@code mnist}, {@code cpu}). Names are compared case-insensitively and must be unique within a kind.
 *
 * <p>Providers are found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/<provider interface>}. They need a public no-argument constructor and should be cheap to
 * construct; the expensive work happens in their {@code create} method. Stability: stable.
 */
public interface Provider {

    /** The stable, lower-case name. */
    String name();

    /** One line for {@code nnj list}; by default empty. */
    default String description() {
        return "";
    }
}
