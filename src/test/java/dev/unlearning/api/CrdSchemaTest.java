package dev.unlearning.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.unlearning.testcluster.ProjectPaths;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The committed CRDs on a real kube-apiserver: valid objects are stored with their defaults, invalid ones are
 * refused by the OpenAPI schema or CEL with a message a user can act on. Objects are sent as YAML, exactly as
 * a user's kubectl apply would send them, so Java-side defaults cannot hide a schema gap.
 */
class CrdSchemaTest {

    static KubernetesClient client;
    static String namespace;

    @BeforeAll
    static void controlPlane() {
        TestControlPlane plane = TestControlPlane.get();
        client = plane.client();
        namespace = plane.newNamespace("schema");
    }

    @Test
    void everyExampleManifestIsAccepted() throws Exception {
        try (var files = Files.list(ProjectPaths.root().resolve("manifests/examples"))) {
            var examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
            for (var example : examples) {
                var created = client.resource(Files.readString(example)).inNamespace(namespace).dryRun().create();
                assertThat(created.getMetadata().getName()).as(example.getFileName().toString()).isNotBlank();
            }
        }
    }

    @Test
    void storesAValidShardedModelWithDefaults() {
        client.resource(model("fmnist", "sharding: {shards: 8}")).inNamespace(namespace).create();

        ShardedModel stored = client.resources(ShardedModel.class).inNamespace(namespace).withName("fmnist").get();

        assertThat(stored.getSpec().getSharding().getShards()).isEqualTo(8);
        assertThat(stored.getSpec().getSharding().getSlices()).as("server-side default").isEqualTo(4);
        assertThat(stored.getSpec().getDataset().getFormat()).isEqualTo(DatasetFormat.IDX);
        assertThat(stored.getSpec().getTraining().getSeed()).isEqualTo(42L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero shards       | sharding: {shards: 0}                    | spec.sharding.shards: Invalid value: 0: spec.sharding.shards in body should be greater than or equal to 1",
        "too many slices   | sharding: {slices: 65}                   | spec.sharding.slices in body should be less than or equal to 64",
        "unknown aggregate | sharding: {aggregation: Median}          | spec.sharding.aggregation: Unsupported value: \"Median\"",
        "unknown arch      | architecture: {type: transformer}        | spec.architecture.type: Unsupported value: \"transformer\"",
        "too many gpus     | runtime: {gpus: 17}                      | spec.runtime.gpus in body should be less than or equal to 16",
        "negative backoff  | runtime: {backoffLimit: -1}              | spec.runtime.backoffLimit in body should be greater than or equal to 0",
        "zero window       | unlearning: {batchingWindowSeconds: -5}  | spec.unlearning.batchingWindowSeconds in body should be greater than or equal to 0",
        "bad threshold     | verification: {maxMiaAuc: 1.5}           | spec.verification.maxMiaAuc in body should be less than or equal to 1",
        "no retention      | retention: 0                             | spec.retention in body should be greater than or equal to 1",
        "vague exactWithin | unlearning: {exactWithin: soon}          | spec.unlearning.exactWithin in body should match '^[0-9]+(s",
        "model-wide ASR    | verification: {maxBackdoorAsr: 0.1}      | verification.maxBackdoorAsr and maxBackdoorAsrExcess are set per UnlearningRequest, with the backdoorTrigger they are measured with",
        "model-wide class  | verification: {maxForgottenClassTestAccuracy: 0.05} | verification.maxForgottenClassTestAccuracy is set per UnlearningRequest that forgets labels",
        "operator's label  | 'runtime: {labels: {unlearning.dev/role: serve}}' | runtime.labels may not set the operator's own labels",
        "managed-by label  | 'runtime: {labels: {app.kubernetes.io/managed-by: me}}' | runtime.labels may not set the operator's own labels",
    })
    void rejectsAnInvalidShardedModel(String name, String specLine, String expected) {
        assertRejected(model("bad", specLine), expected);
    }

    @Test
    void rejectsADatasetWithoutASupportedScheme() {
        String yaml = """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: ftp}
                spec:
                  dataset: {uri: "ftp://host/data"}
                  storage: {uri: "s3://models/ftp"}
                """;
        assertRejected(yaml, "spec.dataset.uri in body should match '^(file|pvc|s3)://.+'");
    }

    @Test
    void csvDataWithoutHeldOutRecordsCannotAskForTestAccuracyOrMembershipInference() {
        String yaml = """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///data/train.csv", format: csv%s}
                  storage: {uri: "s3://models/tabular"}
                  verification: {minTestAccuracy: 0.8}
                """;
        assertRejected(yaml.formatted("tabular", ""), "minTestAccuracy, maxMiaAuc, maxForgetAccuracyGap, maxMiaAdvantage and maxTestAccuracyDrop are measured on held-out data");
        var accepted = client.resource(yaml.formatted("tabular-with-test", ", testUri: \"file:///data/test.csv\""))
                .inNamespace(namespace).dryRun().create();
        assertThat(accepted.getMetadata().getName()).isEqualTo("tabular-with-test");
    }

    @Test
    void csvDataWithoutHeldOutRecordsMustOptOutOfTheRelativeGateDefaults() {
        String yaml = """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///data/train.csv", format: csv}
                  storage: {uri: "s3://models/tabular"}
                  %s
                """;
        assertRejected(yaml.formatted("tabular", ""), "the relative gate defaults compare the forget set with held-out");
        assertRejected(yaml.formatted("tabular", "verification: {defaults: None, maxForgetAccuracyGap: 0.02}"),
                "maxForgetAccuracyGap");
        var accepted = client.resource(yaml.formatted("tabular-explicit", "verification: {defaults: None, "
                + "maxForgetAccuracy: 0.5}")).inNamespace(namespace).dryRun().create();
        assertThat(accepted.getMetadata().getName()).isEqualTo("tabular-explicit");
    }

    @Test
    void aLanguageModelTrainsOnJsonlTextAndJsonlTextOnlyTrainsALanguageModel() {
        String yaml = """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///data/authors/train.jsonl", format: %s, testUri: "file:///data/authors/holdout.jsonl"}
                  storage: {uri: "s3://models/authors"}
                  architecture: %s
                  sharding: {aggregation: %s}
                """;
        String lm = "{type: transformer-lm, layers: 2, heads: 4, width: 64, context: 192}";
        String textOnly = "a transformer-lm trains on jsonl text, and jsonl text trains only a transformer-lm";
        assertRejected(yaml.formatted("lm-on-csv", "csv", lm, "Posterior"), textOnly);
        assertRejected(yaml.formatted("mlp-on-text", "jsonl", "{type: mlp}", "MeanSoftmax"), textOnly);
        assertRejected(yaml.formatted("posterior-mlp", "csv", "{type: mlp}", "Posterior"),
                "sharding.aggregation Posterior weighs language-model shards");
        assertRejected(yaml.formatted("voting-lm", "jsonl", lm, "MajorityVote"), "MeanSoftmax or Posterior, not MajorityVote");
        assertRejected(yaml.formatted("layered-mlp", "csv", "{type: mlp, layers: 2}", "MeanSoftmax"),
                "layers, heads, width and context shape a transformer-lm");
        assertRejected(yaml.formatted("odd-heads", "jsonl", "{type: transformer-lm, heads: 3}", "Posterior"),
                "width must be divisible by heads");
        String valid = yaml.formatted("authors", "jsonl", lm, "Posterior");
        assertThat(client.resource(valid).inNamespace(namespace).dryRun().create().getMetadata().getName())
                .isEqualTo("authors");
        ShardedModel parsed = client.getKubernetesSerialization().unmarshal(valid, ShardedModel.class);
        assertThat(parsed.getSpec().getArchitecture().getType().languageModel()).isTrue();
        assertThat(ShardPlacement.resolve(parsed.getSpec())).as("jsonl records name their subject")
                .isEqualTo(ShardPlacement.BY_SUBJECT);
    }

    @Test
    void aKnnModelSetsItsNeighboursAndForgetsOnlyExactly() {
        String yaml = """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "s3://models/gallery"}
                  architecture: %s
                  unlearning: {method: %s}
                """;
        assertRejected(yaml.formatted("mlp-neighbours", "{type: mlp, neighbours: 3}", "Auto"),
                "neighbours sets how many records a knn model consults");
        assertRejected(yaml.formatted("knn-scrub", "{type: knn}", "SCRUB"), "a knn model forgets by dropping records");
        assertRejected(yaml.formatted("knn-zero", "{type: knn, neighbours: 0}", "Exact"), "neighbours");
        assertRejected(yaml.formatted("knn-jsonl", "{type: knn}", "Exact").replace("fashion-mnist\"}",
                "a.jsonl\", format: jsonl, testUri: \"file:///b.jsonl\"}"), "jsonl text trains only a transformer-lm");
        for (String method : List.of("Auto", "Exact")) {
            String valid = yaml.formatted("gallery-" + method.toLowerCase(java.util.Locale.ROOT),
                    "{type: knn, neighbours: 7}", method);
            assertThat(client.resource(valid).inNamespace(namespace).dryRun().create().getMetadata().getName())
                    .startsWith("gallery-");
            ShardedModel parsed = client.getKubernetesSerialization().unmarshal(valid, ShardedModel.class);
            assertThat(parsed.getSpec().getArchitecture().effectiveNeighbours()).isEqualTo(7);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pvc://models/../other-team  | file:///usr/share/datasets/fashion-mnist",
        "pvc://models/m              | pvc://data/..",
        "s3://models/m               | pvc://../claim/data",
    })
    void aLocationCannotClimbOutOfItsClaimOrPrefix(String store, String data) {
        assertRejected("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: climber}
                spec:
                  dataset: {uri: "%s"}
                  storage: {uri: "%s"}
                """.formatted(data, store), "a location may not contain '..' segments");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a-model-name-of-thirty-one-char", "dotted.name", "9-starts-with-a-digit"})
    void aModelNameMustLeaveRoomForTheNamesDerivedFromIt(String name) {
        assertRejected(model(name, "retention: 3"), "a ShardedModel's name is at most 30 lower-case letters");
    }

    @Test
    void rejectsAModelWithoutStorage() {
        String yaml = """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: nostore}
                spec:
                  dataset: {uri: "file:///data"}
                """;
        assertRejected(yaml, "spec.storage: Required value");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "two selectors       | forget: {recordIds: [train-1], labels: [3]}                      | exactly one of recordIds, subjects, labels, fromConfigMap, fromUri, recordDigests, subjectDigests or outliers must be set",
        "no selector         | forget: {}                                                       | exactly one of recordIds, subjects, labels, fromConfigMap, fromUri, recordDigests, subjectDigests or outliers must be set",
        "list and configmap  | 'forget: {subjects: [a], fromConfigMap: {name: ids, key: ids}}'  | exactly one of recordIds, subjects, labels, fromConfigMap, fromUri, recordDigests, subjectDigests or outliers must be set",
        "empty id list       | forget: {recordIds: []}                                          | spec.forget.recordIds in body should have at least 1 items",
        "ftp list            | 'forget: {fromUri: \"ftp://x/ids\"}'                             | spec.forget.fromUri in body should match",
        "unknown method      | 'forget: {labels: [1]}\n  method: Magic'                          | spec.method: Unsupported value: \"Magic\"",
        "bad deadline        | 'forget: {labels: [1]}\n  deadline: tomorrow'                     | spec.deadline in body should match",
        "unknown rollout     | 'forget: {labels: [1]}\n  rollout: Sometimes'                     | spec.rollout: Unsupported value: \"Sometimes\"",
        "ASR without trigger | 'forget: {labels: [1]}\n  verification: {maxBackdoorAsr: 0.1}'   | verification.maxBackdoorAsr and maxBackdoorAsrExcess need spec.backdoorTrigger",
        "class without labels | 'forget: {recordIds: [a]}\n  verification: {maxForgottenClassTestAccuracy: 0.05}' | verification.maxForgottenClassTestAccuracy needs spec.forget.labels",
        "huge trigger        | 'forget: {labels: [1]}\n  backdoorTrigger: {target: 0, patch: 65}' | spec.backdoorTrigger.patch in body should be less than or equal to 64",
        "digest not hex      | 'forget: {recordDigests: [train-17]}'                             | spec.forget.recordDigests[0] in body should match",
        "digests and ids     | 'forget: {recordIds: [a], subjectDigests: [0000000000000000000000000000000000000000000000000000000000000000]}' | exactly one of recordIds, subjects, labels, fromConfigMap, fromUri, recordDigests, subjectDigests or outliers must be set",
        "climbing id list    | 'forget: {fromUri: \"pvc://ids/../../etc/passwd\"}'           | a location may not contain '..' segments",
        "outliers and ids    | 'forget: {recordIds: [a], outliers: {detector: IsolationForest, contamination: 0.01}}' | exactly one of recordIds, subjects, labels, fromConfigMap, fromUri, recordDigests, subjectDigests or outliers must be set",
        "contamination 0.6   | 'forget: {outliers: {detector: IsolationForest, contamination: 0.6}}' | contamination must be in (0, 0.5]",
        "contamination 0     | 'forget: {outliers: {detector: LocalOutlierFactor, contamination: 0}}' | contamination must be in (0, 0.5]",
        "unknown detector    | 'forget: {outliers: {detector: OneClassSVM, contamination: 0.01}}' | spec.forget.outliers.detector: Unsupported value: \"OneClassSVM\"",
        "unknown space       | 'forget: {outliers: {detector: IsolationForest, contamination: 0.01, space: loss}}' | spec.forget.outliers.space: Unsupported value: \"loss\"",
        "dry run of ids      | 'forget: {recordIds: [a]}\n  dryRun: true'                        | dryRun needs forget.outliers and modelRef",
    })
    void rejectsAnInvalidRequest(String name, String specLines, String expected) {
        assertRejected(request("bad", specLines.replace("\\n", "\n")), expected);
    }

    @Test
    void anOutlierSelectorTakesItsDefaultsAndADryRunIsStored() {
        client.resource(request("suspicious", "forget: {outliers: {detector: LocalOutlierFactor, contamination: 0.05}}"
                + "\n  dryRun: true")).inNamespace(namespace).create();
        UnlearningRequest stored = client.resources(UnlearningRequest.class).inNamespace(namespace)
                .withName("suspicious").get();
        assertThat(stored.getSpec().dryRun()).isTrue();
        assertThat(stored.getSpec().getForget().getOutliers().isPerClass()).isTrue();
        assertThat(stored.getSpec().getForget().getOutliers().getSpace()).isEqualTo(OutlierSpace.FEATURES);
        assertThat(stored.getSpec().getForget().getOutliers().getDetector())
                .isEqualTo(OutlierDetectorType.LOCAL_OUTLIER_FACTOR);
    }

    @Test
    void aModelReferenceCannotNameAnotherNamespace() {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: elsewhere}
                spec:
                  modelRef: {name: fmnist, namespace: kube-system}
                  forget: {labels: [1]}
                """).inNamespace(namespace).create();

        var stored = client.genericKubernetesResources("unlearning.dev/v1alpha1", "UnlearningRequest")
                .inNamespace(namespace).withName("elsewhere").get();
        @SuppressWarnings("unchecked")
        var modelRef = (Map<String, Object>) ((Map<String, Object>) stored.getAdditionalProperties()
                .get("spec")).get("modelRef");
        assertThat(modelRef).as("the schema has no namespace field; the server prunes it").containsOnlyKeys("name");
    }

    @Test
    void requestSpecIsImmutable() {
        client.resource(request("keep", "forget: {recordIds: [train-1]}")).inNamespace(namespace).create();

        assertThatThrownBy(() -> client.resources(UnlearningRequest.class).inNamespace(namespace).withName("keep")
                .edit(r -> {
                    r.getSpec().getForget().setRecordIds(List.of("train-2"));
                    return r;
                }))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec is immutable");
        assertThat(client.resources(UnlearningRequest.class).inNamespace(namespace).withName("keep").get()
                .getSpec().getForget().getRecordIds()).containsExactly("train-1");
    }

    private void assertRejected(String yaml, String expectedMessage) {
        assertThatThrownBy(() -> client.resource(yaml).inNamespace(namespace).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(expectedMessage);
    }

    private static String model(String name, String specLine) {
        return """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "s3://models/fmnist"}
                  %s
                """.formatted(name, specLine);
    }

    private static String request(String name, String forgetLine) {
        return """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: %s}
                spec:
                  modelRef: {name: fmnist}
                  %s
                """.formatted(name, forgetLine);
    }
}
