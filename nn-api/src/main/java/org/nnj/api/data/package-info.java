/**
 * The data set abstraction: a {@link org.nnj.api.data.Dataset} has a training and a test
 * {@link org.nnj.api.data.DataSplit}, each serving mini-batches gathered by index.
 */
package org.nnj.api.data;
