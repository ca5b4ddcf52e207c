package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The pixel arithmetic of {@link ImageInput}, on values worked out by hand. */
class ImageInputTest {

    @Test
    void shrinkingAveragesTheAreaEachPixelCovers() {
        // 4x2 -> 2x1: each target pixel is the mean of a 2x2 block
        double[] src = {0, 10, 20, 30,
                        40, 50, 60, 70};
        assertArrayEquals(new double[] {25, 45}, ImageInput.resample(src, 4, 2, 2, 1), 1e-12);
        // 3 -> 2 along x: target 0 covers source [0, 1.5): (1·a + 0.5·b) / 1.5
        double[] row = {30, 60, 90};
        assertArrayEquals(new double[] {40, 80}, ImageInput.resample(row, 3, 1, 2, 1), 1e-12);
    }

    @Test
    void growingIsBilinearWithCentresAligned() {
        // 2 -> 4 along x: target centres at source 0 (clamped), 0.25, 0.75, 1 (clamped)
        double[] row = {0, 100};
        assertArrayEquals(new double[] {0, 25, 75, 100}, ImageInput.resample(row, 2, 1, 4, 1), 1e-12);
        // the same size is the identity, bit for bit
        double[] img = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(img, ImageInput.resample(img, 3, 2, 3, 2));
        // a constant image stays constant whatever the sizes
        double[] grey = new double[7 * 5];
        java.util.Arrays.fill(grey, 77);
        for (double v : ImageInput.resample(grey, 7, 5, 28, 28)) {
            assertEquals(77, v, 1e-9);
        }
        for (double v : ImageInput.resample(grey, 7, 5, 3, 2)) {
            assertEquals(77, v, 1e-9);
        }
    }

    @Test
    void darkInkOnLightPaperIsInvertedAndThePaperBecomesBlack() {
        // 5x5 paper at 215 with one stroke of ink at 15 in the middle
        double[] v = new double[25];
        java.util.Arrays.fill(v, 215);
        v[12] = 15;
        ImageInput.Gray g = new ImageInput.Gray(5, 5, v);
        assertEquals(215, ImageInput.borderMedian(g));
        assertTrue(ImageInput.normalise(g));
        assertEquals(0, g.values[0]);
        assertEquals((240 - 40) * 255 / 215.0, g.values[12], 1e-9, "ink 15, inverted 240, paper 40 taken away");
    }

    @Test
    void anMnistLikeImageIsLeftAsItIs() {
        double[] v = new double[25];
        v[12] = 200;
        v[13] = 3;
        ImageInput.Gray g = new ImageInput.Gray(5, 5, v.clone());
        assertFalse(ImageInput.normalise(g));
        assertArrayEquals(v, g.values);
    }

    @Test
    void theBorderMedianIgnoresADigitTouchingTheEdge() {
        double[] v = new double[36];
        for (int x = 0; x < 6; x++) {
            v[x] = 255; // the whole top row is ink: 6 of the 20 border pixels
        }
        assertEquals(0, ImageInput.borderMedian(new ImageInput.Gray(6, 6, v)));
    }

    @Test
    void colourIsLuminanceAndGreyIsExact() {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff0000);
        img.setRGB(1, 0, 0x00ff00);
        img.setRGB(2, 0, 0x7b7b7b);
        ImageInput.Gray g = ImageInput.luminance(img);
        assertArrayEquals(new double[] {0.299 * 255, 0.587 * 255, 123}, g.values, 1e-9);
    }

    @Test
    void greyImagesAreReadFromTheRasterNotThroughSrgb() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 100);
        img.getRaster().setSample(1, 0, 0, 7);
        assertArrayEquals(new double[] {100, 7}, ImageInput.luminance(img).values);
    }

    @Test
    void transparencyIsCompositedOverWhite() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000); // fully transparent black: white
        img.setRGB(1, 0, 0x80000000); // half-transparent black
        double[] v = ImageInput.luminance(img).values;
        assertEquals(255, v[0], 1e-9);
        assertEquals(255 * (1 - 128 / 255.0), v[1], 1e-9);
    }

    @Test
    void bytesAreRoundedAndClamped() {
        assertArrayEquals(new byte[] {0, 0, 2, (byte) 255, (byte) 255},
                ImageInput.toBytes(new double[] {-3, 0.4, 1.6, 254.5, 300}));
    }

    @Test
    void readErrorsAreTheCauseInWordsWithoutTheReadersWrappers() {
        // what javax.imageio throws for an image too large to allocate, a truncated file, corrupt compressed data
        assertEquals("Dimensions (width=20000 height=20000) are too large", ImageInput.cause(
                new javax.imageio.IIOException("Caught exception during read: ",
                        new IllegalArgumentException("Dimensions (width=20000 height=20000) are too large"))));
        assertEquals("the file ends before the image does (is it truncated?)", ImageInput.cause(
                new javax.imageio.IIOException("Error skipping PNG metadata", new java.io.EOFException())));
        assertEquals("its compressed pixel data is corrupt (invalid block type)", ImageInput.cause(
                new javax.imageio.IIOException("Error reading PNG image data",
                        new java.util.zip.ZipException("invalid block type"))));
        // a wrapper around a cause without a message keeps its own words
        assertEquals("Error reading PNG image data: IOException", ImageInput.cause(
                new javax.imageio.IIOException("Error reading PNG image data", new java.io.IOException())));
        assertEquals("Unsupported Image Type",
                ImageInput.cause(new javax.imageio.IIOException("Unsupported Image Type")));
    }

    @Test
    void theBorderMedianOfALargeImageNeedsOnlyItsRing() {
        // 280 x 56: a ring 2 pixels wide (56 / 28), 2·2·280 + 2·2·52 = 1328 pixels of 200, the inside 0
        double[] v = new double[280 * 56];
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 280; x++) {
                v[y * 280 + x] = y < 2 || y >= 54 || x < 2 || x >= 278 ? 200 : 0;
            }
        }
        assertEquals(200.0, ImageInput.borderMedian(new ImageInput.Gray(280, 56, v)));
    }
}
