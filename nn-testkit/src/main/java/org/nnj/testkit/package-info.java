/**
 * Test support for people who extend nnj: {@link org.nnj.testkit.LayerKit} checks a custom layer in one call
 * (shapes, gradients against central differences in float64, no mutation of arguments, backward-before-forward
 * rejected, gradient accumulation, save-and-load round trip, discovery by name).
 *
 * <p>Add the artifact in test scope:
 * <pre>{@code
 * <dependency>
 *   <groupId>org.nnj</groupId>
 *   <artifactId>nn-testkit</artifactId>
 *   <version>0.1.0-SNAPSHOT</version>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 * and call {@code LayerKit.check(new MyProvider(), Settings.empty(), Shape.of(7))} from a JUnit test.
 */
package org.nnj.testkit;
