package dev.unlearning.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.training.ModelTraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 backend against a real S3-compatible server (S3Proxy on a local filesystem), not a mock. */
class S3BlobStoreTest {

    @TempDir
    static Path backing;

    static S3TestServer server;
    static S3Client s3;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start(backing, "models");
        s3 = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aWorkerUsesTheModelsCredentialsAndNeverTheNodesUnlessAllowed() throws Exception {
        Map<String, String> pod = server.environment();
        S3BlobStore withSecret = new S3BlobStore(S3BlobStore.clientFromEnvironment(pod::get), "models", "creds");
        withSecret.put("k", new byte[] {1});
        assertThat(withSecret.get("k").orElseThrow()).containsExactly(1);

        Map<String, String> noSecret = new HashMap<>(pod);
        noSecret.remove("AWS_ACCESS_KEY_ID");
        noSecret.remove("AWS_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> S3BlobStore.clientFromEnvironment(noSecret::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no S3 credentials")
                .hasMessageContaining("spec.storage.secretRef");
        noSecret.put(S3BlobStore.AMBIENT_CREDENTIALS_ENV, "true");
        assertThat(S3BlobStore.clientFromEnvironment(noSecret::get)).as("the installation allows the node's own")
                .isNotNull();
    }

    @Test
    void storesReadsListsAndDeletes() throws Exception {
        BlobStore store = new S3BlobStore(s3, "models", "team-a");
        store.put("a/one", "1".getBytes(StandardCharsets.UTF_8));
        store.put("a/two", "2".getBytes(StandardCharsets.UTF_8));
        store.put("b/three", "3".getBytes(StandardCharsets.UTF_8));

        assertThat(store.get("a/two")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("2"));
        assertThat(store.get("a/missing")).isEmpty();
        assertThat(store.list("a/")).containsExactly("a/one", "a/two");
        assertThat(store.exists("b/three")).isTrue();
        assertThat(store.putIfAbsent("b/three", new byte[] {9})).isFalse();
        assertThat(store.get("b/three").orElseThrow()).containsExactly('3');
        assertThat(store.putIfAbsent("b/four", new byte[] {4})).isTrue();
        store.delete("a/one");
        assertThat(store.list("a/")).containsExactly("a/two");
    }

    @Test
    void aModelTrainedIntoS3LoadsBackAndRefusesASecondVersionOne() throws Exception {
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, Path.of("/unused"));
        ModelRepository repo = new ModelRepository(new S3BlobStore(s3, "models", "prod"), "fashion").withIdKey(EngineFixtures.ID_KEY);

        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());

        assertThat(repo.versions()).containsExactly(1);
        assertThat(repo.version(1)).isEqualTo(v1);
        try (Ensemble ensemble = Ensemble.load(repo, v1)) {
            assertThat(ensemble.probabilities(data.test(), new int[] {0, 1})).hasNumberOfRows(2);
        }
        assertThatThrownBy(() -> repo.publish(v1)).isInstanceOf(ModelRepository.VersionConflictException.class);
    }
}
