package org.nnj.data.mnist.download;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One file of a data set as it is published: its name on the mirrors (also its name on disk), its exact size and its
 * SHA-256.
 *
 * @param name   a plain file name such as {@code train-images-idx3-ubyte.gz}: no directory, no {@code ..}
 * @param size   the exact size in bytes; a download that grows beyond it is aborted
 * @param sha256 the SHA-256 of the file, 64 hexadecimal digits (stored in lower case)
 */
public record RemoteFile(String name, long size, String sha256) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Checks the name is a plain file name, the size positive and the checksum 64 hexadecimal digits. */
    public RemoteFile {
        checkArgument(name != null && NAME.matcher(name).matches() && !name.contains(".."),
                "file name '%s' must be a plain file name", name);
        checkArgument(size > 0, "%s: size must be positive, got %s", name, size);
        sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
        checkArgument(sha256 != null && HEX64.matcher(sha256).matches(),
                "%s: SHA-256 must be 64 hexadecimal digits, got '%s'", name, sha256);
    }
}
