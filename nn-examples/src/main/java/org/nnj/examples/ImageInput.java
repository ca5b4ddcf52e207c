package org.nnj.examples;

import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.ZipException;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.nnj.api.DataFormatException;
import org.nnj.data.mnist.IdxImages;
import org.nnj.data.mnist.IdxReader;

/**
 * Turns image files into MNIST-like samples: {@code height × width} unsigned bytes, row-major, a light object on a
 * dark background.
 *
 * <ul>
 *   <li>PNG, JPEG (and whatever else {@code javax.imageio} reads: GIF, BMP), grayscale or colour: each pixel's
 *       luminance (Rec. 601: 0.299 R + 0.587 G + 0.114 B; transparent pixels are composited over white). If the
 *       median of the border pixels is brighter than mid-grey the object is dark on light, as ink on paper, and the
 *       image is inverted. Then the background level (the border's median) is subtracted and the rest stretched back
 *       to 0–255, so that grey paper becomes black; an MNIST image, whose border is 0, is left exactly as it is.
 *       Finally the image is resampled to the target size: by area averaging where it shrinks (each target pixel the
 *       mean of the source area it covers), bilinearly where it grows; an image already of the target size is not
 *       resampled.</li>
 *   <li>IDX image files ({@code 00 00 08 03}, raw or gzipped): every image inside, named {@code FILE[i]}, taken as
 *       they are (MNIST's format is already light on dark), resampled only if not of the target size. A file that
 *       holds no image is an error.</li>
 * </ul>
 *
 * <p>Size limit: images of more than {@value #MAX_SIDE} pixels on either side are refused, before their pixels are
 * decoded (the width and height are read from the file's header first), so that a small file declaring a huge image
 * (a "decompression bomb") fails at once with a clear message instead of exhausting memory. Decoding an image of the
 * largest size takes about 1 GB of heap (the decoded image plus 8 bytes a pixel); if memory runs out anyway, that
 * file is reported and the others are still read.
 *
 * <p>The kind of a file is decided by its first bytes, not its name. Every failure is a {@link DataFormatException}
 * whose one-line message names the file and says in words what is wrong with it. Runs headless: nothing here opens a
 * window.
 */
final class ImageInput {
    /** The images of one file; {@code names.get(i)} labels {@code pixels.get(i)}. */
    record Images(List<String> names, List<byte[]> pixels, boolean inverted) {
    }

    /** The largest width and height read, in pixels: larger images are refused before they are decoded. */
    static final int MAX_SIDE = 8192;

    private ImageInput() {
    }

    /**
     * Reads every image of {@code file}, as {@code height × width} bytes each.
     *
     * @param name the file's name as the user gave it, for the image names and messages
     * @throws DataFormatException naming the file if it is missing, unreadable, of an unknown format or corrupt
     */
    static Images read(Path file, String name, int height, int width) {
        byte[] head = head(file, name);
        if (isIdx(head)) {
            IdxImages idx = IdxReader.readImages(file);
            if (idx.count() == 0) {
                throw new DataFormatException(name + ": no images (an IDX image file whose count is 0)");
            }
            checkSize(name, idx.cols(), idx.rows());
            List<String> names = new ArrayList<>(idx.count());
            List<byte[]> pixels = new ArrayList<>(idx.count());
            byte[] all = idx.pixels();
            int size = idx.rows() * idx.cols();
            for (int i = 0; i < idx.count(); i++) {
                names.add(name + "[" + i + "]");
                byte[] one = Arrays.copyOfRange(all, i * size, (i + 1) * size);
                pixels.add(idx.rows() == height && idx.cols() == width ? one
                        : toBytes(resample(toDoubles(one), idx.cols(), idx.rows(), width, height)));
            }
            return new Images(names, pixels, false);
        }
        try {
            Gray g = luminance(decode(file, name, head));
            boolean inverted = normalise(g);
            byte[] out = g.width == width && g.height == height ? toBytes(g.values)
                    : toBytes(resample(g.values, g.width, g.height, width, height));
            return new Images(List.of(name), List.of(out), inverted);
        } catch (OutOfMemoryError e) {
            // what did not fit is garbage now: the next file may still be read
            throw new DataFormatException(name + ": not enough memory to process the image (Java heap "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB); give the JVM more, e.g. JAVA_OPTS=-Xmx2g, "
                    + "or scale the image down", e);
        }
    }

    /** A grayscale image, values 0–255 row-major. */
    static final class Gray {
        final int width;
        final int height;
        final double[] values;

        Gray(int width, int height, double[] values) {
            this.width = width;
            this.height = height;
            this.values = values;
        }
    }

    /**
     * Decodes an image file with {@code javax.imageio}, after checking the size its header declares.
     *
     * @throws DataFormatException if no reader knows the format, the image is too large, or decoding fails
     */
    private static BufferedImage decode(Path file, String name, byte[] head) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new DataFormatException(name + ": cannot read the file");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataFormatException(name + ": expected a PNG, JPEG or IDX image file, found "
                        + describe(head));
            }
            ImageReader reader = readers.next();
            int width = -1;
            int height = -1;
            try {
                reader.setInput(in, true, true);
                width = reader.getWidth(0);
                height = reader.getHeight(0);
                checkSize(name, width, height);
                return reader.read(0, reader.getDefaultReadParam());
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                if (e instanceof DataFormatException d) {
                    throw d;
                }
                if (outOfMemory(e)) {
                    // the decoded image (whose arrays are garbage now) did not fit
                    throw new DataFormatException(name + ": not enough memory to decode the " + width + " x " + height
                            + " image (Java heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB); give the "
                            + "JVM more, e.g. JAVA_OPTS=-Xmx2g, or scale the image down", e);
                }
                throw new DataFormatException(name + ": cannot read the " + reader.getFormatName().toUpperCase(
                        java.util.Locale.ROOT) + " image: " + cause(e), e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read the file: " + cause(e), e);
        }
    }

    /** Refuses images of more than {@link #MAX_SIDE} pixels on a side. */
    static void checkSize(String name, int width, int height) {
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new DataFormatException(String.format(java.util.Locale.ROOT, "%s: the image is %d x %d pixels; "
                    + "predict reads images of at most %d x %d (scale it down first)", name, width, height, MAX_SIDE,
                    MAX_SIDE));
        }
    }

    /**
     * Why reading failed, in words: the innermost causes that say something, without the image readers' wrappers
     * ("Error reading PNG image data", "Caught exception during read").
     */
    static String cause(Throwable e) {
        List<String> parts = new ArrayList<>();
        String wrapper = null;
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s*\\R\\s*", " ")
                    .replaceAll("[\\s:]+$", "").trim();
            if (t instanceof EOFException) {
                parts.add("the file ends before the image does (is it truncated?)");
            } else if (t instanceof ZipException) {
                parts.add("its compressed pixel data is corrupt" + (m.isEmpty() ? "" : " (" + m + ")"));
            } else if (t instanceof IIOException && t.getCause() != null) {
                // a reader's wrapper: what it wraps says more; kept in case that has no message
                wrapper = wrapper == null && !m.isEmpty() ? m : wrapper;
            } else if (!m.isEmpty()) {
                parts.add(m);
            } else if (t.getCause() == null) {
                parts.add((wrapper == null ? "" : wrapper + ": ") + t.getClass().getSimpleName());
            }
        }
        return parts.isEmpty() ? Main.oneLine(e) : String.join(": ", parts);
    }

    private static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static byte[] head(Path file, String name) {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(name + ": expected an image file, found a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(name + ": no such file", e);
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + Main.oneLine(e) + ")", e);
        }
    }

    /** An IDX file of unsigned bytes ({@code 00 00 08}), or a gzip stream (IdxReader checks what is inside). */
    private static boolean isIdx(byte[] h) {
        return h.length >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 8
                || h.length >= 2 && (h[0] & 0xFF) == 0x1f && (h[1] & 0xFF) == 0x8b;
    }

    private static String describe(byte[] h) {
        if (h.length == 0) {
            return "an empty file";
        }
        if (h.length >= 4 && h[0] == 0 && h[1] == 0 && h[2] != 8 && (h[2] & 0xFF) >= 0x09 && (h[2] & 0xFF) <= 0x0E) {
            // an IDX file of another element type: nnj reads unsigned bytes (0x08), as MNIST's images are
            String type = switch (h[2]) {
                case 0x09 -> "signed byte";
                case 0x0B -> "short";
                case 0x0C -> "int";
                case 0x0D -> "float";
                case 0x0E -> "double";
                default -> "unknown";
            };
            return String.format("an IDX file of element type 0x%02x (%s); IDX images must be unsigned bytes (0x08)",
                    h[2], type);
        }
        StringBuilder b = new StringBuilder("a file starting with bytes");
        for (int i = 0; i < Math.min(4, h.length); i++) {
            b.append(String.format(" %02x", h[i] & 0xFF));
        }
        return b.toString();
    }

    /**
     * Rec. 601 luminance, 0–255; transparent pixels over white; a grey pixel (r = g = b) keeps its exact level. A
     * grayscale image (one band, or grey and alpha) is read from its raster: {@code getRGB} would pass its levels
     * through a linear-to-sRGB conversion and change them.
     */
    static Gray luminance(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        java.awt.image.Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean grayAlpha = bands == 2 && image.getColorModel().hasAlpha();
        if (image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && (bands == 1 || grayAlpha) && image.getColorModel() instanceof java.awt.image.ComponentColorModel) {
            double max = (1L << raster.getSampleModel().getSampleSize(0)) - 1;
            double amax = grayAlpha ? (1L << raster.getSampleModel().getSampleSize(1)) - 1 : 1;
            double[] v = new double[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double g = raster.getSample(x, y, 0) * 255.0 / max;
                    if (grayAlpha) {
                        double a = raster.getSample(x, y, 1) / amax;
                        g = a * g + (1 - a) * 255;
                    }
                    v[y * w + x] = g;
                }
            }
            return new Gray(w, h, v);
        }
        boolean alpha = image.getColorModel().hasAlpha();
        double[] v = new double[w * h];
        int[] argb = new int[w];
        for (int i = 0; i < v.length; i++) {
            if (i % w == 0) {
                // a row at a time: a large image's pixels are not copied whole once more
                image.getRGB(0, i / w, w, 1, argb, 0, w);
            }
            int p = argb[i % w];
            int r = (p >> 16) & 0xFF;
            int g = (p >> 8) & 0xFF;
            int b = p & 0xFF;
            double y = r == g && g == b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
            if (alpha) {
                double a = ((p >>> 24) & 0xFF) / 255.0;
                y = a * y + (1 - a) * 255;
            }
            v[i] = y;
        }
        return new Gray(w, h, v);
    }

    /**
     * Inverts a dark-on-light image, then maps the background level (the border's median) to 0 and stretches the
     * rest to 0–255.
     *
     * @return true if the image was inverted
     */
    static boolean normalise(Gray g) {
        double border = borderMedian(g);
        boolean invert = border > 127.5;
        double[] v = g.values;
        if (invert) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 255 - v[i];
            }
            border = 255 - border;
        }
        if (border > 0) {
            double gain = 255 / (255 - border);
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(0, v[i] - border) * gain;
            }
        }
        return invert;
    }

    /** The median of the outermost ring of pixels, one pixel wide per 28 of the shorter side (at least one). */
    static double borderMedian(Gray g) {
        int ring = Math.max(1, Math.min(g.width, g.height) / 28);
        long inner = (long) Math.max(0, g.width - 2 * ring) * Math.max(0, g.height - 2 * ring);
        double[] b = new double[(int) ((long) g.width * g.height - inner)];
        int n = 0;
        for (int y = 0; y < g.height; y++) {
            for (int x = 0; x < g.width; x++) {
                if (y < ring || y >= g.height - ring || x < ring || x >= g.width - ring) {
                    b[n++] = g.values[y * g.width + x];
                }
            }
        }
        Arrays.sort(b, 0, n);
        return n % 2 == 1 ? b[n / 2] : (b[n / 2 - 1] + b[n / 2]) / 2;
    }

    /**
     * Resamples a {@code sw × sh} image to {@code dw × dh}, each axis on its own: by area averaging where it shrinks
     * (a target pixel is the coverage-weighted mean of the source pixels under it), bilinearly (pixel centres
     * aligned) where it grows or keeps its size.
     */
    static double[] resample(double[] src, int sw, int sh, int dw, int dh) {
        double[][] wx = weights(sw, dw);
        double[][] wy = weights(sh, dh);
        int[] x0 = first(sw, dw);
        int[] y0 = first(sh, dh);
        double[] tmp = new double[sh * dw];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < dw; x++) {
                double s = 0;
                for (int k = 0; k < wx[x].length; k++) {
                    s += wx[x][k] * src[y * sw + x0[x] + k];
                }
                tmp[y * dw + x] = s;
            }
        }
        double[] out = new double[dh * dw];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                double s = 0;
                for (int k = 0; k < wy[y].length; k++) {
                    s += wy[y][k] * tmp[(y0[y] + k) * dw + x];
                }
                out[y * dw + x] = s;
            }
        }
        return out;
    }

    /** For each target index along an axis, the weights of source indices {@code first[i], first[i] + 1, …}. */
    private static double[][] weights(int n, int m) {
        double[][] w = new double[m][];
        double scale = (double) n / m;
        for (int i = 0; i < m; i++) {
            if (m < n) {
                double lo = i * scale;
                double hi = (i + 1) * scale;
                int a = (int) Math.floor(lo);
                int b = Math.min(n, (int) Math.ceil(hi));
                w[i] = new double[b - a];
                for (int k = a; k < b; k++) {
                    w[i][k - a] = (Math.min(hi, k + 1) - Math.max(lo, k)) / scale;
                }
            } else {
                double c = Math.min(n - 1, Math.max(0, (i + 0.5) * scale - 0.5));
                int a = Math.min((int) Math.floor(c), Math.max(0, n - 2));
                double f = c - a;
                w[i] = n == 1 ? new double[] {1} : new double[] {1 - f, f};
            }
        }
        return w;
    }

    private static int[] first(int n, int m) {
        int[] f = new int[m];
        double scale = (double) n / m;
        for (int i = 0; i < m; i++) {
            if (m < n) {
                f[i] = (int) Math.floor(i * scale);
            } else {
                double c = Math.min(n - 1, Math.max(0, (i + 0.5) * scale - 0.5));
                f[i] = n == 1 ? 0 : Math.min((int) Math.floor(c), n - 2);
            }
        }
        return f;
    }

    private static double[] toDoubles(byte[] b) {
        double[] v = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xFF;
        }
        return v;
    }

    /** Rounds to the nearest level (halves up) and clamps to 0–255. */
    static byte[] toBytes(double[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
        }
        return b;
    }
}
