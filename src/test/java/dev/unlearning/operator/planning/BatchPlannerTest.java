package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BackdoorTrigger;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequestSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(10);

    @Test
    void nothingPendingIsIdle() {
        assertThat(BatchPlanner.plan(List.of(), WINDOW, T0, 1, 1)).isInstanceOf(BatchPlanner.Idle.class);
    }

    @Test
    void theWindowCountsFromTheOldestAcceptance() {
        var plan = BatchPlanner.plan(List.of(request("a", UnlearningMethod.EXACT, 0, null, 1),
                request("b", UnlearningMethod.EXACT, 5, null, 2)), WINDOW, T0.plusSeconds(7), 1, 1);
        assertThat(plan).isEqualTo(new BatchPlanner.WaitUntil(T0.plus(WINDOW)));
    }

    @Test
    void oneRunCarriesEveryRequestOfTheMostUrgentMethodOverTheUnionOfShards() {
        var plan = (BatchPlanner.Start) BatchPlanner.plan(List.of(
                request("late-exact", UnlearningMethod.EXACT, 0, null, 1, 2),
                request("scrub-due", UnlearningMethod.SCRUB, 1, T0.plusSeconds(3600), 5),
                request("scrub-later", UnlearningMethod.SCRUB, 2, null, 2, 7)), WINDOW, T0.plusSeconds(20), 4, 3);
        BatchRun run = plan.run();
        assertThat(run.getId()).isEqualTo("u4");
        assertThat(run.getMethod()).isEqualTo(UnlearningMethod.SCRUB);
        assertThat(run.getRequests()).extracting(RunMember::getName).containsExactly("scrub-due", "scrub-later");
        assertThat(run.getShards()).containsExactly(2, 5, 7);
        assertThat(run.getBaseVersion()).isEqualTo(3);
        assertThat(run.getPhase()).isEqualTo(RunPhase.UNLEARNING);
        assertThat(run.getFallbackToExact()).isFalse();
        assertThat(run.getStartedAt()).isEqualTo(T0.plusSeconds(20).toString());
    }

    @Test
    void aRequestWithItsOwnThresholdsRunsApartSoItsMissFailsOnlyItself() {
        dev.unlearning.api.VerificationSpec strict = new dev.unlearning.api.VerificationSpec();
        strict.setMaxForgetAccuracy(0.001);
        dev.unlearning.api.VerificationSpec sameAgain = new dev.unlearning.api.VerificationSpec();
        sameAgain.setMaxForgetAccuracy(0.001);
        PendingRequest plain = request("plain", UnlearningMethod.SCRUB, 0, null, 1);
        PendingRequest demanding = withGate(request("demanding", UnlearningMethod.SCRUB, 1, T0.plusSeconds(60), 2),
                Gates.key(strict));
        PendingRequest alike = withGate(request("alike", UnlearningMethod.SCRUB, 2, null, 3), Gates.key(sameAgain));

        BatchRun first = ((BatchPlanner.Start) BatchPlanner.plan(List.of(plain, demanding, alike), WINDOW,
                T0.plusSeconds(20), 1, 1)).run();
        assertThat(first.getRequests()).as("the most urgent decides, and only its gate's requests join")
                .extracting(RunMember::getName).containsExactly("demanding", "alike");
        BatchRun second = ((BatchPlanner.Start) BatchPlanner.plan(List.of(plain), WINDOW, T0.plusSeconds(20), 2, 1))
                .run();
        assertThat(second.getRequests()).extracting(RunMember::getName).containsExactly("plain");
        assertThat(Gates.key(null)).isEqualTo(Gates.key(null)).isNotEqualTo(Gates.key(strict));
    }

    static PendingRequest withGate(PendingRequest r, String gate) {
        return new PendingRequest(r.member(), r.method(), r.auto(), r.acceptedAt(), r.deadline(), r.createdAt(),
                r.affectedShards(), gate);
    }

    @Test
    void withoutDeadlinesTheOldestRequestDecidesAndAutoMayFallBack() {
        var plan = (BatchPlanner.Start) BatchPlanner.plan(List.of(
                request("newer", UnlearningMethod.EXACT, 3, null, 1),
                new PendingRequest(new RunMember("older-auto", "uid"), UnlearningMethod.NEG_GRAD_PLUS, true, T0, null,
                        T0.minusSeconds(60), List.of(0))), WINDOW, T0.plusSeconds(20), 1, 1);
        assertThat(plan.run().getRequests()).extracting(RunMember::getName).containsExactly("older-auto");
        assertThat(plan.run().getFallbackToExact()).isTrue();
    }

    @Test
    void autoTakesTheModelsMethodElseTheRouteForItsKindAndAlwaysFallsBack() {
        for (RequestKind kind : List.of(RequestKind.RECORDS, RequestKind.SUBJECT)) {
            assertThat(Methods.effective(UnlearningMethod.AUTO, UnlearningMethod.AUTO, kind))
                    .as("%s: no approximate method passed the default gate in the benchmark", kind)
                    .isEqualTo(UnlearningMethod.EXACT);
        }
        assertThat(Methods.effective(UnlearningMethod.AUTO, UnlearningMethod.AUTO, RequestKind.CANARY))
                .as("NegGrad+ passed the default gate on every seed of the backdoor scenario")
                .isEqualTo(UnlearningMethod.NEG_GRAD_PLUS);
        assertThat(Methods.effective(UnlearningMethod.AUTO, UnlearningMethod.AUTO, RequestKind.CLASS))
                .as("SalUn passed the default gate, class default included, on every seed of the class scenario")
                .isEqualTo(UnlearningMethod.SALUN);
        assertThat(Methods.effective(UnlearningMethod.SCRUB, UnlearningMethod.AUTO, RequestKind.CLASS))
                .as("the model chose what Auto tries first").isEqualTo(UnlearningMethod.SCRUB);
        assertThat(Methods.effective(UnlearningMethod.SCRUB, UnlearningMethod.EXACT, RequestKind.CLASS))
                .isEqualTo(UnlearningMethod.EXACT);
        assertThat(Methods.isAuto(UnlearningMethod.AUTO)).isTrue();
        assertThat(Methods.isAuto(UnlearningMethod.SCRUB)).as("an explicit method fails rather than falls back")
                .isFalse();
    }

    @Test
    void aRequestsKindIsWhatItForgets() {
        UnlearningRequestSpec spec = new UnlearningRequestSpec();
        ForgetSelector forget = new ForgetSelector();
        spec.setForget(forget);
        forget.setRecordIds(List.of("a"));
        assertThat(RequestKind.of(spec)).isEqualTo(RequestKind.RECORDS);
        forget.setRecordIds(null);
        forget.setSubjectDigests(List.of("0".repeat(64)));
        assertThat(RequestKind.of(spec)).isEqualTo(RequestKind.SUBJECT);
        forget.setSubjectDigests(null);
        forget.setLabels(List.of(1));
        assertThat(RequestKind.of(spec)).isEqualTo(RequestKind.CLASS);
        BackdoorTrigger trigger = new BackdoorTrigger();
        spec.setBackdoorTrigger(trigger);
        assertThat(RequestKind.of(spec)).as("a trigger makes any selector a canary request").isEqualTo(RequestKind.CANARY);
    }

    @Test
    void exactFollowUpsCoalesceUntilReadyAndGoFirstOnlyWhenUrgent() {
        Duration lead = Duration.ofHours(12);
        BatchPlanner.FollowUp a = new BatchPlanner.FollowUp(List.of(new RunMember("a", "ua")), List.of(1),
                T0.plus(Duration.ofHours(24)));
        BatchPlanner.FollowUp b = new BatchPlanner.FollowUp(List.of(new RunMember("b", "ub")), List.of(3),
                T0.plus(Duration.ofHours(30)));
        List<BatchPlanner.FollowUp> owed = List.of(a, b);
        assertThat(BatchPlanner.plan(List.of(), owed, WINDOW, lead, T0, 5, 2))
                .as("not ready: wait until due minus lead").isEqualTo(new BatchPlanner.WaitUntil(T0.plus(lead)));

        var ready = (BatchPlanner.Start) BatchPlanner.plan(List.of(), owed, WINDOW, lead, T0.plus(lead), 5, 2);
        assertThat(ready.run().getFollowUp()).isTrue();
        assertThat(ready.run().getMethod()).isEqualTo(UnlearningMethod.EXACT);
        assertThat(ready.run().getRequests()).extracting(RunMember::getName).containsExactly("a", "b");
        assertThat(ready.run().getShards()).containsExactly(1, 3);

        List<PendingRequest> interactive = List.of(request("new", UnlearningMethod.EXACT, 0, null, 2));
        var first = (BatchPlanner.Start) BatchPlanner.plan(interactive, owed, WINDOW, lead,
                T0.plus(lead).plusSeconds(60), 5, 2);
        assertThat(first.run().getFollowUp()).as("ready but not urgent: interactive first").isFalse();
        var urgent = (BatchPlanner.Start) BatchPlanner.plan(interactive, owed, WINDOW, lead,
                T0.plus(Duration.ofHours(19)), 5, 2);
        assertThat(urgent.run().getFollowUp()).as("in the last half of the lead").isTrue();
        assertThat(BatchPlanner.plan(interactive, owed, WINDOW, lead, T0.plusSeconds(2), 5, 2))
                .as("the window closes first").isEqualTo(new BatchPlanner.WaitUntil(T0.plus(WINDOW)));
    }

    static PendingRequest request(String name, UnlearningMethod method, int acceptedSecond, Instant deadline,
            Integer... shards) {
        Instant accepted = T0.plusSeconds(acceptedSecond);
        return new PendingRequest(new RunMember(name, name + "-uid"), method, false, accepted, deadline, accepted,
                List.of(shards));
    }
}
