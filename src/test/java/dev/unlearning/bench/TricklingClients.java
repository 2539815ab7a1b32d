package dev.unlearning.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Slowloris: connections that each send one byte per tick and never finish, either inside the request head
 * or, after a complete head, inside the body. A connection the server closes is counted (with the status it
 * sent, if any, and how long it was held) and replaced, so the pressure stays constant. One thread drives
 * them all over non-blocking sockets.
 */
final class TricklingClients implements AutoCloseable {

    enum Part { HEAD, BODY }

    private final int port;
    private final String path;
    private final Part part;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private final List<Trickle> open = new ArrayList<>();
    final StatusCounts outcomes = new StatusCounts();
    private volatile double longestHeldSeconds;
    private volatile int opened;

    private final class Trickle {
        final SocketChannel channel;
        final long openedAt = System.nanoTime();
        final StringBuilder received = new StringBuilder();
        final byte[] script;
        int sent;

        Trickle() throws IOException {
            channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
            if (part == Part.BODY) {
                // The head arrives at once; the body is what crawls.
                channel.write(ByteBuffer.wrap((head + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                script = ("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,784],\"data\":["
                        + "0,".repeat(50_000)).getBytes(StandardCharsets.US_ASCII);
            } else {
                script = (head + "X-Padding: " + "a".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
            }
            opened++;
        }

        /** One tick: false once the server has closed the connection. */
        boolean tick() {
            try {
                ByteBuffer in = ByteBuffer.allocate(4096);
                int n;
                while ((n = channel.read(in)) > 0) {
                    received.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
                    in.clear();
                }
                if (n < 0) {
                    return false;
                }
                channel.write(ByteBuffer.wrap(script, sent++ % script.length, 1));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        void closedByServer() {
            double held = (System.nanoTime() - openedAt) / 1e9;
            longestHeldSeconds = Math.max(longestHeldSeconds, held);
            String text = received.toString();
            outcomes.add(text.startsWith("HTTP/1.1 ") ? text.substring(9, 12) : StatusCounts.NO_STATUS);
            try {
                channel.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    TricklingClients(int port, String path, Part part) {
        this.port = port;
        this.path = path;
        this.part = part;
    }

    void start(int connections, long tickMillis) throws IOException {
        for (int i = 0; i < connections; i++) {
            open.add(new Trickle());
        }
        ticks.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (int i = 0; i < open.size(); i++) {
            Trickle t = open.get(i);
            if (!t.tick()) {
                t.closedByServer();
                try {
                    open.set(i, new Trickle());
                } catch (IOException e) {
                    outcomes.add("could not reconnect: " + e.getMessage());
                }
            }
        }
    }

    int opened() {
        return opened;
    }

    double longestHeldSeconds() {
        return longestHeldSeconds;
    }

    @Override
    public void close() throws InterruptedException {
        ticks.shutdown();
        ticks.awaitTermination(10, TimeUnit.SECONDS);
        for (Trickle t : open) {
            try {
                t.channel.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
