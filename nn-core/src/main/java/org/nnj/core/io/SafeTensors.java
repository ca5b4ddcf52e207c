package org.nnj.core.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.NnjException;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * The <a href="https://github.com/huggingface/safetensors">safetensors</a> format, for {@code F32} and {@code F64}
 * tensors: an unsigned 64-bit little-endian header length {@code N}, then {@code N} bytes of UTF-8 JSON
 *
 * <pre>{@code
 * {"__metadata__": {"producer": "nnj"},
 *  "Affine1.W": {"dtype": "F32", "shape": [784, 50], "data_offsets": [0, 156800]}, ...}
 * }</pre>
 *
 * then the tensors' bytes, little-endian and row-major, laid out back to back in the order of the header, offsets
 * counted from the start of the data. The header is padded with spaces to a multiple of 8 bytes, as Python's
 * {@code safetensors} writes it; Python's {@code safetensors.numpy.load_file} and plain NumPy read these files.
 *
 * <p>The reader trusts nothing: a header length beyond the file or above {@value #MAX_HEADER_BYTES} bytes is refused
 * before anything is allocated, as are a header that is not strict JSON, an unknown dtype, a shape whose size does not
 * match its offsets, offsets outside the data, overlapping or leaving holes, and bytes after the last tensor. Every
 * failure is a {@link DataFormatException} with a one-line message naming the file, what was expected and what was
 * found.
 *
 * <p>Stateless and thread-safe. Stability: evolving.
 */
public final class SafeTensors {
    /** The largest header accepted: 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key of the string-to-string metadata. */
    public static final String METADATA = "__metadata__";

    private static final int CHUNK = 1 << 16;
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private SafeTensors() {
    }

    /**
     * One tensor as the header describes it.
     *
     * @param name  its key
     * @param dtype {@code F32} or {@code F64}
     * @param shape its shape
     * @param begin first byte, relative to the data section
     * @param end   one past the last byte
     */
    public record Entry(String name, DType dtype, Shape shape, long begin, long end) {
    }

    /**
     * A parsed header: the tensors in the header's order, and the metadata.
     *
     * @param entries  name → entry, in the header's order (unmodifiable)
     * @param metadata the {@code __metadata__} strings, empty if none (unmodifiable)
     */
    public record Header(Map<String, Entry> entries, Map<String, String> metadata) {
    }

    /**
     * What a file holds.
     *
     * @param tensors  name → tensor, in the header's order (unmodifiable)
     * @param metadata the {@code __metadata__} strings (unmodifiable)
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** The safetensors name of a dtype: {@code F32} or {@code F64}. */
    public static String dtypeName(DType dtype) {
        return dtype == DType.FLOAT32 ? "F32" : "F64";
    }

    /**
     * Writes {@code tensors} (in the map's order) to {@code file} crash-safely: a temporary file, flushed, renamed
     * atomically.
     *
     * @param metadata strings stored under {@code __metadata__}; may be empty
     * @throws IllegalArgumentException if a name is empty or {@value #METADATA}
     * @throws NnjException naming the file if it cannot be written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        checkNames(tensors);
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    /**
     * Writes the format to a stream (not closed).
     *
     * @throws IllegalArgumentException if a name is empty or {@value #METADATA}
     */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        checkNames(tensors);
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach((k, v) -> meta.addProperty(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", dtypeName(t.dtype()));
            JsonArray shape = new JsonArray();
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            o.add("shape", shape);
            long bytes = (long) t.size() * t.dtype().byteSize();
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            o.add("data_offsets", offsets);
            header.add(e.getKey(), o);
            offset += bytes;
        }
        byte[] json = Json.writeCompact(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.max(CHUNK, 8)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        out.write(buf.array(), 0, 8);
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        for (Tensor t : tensors.values()) {
            writeData(out, t, buf);
        }
        out.flush();
    }

    private static void writeData(OutputStream out, Tensor t, ByteBuffer buf) throws IOException {
        double[] v = t.toDoubleArray();
        boolean f32 = t.dtype() == DType.FLOAT32;
        buf.clear();
        for (double x : v) {
            if (buf.remaining() < 8) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            if (f32) {
                buf.putFloat((float) x);
            } else {
                buf.putDouble(x);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static void checkNames(Map<String, Tensor> tensors) {
        for (String name : tensors.keySet()) {
            checkArgument(name != null && !name.isEmpty() && !name.equals(METADATA),
                    "a tensor name must be non-empty and not %s, got '%s'", METADATA, name);
        }
    }

    /**
     * Reads and checks the header only, without the tensors' data.
     *
     * @throws DataFormatException naming the file if it is missing, unreadable or not a valid safetensors file of
     *     {@code F32}/{@code F64} tensors
     */
    public static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file.toString());
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": missing file", e);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e, e);
        }
    }

    /**
     * Reads the whole file: every tensor, created on {@code backend}.
     *
     * @throws DataFormatException naming the file if it is missing, unreadable or not a valid safetensors file of
     *     {@code F32}/{@code F64} tensors
     */
    public static Contents read(Path file, Backend backend) {
        Objects.requireNonNull(backend, "backend");
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, source);
            long dataStart = dataStart(ch);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : h.entries().values()) {
                tensors.put(e.name(), readTensor(ch, dataStart, e, backend, source));
            }
            return new Contents(Collections.unmodifiableMap(tensors), h.metadata());
        } catch (NoSuchFileException e) {
            throw new DataFormatException(source + ": missing file", e);
        } catch (IOException e) {
            throw new DataFormatException(source + ": cannot read: " + e, e);
        }
    }

    private static long dataStart(FileChannel ch) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(len, 0);
        return 8 + len.getLong(0);
    }

    private static Tensor readTensor(FileChannel ch, long dataStart, Entry e, Backend backend, String source)
            throws IOException {
        int n = e.shape().size();
        double[] values = new double[n];
        int width = e.dtype().byteSize();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + e.begin();
        int done = 0;
        while (done < n) {
            buf.clear();
            buf.limit((int) Math.min(CHUNK, (long) (n - done) * width));
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    throw new DataFormatException(source + ": tensor '" + e.name() + "': expected "
                            + (e.end() - e.begin()) + " bytes, the file ended at byte " + pos);
                }
                pos += r;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                values[done++] = width == 4 ? buf.getFloat() : buf.getDouble();
            }
        }
        return backend.fromArray(e.dtype(), e.shape(), values);
    }

    private static Header readHeader(FileChannel ch, String source) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new DataFormatException(source + ": expected at least 8 bytes (the header length), found " + size);
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (len.hasRemaining()) {
            if (ch.read(len, len.position()) < 0) {
                throw new DataFormatException(source + ": expected 8 bytes of header length, the file ended");
            }
        }
        long n = len.getLong(0);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new DataFormatException(source + ": expected a header length in [2, " + MAX_HEADER_BYTES
                    + "] bytes, found " + Long.toUnsignedString(n));
        }
        if (n > size - 8) {
            throw new DataFormatException(source + ": header length " + n + " exceeds the file's remaining "
                    + (size - 8) + " bytes");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        while (hb.hasRemaining()) {
            if (ch.read(hb, 8L + hb.position()) < 0) {
                throw new DataFormatException(source + ": expected a header of " + n + " bytes, the file ended");
            }
        }
        String text = AtomicFiles.utf8(hb.array(), source);
        return parseHeader(Json.parse(text, source), size - 8 - n, source);
    }

    private static Header parseHeader(JsonElement tree, long dataLength, String source) {
        JsonObject o = Json.object(tree, "the safetensors header", source);
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> m : o.entrySet()) {
            String name = m.getKey();
            if (name.equals(METADATA)) {
                JsonObject meta = Json.object(m.getValue(), METADATA, source);
                for (Map.Entry<String, JsonElement> kv : meta.entrySet()) {
                    metadata.put(kv.getKey(), Json.string(kv.getValue(), METADATA + "." + kv.getKey(), source));
                }
                continue;
            }
            if (name.isEmpty()) {
                throw new DataFormatException(source + ": expected tensor names, found an empty name");
            }
            entries.put(name, entry(name, m.getValue(), dataLength, source));
        }
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin() != expected) {
                throw new DataFormatException(source + ": tensor '" + e.name() + "': expected data to start at byte "
                        + expected + " (right after the previous tensor), found " + e.begin()
                        + (e.begin() < expected ? " (overlapping)" : " (a hole)"));
            }
            expected = e.end();
        }
        if (expected != dataLength) {
            throw new DataFormatException(source + ": expected " + expected + " bytes of tensor data, found "
                    + dataLength + " (" + (dataLength - expected) + " trailing bytes)");
        }
        return new Header(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    private static Entry entry(String name, JsonElement value, long dataLength, String source) {
        String where = "tensor '" + name + "'";
        JsonObject o = Json.object(value, where, source);
        Json.onlyKeys(o, ENTRY_KEYS, where, source);
        String dt = Json.string(Json.required(o, "dtype", where, source), where + " dtype", source);
        DType dtype;
        switch (dt) {
            case "F32": dtype = DType.FLOAT32; break;
            case "F64": dtype = DType.FLOAT64; break;
            default:
                throw new DataFormatException(source + ": " + where + ": expected dtype F32 or F64, found " + Json.printable(dt));
        }
        JsonArray dims = Json.array(Json.required(o, "shape", where, source), where + " shape", source);
        if (dims.size() > 32) {
            throw new DataFormatException(source + ": " + where + ": expected at most 32 dimensions, found "
                    + dims.size());
        }
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) Json.integer(dims.get(i), 0, Integer.MAX_VALUE, where + " shape[" + i + "]", source);
        }
        Shape shape;
        try {
            shape = Shape.of(d);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": " + where + ": " + e.getMessage());
        }
        JsonArray off = Json.array(Json.required(o, "data_offsets", where, source), where + " data_offsets", source);
        if (off.size() != 2) {
            throw new DataFormatException(source + ": " + where + ": expected data_offsets [begin, end], found "
                    + Json.describe(off));
        }
        long begin = Json.integer(off.get(0), 0, dataLength, where + " data_offsets[0]", source);
        long end = Json.integer(off.get(1), 0, dataLength, where + " data_offsets[1]", source);
        long bytes = (long) shape.size() * dtype.byteSize();
        if (end - begin != bytes) {
            throw new DataFormatException(source + ": " + where + ": expected data_offsets spanning " + bytes
                    + " bytes (shape " + shape + " of " + dt + "), found [" + begin + ", " + end + "]");
        }
        return new Entry(name, dtype, shape, begin, end);
    }
}
