package dev.unlearning.operator.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kueue reads queue and priority from the Job: where they go, and which runs queue behind which. */
class JobFactoryQueueTest {

    final JobFactory factory = new JobFactory(OperatorSettings.defaults()
            .withFollowUpPriorityClass("unlearning-follow-up"));

    @Test
    void queueLabelsGoOnTheJobAndExactFollowUpsQueueBehindInteractiveRuns() {
        ShardedModel model = model("{kueue.x-k8s.io/queue-name: gpu-queue, kueue.x-k8s.io/priority-class: "
                + "unlearning-interactive}");
        Job training = factory.training(model, "1", java.util.Optional.empty());
        assertThat(training.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue")
                .containsEntry("kueue.x-k8s.io/priority-class", "unlearning-interactive");

        assertThat(factory.unlearning(model, batch(false)).getMetadata().getLabels())
                .containsEntry("kueue.x-k8s.io/priority-class", "unlearning-interactive");
        assertThat(factory.unlearning(model, batch(true)).getMetadata().getLabels())
                .as("an owed retrain, not a person waiting").containsEntry("kueue.x-k8s.io/priority-class",
                        "unlearning-follow-up");
        assertThat(factory.finalizing(model, batch(true), new VerificationSpec()).getMetadata().getLabels())
                .containsEntry("kueue.x-k8s.io/priority-class", "unlearning-follow-up");
    }

    @Test
    void withoutAQueueNoPriorityLabelIsAdded() {
        ShardedModel model = model("{team: vision}");
        assertThat(factory.unlearning(model, batch(true)).getMetadata().getLabels())
                .doesNotContainKeys("kueue.x-k8s.io/priority-class", "kueue.x-k8s.io/queue-name");
    }

    private static ShardedModel model(String labels) {
        ShardedModel model = new ShardedModel();
        model.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace("ml").withUid("uid").build());
        model.setSpec(Serialization.unmarshal("""
                dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                storage: {uri: "pvc://models/fm"}
                sharding: {shards: 4, slices: 1}
                runtime: {gpus: 1, labels: %s}
                """.formatted(labels), ShardedModelSpec.class));
        return model;
    }

    private static BatchRun batch(boolean followUp) {
        BatchRun batch = new BatchRun();
        batch.setId(followUp ? "u2" : "u1");
        batch.setMethod(UnlearningMethod.EXACT);
        batch.setFollowUp(followUp);
        batch.setShards(List.of(0, 1));
        batch.setRequests(List.of(new RunMember("r", "uid-r")));
        return batch;
    }
}
