package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.api.RuntimeSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a tenant's spec.runtime may pick for pods that handle other people's data and write the proof. */
class RuntimePolicyTest {

    final OperatorSettings settings = OperatorSettings.defaults();

    @Test
    void theOperatorsOwnImageInAnyTagAndItsWorkerAccountAreAllowed() {
        assertThat(RuntimePolicy.violation(model(null, null), settings)).isEmpty();
        assertThat(RuntimePolicy.violation(model("ghcr.io/unlearning-dev/unlearning-operator:0.3.0-cuda", null),
                settings)).isEmpty();
        assertThat(RuntimePolicy.violation(model(null, "unlearning-worker"), settings)).isEmpty();
    }

    @Test
    void anotherImageOrAccountIsRefusedNamingWhatIsAllowed() {
        assertThat(RuntimePolicy.violation(model("docker.io/someone/miner:1", null), settings)).hasValueSatisfying(
                m -> assertThat(m).contains("runtime.image docker.io/someone/miner:1 is not allowed")
                        .contains("ghcr.io/unlearning-dev/unlearning-operator:*"));
        // A look-alike repository is not a tag of the allowed one.
        assertThat(RuntimePolicy.violation(model("ghcr.io/unlearning-dev/unlearning-operator-evil:1", null),
                settings)).isPresent();
        assertThat(RuntimePolicy.violation(model(null, "default"), settings)).hasValueSatisfying(
                m -> assertThat(m).contains("runtime.serviceAccountName default is not allowed"));
    }

    @Test
    void anAdministratorWidensTheListsInTheSettings() {
        OperatorSettings wider = settings.withAllowed(List.of("registry.corp/ml/"), List.of("gpu-workers"));
        assertThat(RuntimePolicy.violation(model("registry.corp/ml/trainer:2", "gpu-workers"), wider)).isEmpty();
        assertThat(OperatorSettings.repository("registry:5000/ml/img:tag")).isEqualTo("registry:5000/ml/img");
        assertThat(OperatorSettings.repository("registry:5000/ml/img@sha256:abc")).isEqualTo("registry:5000/ml/img");
    }

    @Test
    void anInstallationThatRequiresDigestsRefusesTagsTheDefaultImageIncluded() {
        String pinned = "ghcr.io/unlearning-dev/unlearning-operator@sha256:" + "ab".repeat(32);
        OperatorSettings digests = settings.withAllowed(List.of(pinned), List.of("unlearning-worker"))
                .withImageDigestRequired(true);
        assertThat(RuntimePolicy.violation(model(pinned, null), digests)).isEmpty();
        assertThat(RuntimePolicy.violation(model(null, null), digests)).as("the default worker image is a tag")
                .hasValueSatisfying(m -> assertThat(m).contains("is not pinned by digest"));
        assertThat(RuntimePolicy.violation(model("ghcr.io/unlearning-dev/unlearning-operator:0.3.0", null), digests))
                .hasValueSatisfying(m -> assertThat(m).contains("is not pinned by digest").contains("not allowed"));
    }

    static ShardedModel model(String image, String account) {
        ShardedModel model = new ShardedModel();
        ShardedModelSpec spec = new ShardedModelSpec();
        RuntimeSpec runtime = new RuntimeSpec();
        runtime.setImage(image);
        runtime.setServiceAccountName(account);
        spec.setRuntime(runtime);
        model.setSpec(spec);
        return model;
    }
}
