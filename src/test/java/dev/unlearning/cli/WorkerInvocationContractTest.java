package dev.unlearning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.worker.WorkerInvocation;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every invocation the operator builds for a worker pod parses as that role's command line: the role exists, every
 * flag is one the role declares, and no argument is left over. The two sides share {@link WorkerInvocation}'s
 * constants; this checks that each flag also lands on the role that needs it.
 */
class WorkerInvocationContractTest {

    @Test
    void everyInvocationTheOperatorBuildsParsesAsItsRole() {
        List<String> requests = List.of("forget-a", "forget-b");
        check(WorkerInvocation.train("abc-1", true), WorkerInvocation.TRAIN, WorkerInvocation.LEDGER);
        check(WorkerInvocation.train("abc-1", false), WorkerInvocation.TRAIN);
        check(WorkerInvocation.publish("abc-1"), WorkerInvocation.PUBLISH, WorkerInvocation.RUN);
        check(WorkerInvocation.unlearn(UnlearningMethod.SCRUB, "u1-scrub", List.of(0, 3), 2, requests),
                WorkerInvocation.UNLEARN, WorkerInvocation.METHOD, WorkerInvocation.SHARDS,
                WorkerInvocation.BASE_VERSION, WorkerInvocation.REQUEST);
        check(WorkerInvocation.finalize(UnlearningMethod.EXACT, "u1-exact", List.of(1), 2, requests,
                List.of("minTestAccuracy=0.85")), WorkerInvocation.FINALIZE, WorkerInvocation.GATE,
                WorkerInvocation.REQUEST);
        check(WorkerInvocation.detect("find-outliers"), WorkerInvocation.DETECT, WorkerInvocation.REQUEST);
        check(WorkerInvocation.erase(3, 2), WorkerInvocation.ERASE, WorkerInvocation.SERVED_VERSION,
                WorkerInvocation.RETENTION);
        check(WorkerInvocation.purge(), WorkerInvocation.PURGE, WorkerInvocation.MODEL);
        check(WorkerInvocation.serve(4, 8080), WorkerInvocation.SERVE, WorkerInvocation.VERSION, WorkerInvocation.PORT);
    }

    @Test
    void aFlagNoRoleDeclaresIsRefused() {
        List<String> renamed = new java.util.ArrayList<>(WorkerInvocation.erase(3, 2));
        renamed.set(renamed.indexOf(WorkerInvocation.RETENTION), "--keep");
        CommandLine cli = new CommandLine(new UnlearningCli());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cli.parseArgs(renamed.toArray(String[]::new)))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--keep");
    }

    private static void check(List<String> args, String role, String... flags) {
        ParseResult parsed = new CommandLine(new UnlearningCli()).parseArgs(args.toArray(String[]::new));
        assertThat(parsed.hasSubcommand()).as("%s names a role", args).isTrue();
        ParseResult roleResult = parsed.subcommand();
        assertThat(roleResult.commandSpec().name()).isEqualTo(role);
        assertThat(roleResult.unmatched()).as("%s: arguments the role does not take", args).isEmpty();
        for (String flag : flags) {
            assertThat(roleResult.hasMatchedOption(flag)).as("%s takes %s", role, flag).isTrue();
        }
        assertThat(roleResult.hasMatchedOption(WorkerInvocation.MODEL)).isTrue();
    }
}
