package org.nnj.data.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A gzip (RFC 1952) decompressor that, unlike {@link java.util.zip.GZIPInputStream}, refuses bytes after the last
 * member: {@code GZIPInputStream} reads concatenated members but silently ignores anything after them that does not
 * start another one, so a gzip file with garbage appended would read as intact. Each member's CRC-32 and length are
 * checked. A stream that ends early throws {@link EOFException}; corrupt data, a bad trailer and trailing bytes throw
 * {@link ZipException}. Not thread-safe.
 */
final class StrictGzipInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final PushbackInputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf;
    private int filled;
    private long size;
    private boolean eof;
    private final byte[] one = new byte[1];

    StrictGzipInputStream(InputStream raw, int bufferSize) throws IOException {
        buf = new byte[bufferSize];
        in = new PushbackInputStream(raw, bufferSize);
        readHeader(true);
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(e.getMessage() == null ? "invalid deflate data" : e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                size += n;
                return n;
            }
            if (inflater.finished()) {
                int rest = inflater.getRemaining();
                if (rest > 0) {
                    in.unread(buf, filled - rest, rest);
                }
                readTrailer();
                int next = in.read();
                if (next == -1) {
                    eof = true;
                } else {
                    in.unread(next);
                    readHeader(false);
                }
            } else if (inflater.needsDictionary()) {
                throw new ZipException("a deflate stream that needs a preset dictionary");
            } else if (inflater.needsInput()) {
                filled = in.read(buf, 0, buf.length);
                if (filled == -1) {
                    throw new EOFException("the compressed data ends before its end marker");
                }
                inflater.setInput(buf, 0, filled);
            }
        }
        return -1;
    }

    private void readHeader(boolean first) throws IOException {
        int id1 = in.read();
        int id2 = in.read();
        if (id1 != 0x1f || id2 != 0x8b) {
            if (first) {
                throw new ZipException("not in gzip format");
            }
            int more = id1 == -1 ? 0 : id2 == -1 ? 1 : 2;
            long after = more == 2 ? 2 + in.skip(Long.MAX_VALUE) : more;
            throw new ZipException(after + " trailing bytes after the gzip data");
        }
        byte[] h = readFully(8, "header");
        if ((h[0] & 0xFF) != 8) {
            throw new ZipException("compression method " + (h[0] & 0xFF) + ", expected 8 (deflate)");
        }
        int flags = h[1] & 0xFF;
        if ((flags & FEXTRA) != 0) {
            byte[] x = readFully(2, "header");
            readFully((x[0] & 0xFF) | (x[1] & 0xFF) << 8, "header");
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            readFully(2, "header");
        }
        inflater.reset();
        crc.reset();
        size = 0;
    }

    private void readTrailer() throws IOException {
        byte[] t = readFully(8, "trailer");
        long storedCrc = le32(t, 0);
        long storedSize = le32(t, 4);
        if (storedCrc != crc.getValue()) {
            throw new ZipException("CRC-32 mismatch: the trailer records " + Long.toHexString(storedCrc)
                    + ", the data has " + Long.toHexString(crc.getValue()));
        }
        if (storedSize != (size & 0xFFFFFFFFL)) {
            throw new ZipException("length mismatch: the trailer records " + storedSize + " bytes, the data has "
                    + size);
        }
    }

    private byte[] readFully(int n, String part) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("the gzip " + part + " ends early");
        }
        return b;
    }

    private void skipZeroTerminated() throws IOException {
        for (int c = in.read(); c != 0; c = in.read()) {
            if (c == -1) {
                throw new EOFException("the gzip header ends early");
            }
        }
    }

    private static long le32(byte[] b, int o) {
        return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
