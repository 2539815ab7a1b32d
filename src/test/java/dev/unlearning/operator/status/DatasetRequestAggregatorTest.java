package dev.unlearning.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.operator.conventions.Conditions;
import dev.unlearning.api.DatasetReference;
import dev.unlearning.api.Guarantee;
import dev.unlearning.api.ModelProgress;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestSpec;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.status.RequestStatusAggregator.Derived;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dataset request's status from the per-model requests it made, without an API server. */
class DatasetRequestAggregatorTest {

    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    final DatasetRequestAggregator aggregator = new DatasetRequestAggregator(Clock.fixed(NOW, ZoneOffset.UTC));
    final Conditions conditions = new Conditions(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void theModelsAreFixedAtTheFirstPassAndOneFailureFailsTheRequest() {
        UnlearningRequest parent = parent();
        Derived first = aggregator.derive(parent, new UnlearningRequestStatus(), List.of(model("b"), model("a")),
                List.of(), true, NOW);
        assertThat(first.status().getModels()).extracting(ModelProgress::getModel).containsExactly("a", "b");
        assertThat(first.status().getModels()).extracting(ModelProgress::getPhase).containsOnly("Pending");
        assertThat(first.status().condition(RequestConditions.COMPLETE)).isEmpty();

        UnlearningRequest failed = child("all-a", Map.of(RequestConditions.FAILED, "True"));
        Derived later = aggregator.derive(parent, first.status(), List.of(model("a"), model("b"), model("c")),
                List.of(failed, child("all-b", Map.of(RequestConditions.ACCEPTED, "True"))), true, NOW);
        assertThat(later.status().getModels()).as("a model created later is the ledger's, not the fan-out's")
                .extracting(ModelProgress::getModel).containsExactly("a", "b");
        assertThat(later.status().getModels()).extracting(ModelProgress::getPhase)
                .containsExactly("Failed", "InProgress");
        assertThat(later.status().condition(RequestConditions.FAILED).orElseThrow().getMessage())
                .startsWith("model a: ");
    }

    @Test
    void completeOnlyWhenEveryModelIsAndTheLedgerHasTheEntryApproximateIfAnyWas() {
        UnlearningRequest parent = parent();
        UnlearningRequest exact = child("all-a", Map.of(RequestConditions.COMPLETE, "True"));
        exact.getStatus().setGuarantee(Guarantee.EXACT);
        UnlearningRequest approximate = child("all-b", Map.of(RequestConditions.COMPLETE, "True"));
        approximate.getStatus().setGuarantee(Guarantee.APPROXIMATE);
        List<ShardedModel> models = List.of(model("a"), model("b"));

        Derived unrecorded = aggregator.derive(parent, new UnlearningRequestStatus(), models,
                List.of(exact, approximate), false, NOW);
        assertThat(unrecorded.status().condition(RequestConditions.COMPLETE)).as("not without the ledger").isEmpty();

        Derived done = aggregator.derive(parent, new UnlearningRequestStatus(), models, List.of(exact, approximate),
                true, NOW);
        assertThat(done.status().condition(RequestConditions.COMPLETE).orElseThrow().getReason())
                .isEqualTo("CompleteApproximate");
        assertThat(done.status().getGuarantee()).isEqualTo(Guarantee.APPROXIMATE);
    }

    @Test
    void noModelOnTheDatasetIsCompleteOnceRecorded() {
        Derived d = aggregator.derive(parent(), new UnlearningRequestStatus(), List.of(), List.of(), true, NOW);
        assertThat(d.status().condition(RequestConditions.ACCEPTED).orElseThrow().getMessage())
                .contains("no ShardedModel");
        assertThat(d.status().condition(RequestConditions.COMPLETE).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(d.status().getGuarantee()).isEqualTo(Guarantee.EXACT);
    }

    @Test
    void longNamesGetADigestSuffixWithinTheLimit() {
        UnlearningRequest parent = parent();
        parent.getMetadata().setName("r".repeat(240));
        String name = DatasetRequestAggregator.childName(parent, "m".repeat(40));
        assertThat(name).hasSizeLessThanOrEqualTo(253);
        assertThat(name).isNotEqualTo(DatasetRequestAggregator.childName(parent, "m".repeat(39) + "n"));
    }

    static UnlearningRequest parent() {
        UnlearningRequest request = new UnlearningRequest();
        request.setMetadata(new ObjectMetaBuilder().withName("all").withNamespace("ns").withUid("uid-all")
                .withGeneration(1L).build());
        UnlearningRequestSpec spec = new UnlearningRequestSpec();
        spec.setDatasetRef(new DatasetReference("file:///data/fashion"));
        request.setSpec(spec);
        return request;
    }

    static ShardedModel model(String name) {
        ShardedModel model = new ShardedModel();
        model.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        return model;
    }

    UnlearningRequest child(String name, Map<String, String> conditionStatus) {
        UnlearningRequest child = new UnlearningRequest();
        child.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        UnlearningRequestStatus status = new UnlearningRequestStatus();
        conditionStatus.forEach((type, value) -> conditions.set(status.getConditions(), type, value, "Test",
                type + " for the test", 1));
        child.setStatus(status);
        return child;
    }
}
