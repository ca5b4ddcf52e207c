/**
 * Networks that outlive the process: {@link org.nnj.core.io.NetworkSpec} (what a network is made of, as JSON),
 * {@link org.nnj.core.io.SafeTensors} (weights in the safetensors format that Python reads),
 * {@link org.nnj.core.io.ModelStore} (crash-safe model and checkpoint directories, checked on load) and
 * {@link org.nnj.core.io.Checkpoint} (what resuming needs). Every malformed file is a
 * {@link org.nnj.api.DataFormatException} whose one-line message names the file.
 */
package org.nnj.core.io;
