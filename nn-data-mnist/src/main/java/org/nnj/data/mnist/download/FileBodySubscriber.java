package org.nnj.data.mnist.download;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Streams a response body into a file channel while hashing it, refusing to grow beyond a limit, and remembering when
 * data last arrived so that a stalled transfer can be cancelled. Completes with the number of bytes written.
 */
final class FileBodySubscriber implements HttpResponse.BodySubscriber<Long> {
    private final FileChannel channel;
    private final MessageDigest digest;
    private final long limit;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile long lastData = System.nanoTime();
    private long written;

    FileBodySubscriber(FileChannel channel, MessageDigest digest, long limit) {
        this.channel = channel;
        this.digest = digest;
        this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        try {
            for (ByteBuffer b : buffers) {
                written += b.remaining();
                if (written > limit) {
                    throw new IOException("the body is longer than the expected " + limit + " bytes");
                }
                digest.update(b.duplicate());
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
            lastData = System.nanoTime();
            subscription.request(1);
        } catch (IOException | RuntimeException e) {
            subscription.cancel();
            result.completeExceptionally(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(written);
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    /** Nanoseconds since data last arrived (or since this subscriber was created). */
    long idleNanos() {
        return System.nanoTime() - lastData;
    }

    /** Stops the transfer; the body completes exceptionally with {@code why}. */
    void cancel(IOException why) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        result.completeExceptionally(why);
    }
}
