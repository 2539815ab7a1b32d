package dev.unlearning.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.DatasetSpec;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.engine.unlearning.ForgetRequests;
import dev.unlearning.store.S3BlobStore;
import dev.unlearning.store.S3TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Datasets and id lists on a real S3-compatible server: the Fashion-MNIST directory read from s3:// is the same
 * data as read from disk, a second read downloads nothing, a tampered cache is fetched again, and a missing object
 * or wrong credentials are data errors that name the URI.
 */
class S3DataFilesTest {

    @TempDir
    static Path backing;

    static S3TestServer server;

    @TempDir
    Path cache;

    @BeforeAll
    static void bucketWithFashionMnist() throws Exception {
        server = S3TestServer.start(backing, "datasets");
        try (Stream<Path> files = Files.list(FashionMnist.defaultDir())) {
            for (Path file : files.toList()) {
                server.client().putObject(b -> b.bucket("datasets").key("fashion-mnist/" + file.getFileName()),
                        RequestBody.fromFile(file));
            }
        }
        server.client().putObject(b -> b.bucket("datasets").key("lists/ids.txt"),
                RequestBody.fromString("train-3\n# a comment\ntrain-40\n", StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aDatasetOnS3IsTheSameDataAsOnDiskAndIsDownloadedOnce() throws Exception {
        DatasetSpec spec = new DatasetSpec();
        spec.setUri("s3://datasets/fashion-mnist/");
        Splits fromS3 = new DatasetLoader(resolver(server.client())).load(spec);
        Splits fromDisk = IdxDatasetReader.read(FashionMnist.defaultDir());
        assertThat(fromS3.train().digest()).isEqualTo(fromDisk.train().digest());
        assertThat(fromS3.test().digest()).isEqualTo(fromDisk.test().digest());

        Path images = cache.resolve("s3/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
        FileTime first = Files.getLastModifiedTime(images);
        spec.setUri("s3://datasets/fashion-mnist");
        assertThat(new DatasetLoader(resolver(server.client())).load(spec).train().digest())
                .isEqualTo(fromDisk.train().digest());
        assertThat(Files.getLastModifiedTime(images)).as("unchanged: not downloaded again").isEqualTo(first);

        byte[] bytes = Files.readAllBytes(images);
        bytes[100] ^= 0x5a;
        Files.write(images, bytes);
        new DatasetLoader(resolver(server.client())).load(spec);
        assertThat(Files.readAllBytes(images)).as("a tampered copy fails its MD5 and comes down again")
                .isEqualTo(Files.readAllBytes(FashionMnist.defaultDir().resolve("train-images-idx3-ubyte.gz")));
    }

    @Test
    void anIdListOnS3IsReadLikeALocalOne() throws Exception {
        Splits data = IdxDatasetReader.read(FashionMnist.defaultDir());
        ForgetSelector selector = new ForgetSelector();
        selector.setFromUri("s3://datasets/lists/ids.txt");
        assertThat(new ForgetRequests(resolver(server.client())).unionOf(List.of(selector), data.train()).recordIds())
                .containsExactly("train-3", "train-40");
    }

    @Test
    void aMissingObjectOrWrongCredentialsIsADataErrorNamingTheUri() {
        assertThatThrownBy(() -> resolver(server.client()).resolve("s3://datasets/no-such/data.csv"))
                .isInstanceOf(DataException.class).hasMessageContaining("s3://datasets/no-such/data.csv")
                .hasMessageContaining("no such object");
        S3Client intruder = S3BlobStore.compatible(S3Client.builder())
                .endpointOverride(URI.create(server.environment().get("AWS_ENDPOINT_URL")))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access",
                        "wrong-secret"))).build();
        assertThatThrownBy(() -> resolver(intruder).resolve("s3://datasets/lists/ids.txt"))
                .isInstanceOf(DataException.class).hasMessageContaining("s3://datasets/lists/ids.txt")
                .hasMessageContaining("access denied").hasMessageContaining("spec.dataset.secretRef");
        assertThatThrownBy(() -> resolver(server.client()).resolve("s3://datasets/../other/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.resolve("s3/datasets/lists")).doesNotExist();
    }

    private UriResolver resolver(S3Client client) {
        return UriResolver.withS3(cache, new S3DataFiles(() -> client, cache));
    }
}
