/**
 * Downloading the official MNIST and Fashion-MNIST files, only when asked ({@code download=true}): mirrors tried in
 * order, every file checked against its published SHA-256, written to a temporary file that is flushed and atomically
 * renamed. Entry point: {@link org.nnj.data.mnist.download.MnistDownloader}; the official mirrors and checksums are in
 * {@link org.nnj.data.mnist.download.DatasetSource}.
 */
package org.nnj.data.mnist.download;
