package dev.unlearning.testcluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** One Open Inference Protocol v2 request, one 28×28 image, as a client of a served Fashion-MNIST model sends it. */
public final class InferenceProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BODY = "{\"inputs\":[{\"name\":\"images\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\","
            + "\"data\":[" + IntStream.range(0, 784).mapToObj(i -> i % 5 == 0 ? "0.5" : "0.0")
                    .collect(Collectors.joining(",")) + "]}]}";

    private InferenceProbe() {
    }

    /** POSTs the image to {@code http://<hostPort>/v2/models/<model>/infer}. */
    public static HttpResponse<String> infer(String hostPort, String model) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/models/" + model + "/infer"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
