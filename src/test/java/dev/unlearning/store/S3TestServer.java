package dev.unlearning.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3-compatible server (S3Proxy over a local directory) on a free loopback port, and a client for it. */
public final class S3TestServer implements AutoCloseable {

    private final S3Proxy proxy;
    private final S3Client s3;

    private S3TestServer(S3Proxy proxy, S3Client s3) {
        this.proxy = proxy;
        this.s3 = s3;
    }

    public static S3TestServer start(Path backing, String... buckets) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", backing.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret")
                .build();
        proxy.start();
        Awaitility.await().until(() -> "STARTED".equals(proxy.getState()));
        S3Client s3 = client(proxy.getPort(), "test-access", "test-secret");
        for (String bucket : buckets) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return new S3TestServer(proxy, s3);
    }

    /** A path-style client of an S3-compatible server on this machine's loopback. */
    static S3Client client(int port, String accessKey, String secretKey) {
        return S3BlobStore.compatible(S3Client.builder())
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    public S3Client client() {
        return s3;
    }

    /** What a worker pod sees from the model's Secret and the store settings, to reach this server. */
    public Map<String, String> environment() {
        return Map.of("AWS_ACCESS_KEY_ID", "test-access", "AWS_SECRET_ACCESS_KEY", "test-secret",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + proxy.getPort(), "AWS_S3_FORCE_PATH_STYLE", "true");
    }

    @Override
    public void close() throws Exception {
        s3.close();
        proxy.stop();
    }
}
