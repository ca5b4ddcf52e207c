package org.nnj.data.mnist.download;

import static com.google.common.base.Preconditions.checkArgument;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where a data set's files can be fetched from and what they must be: the mirrors, tried in order, and the files with
 * their sizes and SHA-256 checksums. {@link #MNIST} and {@link #FASHION_MNIST} are the official ones; tests and users
 * with an internal mirror build their own.
 *
 * <p>Checksums and sizes of the official files (all four files of each set have a published SHA-256, so no weaker
 * digest is used):
 * <ul>
 *   <li>MNIST: tensorflow/datasets {@code tensorflow_datasets/url_checksums/mnist.txt} (the cvdf-datasets mirror);
 *       the same values appear in other independent downloaders. The MD5s torchvision lists
 *       ({@code f68b3c2d…} for the training images) describe the same bytes.</li>
 *   <li>Fashion-MNIST: tensorflow/datasets {@code tensorflow_datasets/url_checksums/fashion_mnist.txt} and Keras
 *       {@code keras/src/datasets/fashion_mnist.py} ({@code FILE_HASHES}), which agree.</li>
 * </ul>
 *
 * @param dataset the data set's provider name ({@code mnist}, {@code fashion-mnist})
 * @param mirrors base URIs ending in {@code /}, tried in order; a file's URI is {@code mirror.resolve(file.name())}
 * @param files   the files to fetch, in order
 */
public record DatasetSource(String dataset, List<URI> mirrors, List<RemoteFile> files) {

    /**
     * MNIST: PyTorch's mirror (ossci-datasets on S3), then TensorFlow's (cvdf-datasets on Google Cloud Storage). The
     * original site, yann.lecun.com, is not listed: it has answered 403 to downloaders for years.
     */
    public static final DatasetSource MNIST = new DatasetSource("mnist",
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            List.of(new RemoteFile("train-images-idx3-ubyte.gz", 9_912_422,
                            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
                    new RemoteFile("train-labels-idx1-ubyte.gz", 28_881,
                            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
                    new RemoteFile("t10k-images-idx3-ubyte.gz", 1_648_877,
                            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
                    new RemoteFile("t10k-labels-idx1-ubyte.gz", 4_542,
                            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")));

    /**
     * Fashion-MNIST: Zalando Research's S3 bucket (the address torchvision and tensorflow-datasets use; its website
     * endpoint serves plain HTTP only, which the pinned SHA-256 makes safe), then the copy Keras downloads from Google
     * Cloud Storage.
     */
    public static final DatasetSource FASHION_MNIST = new DatasetSource("fashion-mnist",
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    URI.create("https://storage.googleapis.com/tensorflow/tf-keras-datasets/")),
            List.of(new RemoteFile("train-images-idx3-ubyte.gz", 26_421_880,
                            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
                    new RemoteFile("train-labels-idx1-ubyte.gz", 29_515,
                            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
                    new RemoteFile("t10k-images-idx3-ubyte.gz", 4_422_102,
                            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
                    new RemoteFile("t10k-labels-idx1-ubyte.gz", 5_148,
                            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5")));

    /** Checks there is at least one mirror, each an http(s) URI ending in {@code /}, and at least one file. */
    public DatasetSource {
        checkArgument(dataset != null && !dataset.isBlank(), "a data set source needs a name");
        mirrors = List.copyOf(mirrors);
        files = List.copyOf(files);
        checkArgument(!mirrors.isEmpty(), "%s: at least one mirror is needed", dataset);
        checkArgument(!files.isEmpty(), "%s: at least one file is needed", dataset);
        for (URI m : mirrors) {
            String scheme = m.getScheme() == null ? "" : m.getScheme().toLowerCase(Locale.ROOT);
            checkArgument((scheme.equals("http") || scheme.equals("https")) && m.getPath() != null
                    && m.getPath().endsWith("/"), "%s: mirror %s must be an http(s) URI ending in /", dataset, m);
        }
    }

    /**
     * The official source of {@code mnist} or {@code fashion-mnist} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known data sets for any other name
     */
    public static DatasetSource official(String dataset) {
        String n = dataset == null ? "" : dataset.toLowerCase(Locale.ROOT);
        if (n.equals(MNIST.dataset())) {
            return MNIST;
        }
        if (n.equals(FASHION_MNIST.dataset())) {
            return FASHION_MNIST;
        }
        throw new IllegalArgumentException("no download source for data set '" + dataset
                + "', known: mnist, fashion-mnist");
    }
}
