package org.nnj.data.mnist.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An HTTP server on 127.0.0.1 (an ephemeral port) whose mirrors ({@code /a/}, {@code /b/}, ...) each behave as told:
 * serve files, answer 404, serve other bytes, break off in the middle of a body, or stall. Counts every request.
 */
public final class LoopbackServer implements AutoCloseable {
    public enum Behaviour { SERVE, NOT_FOUND, WRONG_BYTES, TRUNCATE, STALL, REDIRECT_TO_B }

    private final HttpServer server;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The base URI of mirror {@code name}, e.g. {@code http://127.0.0.1:port/a/}. */
    public URI mirror(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/");
    }

    public LoopbackServer behave(String mirror, Behaviour b) {
        behaviours.put(mirror, b);
        return this;
    }

    public LoopbackServer file(String name, byte[] content) {
        files.put(name, content);
        return this;
    }

    /** Every request path, in order. */
    public List<String> requests() {
        return requests;
    }

    public long requestsFor(String fileName) {
        return requests.stream().filter(p -> p.endsWith("/" + fileName)).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(path);
        String[] parts = path.split("/");
        Behaviour b = parts.length == 3 ? behaviours.getOrDefault(parts[1], Behaviour.NOT_FOUND) : Behaviour.NOT_FOUND;
        byte[] content = parts.length == 3 ? files.get(parts[2]) : null;
        try (ex) {
            if (content == null || b == Behaviour.NOT_FOUND) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            switch (b) {
                case SERVE:
                    send(ex, content, content.length);
                    break;
                case WRONG_BYTES:
                    byte[] wrong = content.clone();
                    wrong[wrong.length / 2] ^= 1;
                    send(ex, wrong, wrong.length);
                    break;
                case TRUNCATE:
                    // promise the whole file, send half of it, then drop the connection
                    send(ex, content, content.length / 2);
                    break;
                case STALL:
                    ex.sendResponseHeaders(200, content.length);
                    ex.getResponseBody().write(content, 0, content.length / 2);
                    ex.getResponseBody().flush();
                    sleep(5_000);
                    break;
                case REDIRECT_TO_B:
                    ex.getResponseHeaders().add("Location", mirror("b").resolve(parts[2]).toString());
                    ex.sendResponseHeaders(302, -1);
                    break;
                default:
                    throw new AssertionError(b);
            }
        } catch (IOException e) {
            // the client went away, or a truncated body: expected in some tests
        }
    }

    private static void send(HttpExchange ex, byte[] content, int bytes) throws IOException {
        ex.sendResponseHeaders(200, content.length);
        OutputStream out = ex.getResponseBody();
        out.write(content, 0, bytes);
        out.flush();
        // if bytes < content.length, closing the exchange with bytes missing makes the server drop the connection
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
