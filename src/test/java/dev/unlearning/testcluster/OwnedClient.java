package dev.unlearning.testcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * A KubernetesClient together with the Vert.x instance it runs on, closed with it. fabric8's default Vert.x
 * client factory leaves its own instance's event-loop threads running after the client is closed, and
 * those non-daemon threads kept the benchmark and demo JVMs alive after they had finished.
 */
public final class OwnedClient implements AutoCloseable {

    private final Vertx vertx;
    private final KubernetesClient client;

    private OwnedClient(Config config) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        this.client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new VertxHttpClientFactory(vertx)).build();
    }

    public static OwnedClient of(Config config) {
        return new OwnedClient(config);
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
