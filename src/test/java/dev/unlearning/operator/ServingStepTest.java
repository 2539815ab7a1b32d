package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.VersionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingStepTest {

    @Test
    void refusesToRollBackToAVersionThatStillHoldsForgottenRecords() {
        ShardedModelStatus status = new ShardedModelStatus();
        status.getPublished().setCurrentVersion(4);
        status.getPublished().setVersions(List.of(version(1, "train"), version(2, "train"), version(3, "unlearn:EXACT"),
                version(4, "train")));
        status.getPublished().setLastForgettingVersion(3);

        assertThat(ServingStep.refuseRollback(status, 2)).hasValueSatisfying(m -> assertThat(m).contains("version 3"));
        assertThat(ServingStep.refuseRollback(status, 3)).as("nothing forgotten after 3").isEmpty();
        assertThat(ServingStep.refuseRollback(status, 5)).hasValueSatisfying(m -> assertThat(m).contains("does not exist"));

        // Ten more versions push 3 out of the capped status list: the refusal must not depend on it.
        status.getPublished().setVersions(List.of(version(13, "train")));
        status.getPublished().setCurrentVersion(13);
        assertThat(ServingStep.refuseRollback(status, 2)).hasValueSatisfying(m -> assertThat(m).contains("version 3"));
    }

    private static VersionRecord version(int n, String cause) {
        VersionRecord v = new VersionRecord();
        v.setVersion(n);
        v.setCause(cause);
        return v;
    }
}
