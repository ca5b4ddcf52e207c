/**
 * The default pure-Java CPU backend, registered as {@code cpu}: {@link org.nnj.core.cpu.CpuBackend} and its tensors
 * {@link org.nnj.core.cpu.CpuTensor}, created through {@link org.nnj.core.cpu.CpuBackendProvider}.
 *
 * <p>{@code gemm}, the convolution kernels and the long element-wise loops use more than one thread; every result is
 * bit-identical for any thread count, because work is split only over independent output elements and never inside
 * a sum.
 */
package org.nnj.core.cpu;
