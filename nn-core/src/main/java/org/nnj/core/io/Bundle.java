package org.nnj.core.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nnj.api.DataFormatException;
import org.nnj.api.NnjException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of files committed together by a manifest ({@code manifest.json}: each file's SHA-256 and size).
 *
 * <p>Writing, so that a crash at any moment leaves either the previous complete set or the new one:
 * <ol>
 *   <li>finish a commit that a crash interrupted (step 4 below) so no committed file is lost, and delete the
 *       temporary files of writes a crash interrupted;</li>
 *   <li>write each file as {@code <name>.new} (temporary file, flushed, renamed atomically);</li>
 *   <li>write the manifest of the new files atomically: this is the commit;</li>
 *   <li>rename each {@code <name>.new} over {@code <name>} and delete files of earlier sets that the manifest does
 *       not list.</li>
 * </ol>
 * Opening verifies every listed file against the manifest, taking {@code <name>.new} where {@code <name>} is still
 * the old one (a crash between steps 3 and 4). One writer at a time.
 */
final class Bundle {
    static final String MANIFEST = "manifest.json";
    static final String FORMAT = "nnj-manifest";
    static final int VERSION = 1;
    private static final String PENDING = ".new";
    private static final int MAX_MANIFEST_BYTES = 1 << 16;
    /** How many times {@link #read} reads a set that keeps changing under it before it reports the failure. */
    private static final int MAX_OPEN_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(Bundle.class);

    private Bundle() {
    }

    /**
     * Writes {@code files} (name → content) into {@code dir} as one set.
     *
     * @param known every file name this kind of directory may hold: those not in {@code files} are deleted
     * @throws NnjException naming the file if a file cannot be written
     */
    static void write(Path dir, Map<String, AtomicFiles.Content> files, Set<String> known) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NnjException("cannot create directory " + dir + ": " + IoErrors.describe(e), e);
        }
        finishPendingCommit(dir);
        deleteTemporaryFiles(dir, files.keySet(), known);
        JsonObject list = new JsonObject();
        try {
            for (Map.Entry<String, AtomicFiles.Content> f : files.entrySet()) {
                Path pending = dir.resolve(f.getKey() + PENDING);
                String sha = AtomicFiles.write(pending, f.getValue());
                JsonObject o = new JsonObject();
                o.addProperty("sha256", sha);
                try {
                    o.addProperty("bytes", Files.size(pending));
                } catch (IOException e) {
                    throw new NnjException("cannot read the size of " + pending + ": " + IoErrors.describe(e), e);
                }
                list.add(f.getKey(), o);
            }
            JsonObject manifest = new JsonObject();
            manifest.addProperty("format", FORMAT);
            manifest.addProperty("version", VERSION);
            manifest.add("files", list);
            AtomicFiles.write(dir.resolve(MANIFEST), Json.write(manifest).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // not committed: the pending files of this write are garbage (a full disk stays full otherwise); the
            // files of the set committed before, if any, are untouched
            for (String name : files.keySet()) {
                try {
                    Files.deleteIfExists(dir.resolve(name + PENDING));
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
        try {
            for (String name : files.keySet()) {
                AtomicFiles.move(dir.resolve(name + PENDING), dir.resolve(name));
            }
            for (String name : known) {
                if (!files.containsKey(name)) {
                    Files.deleteIfExists(dir.resolve(name));
                    Files.deleteIfExists(dir.resolve(name + PENDING));
                }
            }
        } catch (IOException e) {
            throw new NnjException("cannot finish writing " + dir + " (the new files are committed and will be "
                    + "found): " + IoErrors.describe(e), e);
        }
        AtomicFiles.syncDirectory(dir);
        log.debug("wrote {} {}", dir, files.keySet());
    }

    /**
     * Deletes the temporary files that writes killed before their rename left behind ({@code .<name>.<digits>.tmp}
     * and {@code .<name>.new.<digits>.tmp}, see {@link AtomicFiles#write}), for this directory's own file names only:
     * they are never read, but each kill would leave another.
     */
    private static void deleteTemporaryFiles(Path dir, Set<String> names, Set<String> known) {
        Set<String> ours = new java.util.HashSet<>(known);
        ours.addAll(names);
        ours.add(MANIFEST);
        try (java.util.stream.Stream<Path> all = Files.list(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".tmp") && ours.stream().anyMatch(o -> n.startsWith("." + o + "."))) {
                    Files.deleteIfExists(p);
                    log.debug("deleted {}, left by an interrupted save", p);
                }
            }
        } catch (IOException e) {
            log.warn("cannot delete temporary files in {}: {}", dir, e.toString());
        }
    }

    /** Step 4 of an earlier write that a crash interrupted: only where the pending file is the committed one. */
    private static void finishPendingCommit(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            return;
        }
        Map<String, String[]> listed;
        try {
            listed = readManifest(manifest);
        } catch (DataFormatException e) {
            log.warn("ignoring an unreadable earlier manifest while writing {}: {}", dir, e.getMessage());
            return;
        }
        for (Map.Entry<String, String[]> f : listed.entrySet()) {
            Path pending = dir.resolve(f.getKey() + PENDING);
            if (Files.exists(pending) && !matches(dir.resolve(f.getKey()), f.getValue())
                    && matches(pending, f.getValue())) {
                try {
                    AtomicFiles.move(pending, dir.resolve(f.getKey()));
                    log.info("completed an interrupted save of {}", dir.resolve(f.getKey()));
                } catch (IOException e) {
                    throw new NnjException("cannot complete an interrupted save of " + dir + ": "
                            + IoErrors.describe(e), e);
                }
            }
        }
    }

    /**
     * Verifies the set in {@code dir} and returns where to read each listed file (only the {@code required} ones if
     * {@code requiredOnly}). Readers go through {@link #read}, which starts again if a run commits a new set meanwhile.
     *
     * @param required files that must be listed
     * @throws DataFormatException naming the file if the manifest or a file is missing, of an unknown version, or
     *     does not match its checksum
     */
    static Map<String, Path> open(Path dir, List<String> required, boolean requiredOnly) {
        Path manifest = dir.resolve(MANIFEST);
        Map<String, String[]> listed = readManifest(manifest);
        for (String r : required) {
            if (!listed.containsKey(r)) {
                throw new DataFormatException(manifest + ": expected an entry for " + r + ", found only "
                        + listed.keySet());
            }
        }
        Map<String, Path> where = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> f : listed.entrySet()) {
            if (requiredOnly && !required.contains(f.getKey())) {
                continue;
            }
            Path p = dir.resolve(f.getKey());
            if (!matches(p, f.getValue())) {
                Path pending = dir.resolve(f.getKey() + PENDING);
                if (Files.exists(pending) && matches(pending, f.getValue())) {
                    p = pending;
                } else if (matches(p, f.getValue())) {
                    // the committing run renamed the pending file over it between the two checks above
                } else if (!Files.exists(p)) {
                    throw new DataFormatException(p + ": missing file (listed in " + MANIFEST + ")");
                } else {
                    throw new DataFormatException(p + ": checksum mismatch: expected SHA-256 " + f.getValue()[0]
                            + " as " + MANIFEST + " records, found " + AtomicFiles.sha256(p));
                }
            }
            where.put(f.getKey(), p);
        }
        return where;
    }

    /**
     * Opens the set as {@link #open(Path, List, boolean)} does and reads it with {@code reader}, again from the start
     * if reading fails while a run commits a new set (the manifest changed meanwhile, or a file had to be read from
     * its pending name, which the commit then renames).
     */
    static <T> T read(Path dir, List<String> required, boolean requiredOnly,
                      Function<Map<String, Path>, T> reader) {
        Path manifest = dir.resolve(MANIFEST);
        for (int attempt = 1; ; attempt++) {
            byte[] before = manifestBytes(manifest);
            Map<String, Path> where = null;
            try {
                where = open(dir, required, requiredOnly);
                return reader.apply(where);
            } catch (DataFormatException e) {
                boolean pending = where != null
                        && where.values().stream().anyMatch(p -> p.getFileName().toString().endsWith(PENDING));
                byte[] after = manifestBytes(manifest);
                boolean changed = before != null && after != null && !Arrays.equals(before, after);
                if (attempt == MAX_OPEN_ATTEMPTS || !(pending || changed)) {
                    throw e;
                }
                log.debug("{} changed while it was being read ({}); reading it again", dir, e.getMessage());
            }
        }
    }

    /** The manifest's bytes, or null if it cannot be read or is too large to be one. */
    private static byte[] manifestBytes(Path manifest) {
        try {
            return Files.size(manifest) > MAX_MANIFEST_BYTES ? null : Files.readAllBytes(manifest);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean matches(Path file, String[] shaAndSize) {
        try {
            return Files.isRegularFile(file) && Long.toString(Files.size(file)).equals(shaAndSize[1])
                    && AtomicFiles.sha256(file).equals(shaAndSize[0]);
        } catch (IOException | DataFormatException e) {
            return false;
        }
    }

    /** name → {sha256, size} in the manifest's order. */
    private static Map<String, String[]> readManifest(Path manifest) {
        String source = manifest.toString();
        byte[] bytes = AtomicFiles.readAll(manifest, MAX_MANIFEST_BYTES);
        JsonObject o = Json.object(Json.parse(AtomicFiles.utf8(bytes, source), source), "the manifest", source);
        String format = Json.string(Json.required(o, "format", "the manifest", source), "\"format\"", source);
        if (!format.equals(FORMAT)) {
            throw new DataFormatException(source + ": expected \"format\": \"" + FORMAT + "\", found " + Json.quote(format));
        }
        long version = Json.integer(Json.required(o, "version", "the manifest", source), 0, Integer.MAX_VALUE,
                "\"version\"", source);
        if (version != VERSION) {
            throw new DataFormatException(source + ": unsupported " + FORMAT + " version " + version
                    + "; this nnj reads version " + VERSION);
        }
        Json.onlyKeys(o, Set.of("format", "version", "files"), "the manifest", source);
        JsonObject files = Json.object(Json.required(o, "files", "the manifest", source), "\"files\"", source);
        Map<String, String[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> f : files.entrySet()) {
            String name = f.getKey();
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new DataFormatException(source + ": expected a plain file name, found \"" + name + "\"");
            }
            JsonObject fo = Json.object(f.getValue(), "files." + name, source);
            Json.onlyKeys(fo, Set.of("sha256", "bytes"), "files." + name, source);
            String sha = Json.string(Json.required(fo, "sha256", "files." + name, source), "files." + name + ".sha256",
                    source);
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new DataFormatException(source + ": expected files." + name
                        + ".sha256 to be 64 lower-case hex digits, found " + Json.quote(sha));
            }
            long size = Json.integer(Json.required(fo, "bytes", "files." + name, source), 0, Long.MAX_VALUE,
                    "files." + name + ".bytes", source);
            out.put(name, new String[] {sha, Long.toString(size)});
        }
        return out;
    }
}
