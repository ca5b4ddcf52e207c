/**
 * The user API of nnj: tensors and their {@link org.nnj.api.Backend}, {@link org.nnj.api.Layer},
 * {@link org.nnj.api.Loss}, {@link org.nnj.api.Optimizer}, {@link org.nnj.api.Parameter}, value types and exceptions.
 * This module depends on nothing but {@code java.base}.
 */
package org.nnj.api;
