package org.nnj.api;

/**
 * The geometry of a 2-D convolution or pooling window over inputs of shape {@code (n, channels, height, width)}:
 * a {@code kernelHeight × kernelWidth} window moved by {@code stride} over the input padded with {@code pad} zeros
 * on every side. Rectangular images and kernels are allowed.
 *
 * <p>{@code outHeight = (height + 2·pad − kernelHeight) / stride + 1}, likewise for the width; the division must be
 * exact only in the sense that the window fits at least once (the remainder is left out, as in PyTorch).
 *
 * @param channels     input channels {@code C}
 * @param height       input height {@code H}
 * @param width        input width {@code W}
 * @param kernelHeight window height
 * @param kernelWidth  window width
 * @param stride       step of the window, at least 1
 * @param pad          zero padding on each side, at least 0
 */
public record ConvGeometry(int channels, int height, int width, int kernelHeight, int kernelWidth, int stride,
                           int pad) {

    /**
     * @throws ShapeException if a size is not positive, the padding is negative, or the window does not fit
     */
    public ConvGeometry {
        if (channels < 1 || height < 1 || width < 1 || kernelHeight < 1 || kernelWidth < 1 || stride < 1 || pad < 0) {
            throw new ShapeException("window " + kernelHeight + "x" + kernelWidth + " stride " + stride + " pad " + pad
                    + " over (" + channels + ", " + height + ", " + width + "): sizes and stride must be positive,"
                    + " padding not negative");
        }
        if (height + 2 * pad < kernelHeight || width + 2 * pad < kernelWidth) {
            throw new ShapeException("window " + kernelHeight + "x" + kernelWidth + " does not fit the input ("
                    + channels + ", " + height + ", " + width + ") padded by " + pad);
        }
    }

    /** Output height. */
    public int outHeight() {
        return (height + 2 * pad - kernelHeight) / stride + 1;
    }

    /** Output width. */
    public int outWidth() {
        return (width + 2 * pad - kernelWidth) / stride + 1;
    }

    /** Elements of one window across all channels: {@code channels · kernelHeight · kernelWidth}. */
    public int windowSize() {
        return channels * kernelHeight * kernelWidth;
    }

    /** The per-sample input shape {@code (C, H, W)}. */
    public Shape inputShape() {
        return Shape.of(channels, height, width);
    }
}
