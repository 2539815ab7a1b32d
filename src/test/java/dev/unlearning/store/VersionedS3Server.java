package dev.unlearning.store;

import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.ProjectPaths;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * A real S3-compatible server that keeps object versions (gofakes3, built from its Go module by
 * test-cluster/build.sh), on a free loopback port, with one bucket whose versioning is enabled: what a bucket with
 * versioning keeps after an overwrite or a delete is what erasure must reach.
 */
public final class VersionedS3Server implements AutoCloseable {

    private final Process process;
    private final S3Client s3;

    private VersionedS3Server(Process process, S3Client s3) {
        this.process = process;
        this.s3 = s3;
    }

    public static VersionedS3Server start(String bucket) throws IOException {
        Path binary = ProjectPaths.testClusterBin().resolve("gofakes3");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: run test-cluster/build.sh");
        }
        int port = LocalCluster.freePort();
        Process process = new ProcessBuilder(binary.toString(), "-backend", "memory", "-host", "127.0.0.1:" + port,
                "-initialbucket", bucket, "-quiet").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        S3Client s3 = S3TestServer.client(port, "test", "test");
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        return new VersionedS3Server(process, s3);
    }

    public S3Client client() {
        return s3;
    }

    @Override
    public void close() throws InterruptedException {
        s3.close();
        process.destroy();
        process.waitFor();
    }
}
