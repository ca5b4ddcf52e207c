package org.nnj.layers.spi;

import java.util.Locale;
import java.util.Set;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;

/** Parsing shared by the convolution and pooling providers: window sizes {@code 5} or {@code 3x5}, and image inputs. */
final class WindowSettings {
    private WindowSettings() {
    }

    /**
     * {@code key} as {@code {height, width}}: {@code 5} is {@code 5x5}, {@code 3x5} is 3 high and 5 wide.
     *
     * @param fallback used if the key is absent; null makes the key required
     * @throws IllegalArgumentException naming the provider, the key and the value if it is missing or malformed
     */
    static int[] size(String provider, Settings settings, String key, int[] fallback) {
        if (!settings.has(key)) {
            if (fallback == null) {
                throw new IllegalArgumentException(provider + ": setting " + key
                        + " is required (a size such as 5, or 3x5 for height 3 and width 5)");
            }
            return fallback.clone();
        }
        String text = settings.getString(key, "");
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 1 || parts.length == 2) {
                int h = Integer.parseInt(parts[0].trim());
                int w = parts.length == 1 ? h : Integer.parseInt(parts[1].trim());
                if (h >= 1 && w >= 1) {
                    return new int[] {h, w};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(provider + ": setting " + key + "=" + text
                + " is not a size such as 5 or 3x5 (height x width, each at least 1)");
    }

    /**
     * {@code key} as an int of at least {@code min}.
     *
     * @throws IllegalArgumentException naming the provider, the key and the value otherwise
     */
    static int atLeast(String provider, Settings settings, String key, int fallback, int min) {
        int v;
        try {
            v = settings.getInt(key, fallback);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(provider + ": " + e.getMessage(), e);
        }
        if (v < min) {
            throw new IllegalArgumentException(provider + ": setting " + key + "=" + v + " must be at least " + min);
        }
        return v;
    }

    /**
     * The context's per-sample input shape, which must be {@code (C, H, W)}.
     *
     * @throws ShapeException naming the provider and the shape otherwise
     */
    static Shape image(String provider, Shape input) {
        if (input.rank() != 3 || input.size() == 0) {
            throw new ShapeException(provider + ": per-sample input " + input
                    + " is not an image (C, H, W); put the layer after an image-shaped input or another image layer");
        }
        return input;
    }

    private static final Set<String> POOL_KEYS = Set.of("size", "stride", "pad");

    /**
     * A pooling provider's settings {@code size} (default 2), {@code stride} (default: the size, which must then be
     * square) and {@code pad} (default 0), checked against the context's input, which must be {@code (C, H, W)}.
     *
     * @return {@code {height, width, stride, pad}}
     * @throws IllegalArgumentException naming the provider and the setting if one is unknown, missing or malformed
     * @throws ShapeException naming the provider and the shape if the input is not an image
     */
    static int[] pool(String provider, Settings settings, LayerContext context) {
        SettingKeys.requireKnown(provider, settings, POOL_KEYS);
        int[] size = size(provider, settings, "size", new int[] {2, 2});
        if (!settings.has("stride") && size[0] != size[1]) {
            throw new IllegalArgumentException(provider + ": size=" + size[0] + "x" + size[1]
                    + " is not square, so setting stride must be given");
        }
        int stride = atLeast(provider, settings, "stride", size[0], 1);
        int pad = atLeast(provider, settings, "pad", 0, 0);
        if (pad >= size[0] || pad >= size[1]) {
            throw new IllegalArgumentException(provider + ": setting pad=" + pad + " must be smaller than the window "
                    + size[0] + "x" + size[1]);
        }
        image(provider, context.inputShape());
        return new int[] {size[0], size[1], stride, pad};
    }
}
