package org.nnj.core.io;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nnj.api.Backend;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.UnknownProviderException;
import org.nnj.core.EarlyStopping;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and loads networks and training checkpoints as directories:
 *
 * <pre>
 *   model/
 *     network.json           the {@link NetworkSpec} (format "nnj-network", version 1)
 *     weights.safetensors    parameters and layer state under qualified names (Affine1.W, BatchNorm1.running_mean)
 *     manifest.json          SHA-256 and size of every file above (format "nnj-manifest", version 1), written last
 *   checkpoint/              a model directory, plus
 *     optimizer.safetensors  the optimizer's state tensors (Affine1.W/0, ...)
 *     checkpoint.json        epoch, history, optimizer counters and learning rate, early-stopping state and the
 *                            caller's run settings (format "nnj-checkpoint", version 2)
 *     best.safetensors       with early stopping: the weights and state of the best epoch so far
 * </pre>
 *
 * <p>Random generators: the trainer's shuffling generator is a function of the seed and the finished epochs (see
 * {@code Trainer.Builder.completedEpochs}); the generators of stochastic layers are layer state ({@code Dropout1.rng})
 * and are saved in {@code weights.safetensors} with the parameters.
 *
 * <p>Saving is crash-safe: every file goes to a temporary file that is flushed and atomically renamed, and the
 * manifest commits the set, so a crash at any moment leaves the previous complete save or the new one (see
 * {@code Bundle}). Loading verifies every checksum, then checks that the weights match the architecture tensor by
 * tensor, before anything is copied; every failure is a {@link DataFormatException} whose one-line message names the
 * file and the first tensor or field that does not match. A loaded network predicts bit for bit what the saved one
 * did. Weights that are not finite are refused.
 *
 * <p>Stateless and thread-safe; one writer per directory at a time. Stability: evolving.
 */
public final class ModelStore {
    /** The architecture. */
    public static final String NETWORK_FILE = "network.json";
    /** Parameters and layer state. */
    public static final String WEIGHTS_FILE = "weights.safetensors";
    /** The optimizer's state tensors (checkpoints only). */
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    /** Epoch, history and optimizer counters (checkpoints only). */
    public static final String CHECKPOINT_FILE = "checkpoint.json";
    /** The best epoch's weights and state, in checkpoints with early stopping. */
    public static final String BEST_FILE = "best.safetensors";
    /** Checksums of the other files, written last. */
    public static final String MANIFEST_FILE = Bundle.MANIFEST;

    private static final Set<String> ALL = Set.of(NETWORK_FILE, WEIGHTS_FILE, OPTIMIZER_FILE, CHECKPOINT_FILE,
            BEST_FILE);
    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);

    private ModelStore() {
    }

    /**
     * Saves {@code network} with the spec it was built from ({@link Network#spec()}).
     *
     * @throws IllegalArgumentException if the network was assembled by hand and so has no spec
     * @throws org.nnj.api.NnjException naming the file if a file cannot be written
     */
    public static void save(Network network, Path dir) {
        save(network, specOf(network), dir);
    }

    /**
     * Saves {@code network} under {@code spec}, which must describe it (the same layers; unnamed layers in the spec
     * are saved under the network's names; an optimizer and training settings may be added, see
     * {@link NetworkSpec#withOptimizer}).
     *
     * @throws IllegalArgumentException if the spec's layer names are not the network's
     */
    public static void save(Network network, NetworkSpec spec, Path dir) {
        Bundle.write(dir, modelFiles(network, spec), ALL);
        log.info("saved {} to {}", network, dir);
    }

    /**
     * Loads a model directory (or a checkpoint directory) into a new network on {@code backend}.
     *
     * @throws DataFormatException naming the file if a file is missing, corrupt, of an unknown version, or the
     *     weights do not match the architecture
     * @throws UnknownProviderException naming {@code network.json} and the layer if a layer's provider is not on the
     *     class path
     */
    public static Network load(Path dir, Registry registry, Backend backend) {
        Network network = Bundle.read(dir, List.of(NETWORK_FILE, WEIGHTS_FILE), false, files -> {
            NetworkSpec spec = SpecJson.read(files.get(NETWORK_FILE));
            Network net = build(spec, files.get(NETWORK_FILE), registry, backend);
            loadWeights(net, files.get(WEIGHTS_FILE));
            return net;
        });
        log.info("loaded {} from {}", network, dir);
        return network;
    }

    /**
     * Builds the network a spec file describes. A spec that parses but cannot be built (a layer that does not fit its
     * input, a malformed setting) is a corrupt file: a {@link DataFormatException} naming it, not the builder's
     * exception (IoReadersFuzzTest re-seals mutated specs so that they reach this point).
     */
    private static Network build(NetworkSpec spec, Path specFile, Registry registry, Backend backend) {
        try {
            return spec.build(registry, backend, spec.training().map(NetworkSpec.Training::seed).orElse(0L));
        } catch (ShapeException | IllegalArgumentException e) {
            throw new DataFormatException(specFile + ": " + e.getMessage(), e);
        } catch (UnknownProviderException e) {
            // a provider missing from the class path (a plugin's jar left out, a typo): the file that names it
            throw new UnknownProviderException(specFile + ": " + e.getMessage());
        }
    }

    /**
     * The verified spec of a model or checkpoint directory, without building anything.
     *
     * @throws DataFormatException naming the file if a file is missing, corrupt or of an unknown version
     */
    public static NetworkSpec readSpec(Path dir) {
        return Bundle.read(dir, List.of(NETWORK_FILE), false, files -> SpecJson.read(files.get(NETWORK_FILE)));
    }

    /**
     * The bytes of {@code name} in the model or checkpoint directory {@code dir}, after checking that file alone
     * against the manifest (the file as committed, even if a crash left its rename unfinished, or a run is saving a
     * new set meanwhile).
     *
     * @param maxBytes the largest file accepted
     * @throws DataFormatException naming the file if the manifest or the file is missing, does not match its
     *     checksum or is larger than {@code maxBytes}, or if the manifest does not list {@code name}
     */
    public static byte[] readVerified(Path dir, String name, long maxBytes) {
        return Bundle.read(dir, List.of(name), true, files -> AtomicFiles.readAll(files.get(name), maxBytes));
    }

    /**
     * Copies weights saved elsewhere (a safetensors file: nnj's own, or one written by Python with the same names)
     * into {@code network}: every parameter and state tensor must be present with its shape and dtype, and nothing
     * else. Everything is checked before anything is copied.
     *
     * @throws DataFormatException naming the file and the first tensor that is missing, unexpected, of another
     *     shape or dtype, or not finite
     */
    public static void loadWeights(Network network, Path safetensorsFile) {
        Map<String, Tensor> expected = persistentTensors(network);
        String source = safetensorsFile.toString();
        SafeTensors.Header header = SafeTensors.readHeader(safetensorsFile);
        checkMatches(expected, header, source);
        Backend backend = expected.isEmpty() ? null : expected.values().iterator().next().backend();
        if (backend == null) {
            return;
        }
        Map<String, Tensor> loaded = SafeTensors.read(safetensorsFile, backend).tensors();
        for (Map.Entry<String, Tensor> e : loaded.entrySet()) {
            if (!backend.allFinite(e.getValue())) {
                throw new DataFormatException(source + ": tensor '" + e.getKey()
                        + "': expected finite values, found NaN or infinity");
            }
        }
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            backend.copy(loaded.get(e.getKey()), e.getValue());
        }
    }

    static void checkMatches(Map<String, Tensor> expected, SafeTensors.Header header, String source) {
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            SafeTensors.Entry found = header.entries().get(e.getKey());
            Tensor t = e.getValue();
            String want = t.shape() + " " + SafeTensors.dtypeName(t.dtype());
            if (found == null) {
                throw new DataFormatException(source + ": expected tensor '" + e.getKey() + "' " + want
                        + ", it is missing (the file has " + sample(header.entries().keySet()) + ")");
            }
            if (!found.shape().equals(t.shape()) || found.dtype() != t.dtype()) {
                throw new DataFormatException(source + ": tensor '" + e.getKey() + "': expected " + want + ", found "
                        + found.shape() + " " + SafeTensors.dtypeName(found.dtype()));
            }
        }
        for (String name : header.entries().keySet()) {
            if (!expected.containsKey(name)) {
                throw new DataFormatException(source + ": unexpected tensor '" + name + "'; expected only "
                        + sample(expected.keySet()));
            }
        }
    }

    private static String sample(Set<String> names) {
        List<String> sorted = List.copyOf(new TreeSet<>(names));
        return sorted.size() <= 8 ? sorted.toString()
                : sorted.subList(0, 8).toString().replace("]", ", ... (" + sorted.size() + " in all)]");
    }

    /**
     * What is saved of a network: every parameter's value, then every layer's state, under qualified names in layer
     * order. Live tensors.
     *
     * @throws IllegalStateException if a state name equals a parameter name
     */
    public static Map<String, Tensor> persistentTensors(Network network) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) {
            m.put(p.name(), p.value());
        }
        for (Map.Entry<String, Tensor> e : network.state().entrySet()) {
            if (m.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalStateException("layer state " + e.getKey() + " has the name of a parameter");
            }
        }
        return m;
    }

    /**
     * Saves a checkpoint to resume training from: the model, the optimizer's state, the number of finished epochs and
     * their metrics. The network must have a spec ({@link Network#spec()}).
     *
     * @param epoch   epochs finished, at least 0
     * @param history one entry per finished epoch (may be shorter, never longer)
     */
    public static void saveCheckpoint(Path dir, Network network, Optimizer optimizer, int epoch,
                                      List<EpochMetrics> history) {
        saveCheckpoint(dir, network, specOf(network), optimizer, epoch, history);
    }

    /** {@link #saveCheckpoint(Path, Network, Optimizer, int, List)} under an explicit spec (with the optimizer named). */
    public static void saveCheckpoint(Path dir, Network network, NetworkSpec spec, Optimizer optimizer, int epoch,
                                      List<EpochMetrics> history) {
        saveCheckpoint(dir, network, spec, optimizer, epoch, history, null, Map.of());
    }

    /**
     * A checkpoint that also holds the state of early stopping (its best weights in {@value #BEST_FILE}) and the
     * caller's own settings of the run ({@code run}: names and values without control characters, given back by
     * {@link Checkpoint#run()}), e.g. which data the run trains on.
     *
     * @param stopping the run's early stopping, or null for none
     * @param run      the caller's settings, possibly empty
     */
    public static void saveCheckpoint(Path dir, Network network, NetworkSpec spec, Optimizer optimizer, int epoch,
                                      List<EpochMetrics> history, EarlyStopping stopping, Map<String, String> run) {
        checkNotNull(optimizer, "optimizer");
        checkNotNull(run, "run");
        checkArgument(epoch >= 0, "epoch must be at least 0, got %s", epoch);
        checkArgument(history.size() <= epoch, "a history of %s epochs for %s finished epochs", history.size(), epoch);
        Map<String, AtomicFiles.Content> files = modelFiles(network, spec);
        Map<String, Tensor> state = optimizer.state();
        // a diverged run (caught by the caller) must not become the checkpoint a resume continues from
        checkAllFinite(persistentTensors(network), "weight");
        checkAllFinite(state, "optimizer state");
        files.put(OPTIMIZER_FILE, out -> SafeTensors.write(out, state, Map.of("producer", "nnj")));
        if (stopping != null && !stopping.bestWeights().isEmpty()) {
            Map<String, Tensor> best = new LinkedHashMap<>(stopping.bestWeights());
            checkArgument(best.keySet().equals(persistentTensors(network).keySet()), "the early stopping's best "
                    + "weights are of tensors %s, not of the network's", best.keySet());
            files.put(BEST_FILE, out -> SafeTensors.write(out, best, Map.of("producer", "nnj",
                    "epoch", Integer.toString(stopping.bestEpoch()))));
        }
        byte[] json = CheckpointJson.write(epoch, history, optimizer, stopping, run).getBytes(StandardCharsets.UTF_8);
        files.put(CHECKPOINT_FILE, out -> out.write(json));
        Bundle.write(dir, files, ALL);
        log.info("saved checkpoint of epoch {} to {}", epoch, dir);
    }

    private static void checkAllFinite(Map<String, Tensor> tensors, String what) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (!t.backend().allFinite(t)) {
                throw new IllegalStateException("not saving a checkpoint: " + what + " " + e.getKey()
                        + " is not finite (did training diverge?); the previous checkpoint is kept");
            }
        }
    }

    /**
     * Loads a checkpoint: the network, and what is needed to continue (see {@link Checkpoint}).
     *
     * @throws DataFormatException naming the file if a file is missing, corrupt, of an unknown version, or does not
     *     match the architecture
     */
    public static Checkpoint loadCheckpoint(Path dir, Registry registry, Backend backend) {
        return Bundle.read(dir, List.of(NETWORK_FILE, WEIGHTS_FILE, OPTIMIZER_FILE, CHECKPOINT_FILE), false,
                files -> loadCheckpoint(files, registry, backend));
    }

    private static Checkpoint loadCheckpoint(Map<String, Path> files, Registry registry, Backend backend) {
        NetworkSpec spec = SpecJson.read(files.get(NETWORK_FILE));
        Network network = build(spec, files.get(NETWORK_FILE), registry, backend);
        loadWeights(network, files.get(WEIGHTS_FILE));
        Path opt = files.get(OPTIMIZER_FILE);
        Map<String, Tensor> state = SafeTensors.read(opt, backend).tensors();
        Path cp = files.get(CHECKPOINT_FILE);
        CheckpointJson.Parsed p = CheckpointJson.read(cp);
        EarlyStopping stopping = null;
        if (p.earlyStopping() != null) {
            CheckpointJson.EarlyStoppingState es = p.earlyStopping();
            Map<String, Tensor> best = Map.of();
            Path bestFile = files.get(BEST_FILE);
            if (es.bestEpoch() > 0) {
                if (bestFile == null) {
                    throw new DataFormatException(cp + ": early_stopping.best_epoch is " + es.bestEpoch() + " but "
                            + MANIFEST_FILE + " lists no " + BEST_FILE);
                }
                best = readBest(network, bestFile, backend);
            } else if (bestFile != null) {
                throw new DataFormatException(cp + ": early_stopping has no best epoch, yet " + BEST_FILE
                        + " is saved");
            }
            stopping = new EarlyStopping(es.monitor(), es.patience(), es.minDelta());
            stopping.restoreState(es.best(), es.bestEpoch(), es.epochsWithoutImprovement(), es.stopped(), best);
        }
        return new Checkpoint(network, spec, p.epoch(), p.history(), p.optimizerClass(), p.learningRate(), state,
                p.counters(), opt, stopping, p.run());
    }

    /** The best weights: the network's tensors by name and shape, finite, as new tensors on {@code backend}. */
    private static Map<String, Tensor> readBest(Network network, Path file, Backend backend) {
        Map<String, Tensor> expected = persistentTensors(network);
        checkMatches(expected, SafeTensors.readHeader(file), file.toString());
        Map<String, Tensor> loaded = SafeTensors.read(file, backend).tensors();
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            Tensor t = loaded.get(name);
            if (!backend.allFinite(t)) {
                throw new DataFormatException(file + ": tensor '" + name
                        + "': expected finite values, found NaN or infinity");
            }
            ordered.put(name, t);
        }
        return ordered;
    }

    private static Map<String, AtomicFiles.Content> modelFiles(Network network, NetworkSpec spec) {
        checkNotNull(spec, "spec");
        List<String> names = network.layers().names();
        checkArgument(names.size() == spec.layers().size(), "the spec does not describe the network: %s layers in "
                + "the network, %s in the spec", names.size(), spec.layers().size());
        for (int i = 0; i < names.size(); i++) {
            String said = spec.layers().get(i).name();
            checkArgument(said == null || said.equals(names.get(i)), "the spec does not describe the network: layer "
                    + "%s is %s in the network but %s in the spec", i + 1, names.get(i), said);
        }
        NetworkSpec named = spec.withLayerNames(names);
        Map<String, Tensor> tensors = persistentTensors(network);
        byte[] json = SpecJson.bytes(named);
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put(NETWORK_FILE, out -> out.write(json));
        files.put(WEIGHTS_FILE, out -> SafeTensors.write(out, tensors, Map.of("producer", "nnj")));
        return files;
    }

    private static NetworkSpec specOf(Network network) {
        return network.spec().orElseThrow(() -> new IllegalArgumentException("the network " + network
                + " was assembled by hand and has no spec to save; build it with NetworkBuilder from provider names,"
                + " or pass a NetworkSpec"));
    }
}
