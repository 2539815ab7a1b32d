package dev.unlearning.operator.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.Threshold;
import dev.unlearning.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator checks a finalize result against, and signs, the gate the Job was given: read back from the
 * Job's arguments, it must be that gate exactly, whatever the model's spec says by then.
 */
class FinalizeGateArgsTest {

    @Test
    void theGateReadBackFromAFinalizeJobIsTheOneItWasGiven() {
        VerificationSpec gate = new VerificationSpec();
        gate.setMaxForgetAccuracyGap(0.02);
        gate.setMaxMiaAdvantage(1e-4);
        gate.setMaxForgottenClassTestAccuracy(0.0);
        gate.setMinTestAccuracy(0.8);

        VerificationSpec readBack = JobFactory.gateOf(new JobFactory(OperatorSettings.defaults())
                .finalizing(model(), run(), gate));

        for (Threshold threshold : Threshold.values()) {
            assertThat(threshold.limit(readBack)).as(threshold.key()).isEqualTo(threshold.limit(gate));
        }
    }

    private static ShardedModel model() {
        ShardedModel model = new ShardedModel();
        model.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace("ml").withUid("uid").build());
        model.setSpec(Serialization.unmarshal("""
                dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                storage: {uri: "pvc://models/fm"}
                sharding: {shards: 4, slices: 1}
                """, ShardedModelSpec.class));
        return model;
    }

    private static BatchRun run() {
        BatchRun run = new BatchRun();
        run.setId("u1");
        run.setMethod(UnlearningMethod.SCRUB);
        run.setShards(List.of(0, 1));
        run.setRequests(List.of(new RunMember("r", "uid-r")));
        return run;
    }
}
