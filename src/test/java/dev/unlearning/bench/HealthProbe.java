package dev.unlearning.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a kubelet's liveness probe would see: GET /v2/health/live every interval, with the probe's own
 * timeout, on its own connection. A failure is any answer but 200 within the timeout.
 */
final class HealthProbe implements AutoCloseable {

    record Sample(double atSeconds, double latencyMs, boolean ok) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final URI live;
    private final long intervalMillis;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final long startedAt = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    HealthProbe(String liveUrl, long intervalMillis) {
        this.live = URI.create(liveUrl);
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::run, "health-probe");
        thread.start();
    }

    private void run() {
        while (running) {
            long t0 = System.nanoTime();
            boolean ok;
            try {
                ok = http.send(HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                ok = false;
            }
            long t1 = System.nanoTime();
            samples.add(new Sample((t0 - startedAt) / 1e9, (t1 - t0) / 1e6, ok));
            try {
                Thread.sleep(Math.max(0, intervalMillis - (t1 - t0) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
