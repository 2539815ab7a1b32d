package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.operator.conventions.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutStallTest {

    static final Deployment HEALTHY = new DeploymentBuilder().withNewMetadata().withName("m-serving").endMetadata()
            .withNewStatus().addNewCondition().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated")
            .endCondition().endStatus().build();

    @Test
    void aNewVersionsPodTheSchedulerCannotPlaceIsNamedWithTheSchedulersReason() {
        Pod pending = pod("m-serving-b-1", 2).editStatus().withPhase("Pending").addNewCondition()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 Insufficient cpu.").endCondition().endStatus().build();
        assertThat(RolloutStall.of(HEALTHY, List.of(pod("m-serving-a-1", 1).build(), pending), 2))
                .hasValue("serving pod m-serving-b-1 cannot be scheduled: 0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(RolloutStall.of(HEALTHY, List.of(pending), 3)).as("another version's pod").isEmpty();
    }

    @Test
    void anImageThatCannotBePulledOrAContainerThatKeepsCrashingStallsIt() {
        Pod pulling = pod("m-serving-b-1", 2).editStatus().addNewContainerStatus().withName("server").withNewState()
                .withNewWaiting().withReason("ImagePullBackOff").withMessage("Back-off pulling image \"x:1\"").endWaiting()
                .endState().endContainerStatus().endStatus().build();
        assertThat(RolloutStall.of(HEALTHY, List.of(pulling), 2))
                .hasValue("serving pod m-serving-b-1: ImagePullBackOff: Back-off pulling image \"x:1\"");
        Pod creating = pod("m-serving-b-2", 2).editStatus().addNewContainerStatus().withName("server").withNewState()
                .withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus()
                .endStatus().build();
        assertThat(RolloutStall.of(HEALTHY, List.of(creating), 2)).as("still starting: not stuck").isEmpty();
    }

    @Test
    void aDeploymentPastItsProgressDeadlineStallsIt() {
        Deployment late = new DeploymentBuilder(HEALTHY).editStatus().editFirstCondition().withStatus("False")
                .withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"m-serving-b\" has timed out progressing.")
                .endCondition().endStatus().build();
        assertThat(RolloutStall.of(late, List.of(), 2)).hasValue("serving Deployment m-serving: ProgressDeadlineExceeded:"
                + " ReplicaSet \"m-serving-b\" has timed out progressing.");
        assertThat(RolloutStall.of(HEALTHY, List.of(pod("m-serving-b-1", 2).build()), 2)).isEmpty();
    }

    private static PodBuilder pod(String name, int version) {
        return new PodBuilder().withNewMetadata().withName(name).withAnnotations(Map.of(Labels.VERSION,
                Integer.toString(version))).endMetadata().withNewStatus().withPhase("Running").endStatus();
    }
}
