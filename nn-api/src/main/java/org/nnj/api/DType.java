package org.nnj.api;

/**
 * Element type of a {@link Tensor}. Every backend supports both.
 *
 * <p>Stability: stable.
 */
public enum DType {
    /** IEEE 754 single precision: the default for training. */
    FLOAT32("float32", 4),
    /** IEEE 754 double precision: used for gradient checks and whenever the last digit matters. */
    FLOAT64("float64", 8);

    private final String label;
    private final int byteSize;

    DType(String label, int byteSize) {
        this.label = label;
        this.byteSize = byteSize;
    }

    /** Bytes per element: 4 or 8. */
    public int byteSize() {
        return byteSize;
    }

    /** The lower-case name used on the command line and in files ({@code float32}, {@code float64}). */
    public String label() {
        return label;
    }

    /**
     * Parses {@code float32}/{@code float64} (case-insensitive; {@code f32}, {@code f64}, {@code float}, {@code double}
     * are accepted too).
     *
     * @throws IllegalArgumentException naming the accepted values if {@code text} is none of them
     */
    public static DType parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "float32": case "f32": case "float":
                return FLOAT32;
            case "float64": case "f64": case "double":
                return FLOAT64;
            default:
                throw new IllegalArgumentException("unknown dtype '" + text + "', expected float32 or float64");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
