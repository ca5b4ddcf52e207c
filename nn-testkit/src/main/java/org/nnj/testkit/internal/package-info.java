/**
 * The kit's plumbing: a loss that lets any layer be saved in a network, and the class loader that offers it to the
 * kit's registries only. Not API: nothing here is meant to be used directly.
 */
package org.nnj.testkit.internal;
