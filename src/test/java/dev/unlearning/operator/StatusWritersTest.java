package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.unlearning.api.ErasureLane;
import dev.unlearning.api.ModelLanes;
import dev.unlearning.api.PublishedVersions;
import dev.unlearning.api.ServingStatus;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingLane;
import dev.unlearning.api.UnlearningLane;
import dev.unlearning.testcluster.ProjectPaths;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md's "who writes which field" table, held against the bytecode: every call that sets a field of a
 * ShardedModel's status comes from the one class the table names for it, and every field has a row.
 */
class StatusWritersTest {

    static final Pattern ROW = Pattern.compile("^\\| (`[a-zA-Z.]+`(?:, `[a-zA-Z.]+`)*) \\| `(\\w+)`[^|]* \\|$");
    static final Pattern FIELD = Pattern.compile("`([a-zA-Z.]+)`");
    /** Where each group of the status sits; its setters are the fields the table names by that prefix. */
    static final Map<Class<?>, String> GROUPS = Map.of(ShardedModelStatus.class, "", PublishedVersions.class,
            "published.", TrainingLane.class, "lanes.training.", UnlearningLane.class, "lanes.unlearning.",
            ErasureLane.class, "lanes.erasure.", ServingStatus.class, "serving.");

    @Test
    void everyFieldHasOneWriterAndOnlyItWritesIt() throws Exception {
        Map<String, String> writerOf = table();
        Set<String> fields = new TreeSet<>();
        GROUPS.forEach((group, prefix) -> {
            for (Method m : group.getMethods()) {
                if (m.getName().startsWith("set") && m.getParameterCount() == 1
                        && !GROUPS.containsKey(m.getParameterTypes()[0]) && m.getParameterTypes()[0] != ModelLanes.class) {
                    fields.add(prefix + Introspector.decapitalize(m.getName().substring(3)));
                }
            }
        });
        assertThat(writerOf.keySet()).as("every field of the status has a row in the table, and no more")
                .containsExactlyInAnyOrderElementsOf(fields);

        // The product's operator: the api package's own move of a flat status into the groups is not a writer.
        JavaClasses product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.unlearning.operator", "dev.unlearning.cli", "dev.unlearning.engine",
                        "dev.unlearning.store", "dev.unlearning.serving");
        Map<String, Set<String>> writers = new TreeMap<>();
        product.forEach(type -> {
            for (JavaMethodCall call : type.getMethodCallsFromSelf()) {
                String prefix = GROUPS.entrySet().stream()
                        .filter(g -> call.getTargetOwner().isEquivalentTo(g.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
                if (prefix != null && call.getName().startsWith("set")) {
                    String field = prefix + Introspector.decapitalize(call.getName().substring(3));
                    String writer = call.getOriginOwner().getSimpleName().replaceAll("\\$.*", "");
                    writers.computeIfAbsent(field, f -> new TreeSet<>()).add(writer);
                }
            }
        });
        assertThat(writers).as("status fields the product sets").isNotEmpty();
        writers.forEach((field, classes) -> assertThat(classes).as("writers of %s", field)
                .containsExactly(writerOf.get(field)));
    }

    private static Map<String, String> table() throws Exception {
        Map<String, String> writerOf = new HashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(ProjectPaths.root().resolve("docs/design.md"))) {
            if (line.startsWith("| fields of `ShardedModel.status` |")) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (inTable && row.matches()) {
                Matcher field = FIELD.matcher(row.group(1));
                while (field.find()) {
                    assertThat(writerOf.put(field.group(1), row.group(2))).as("%s has one row", field.group(1))
                            .isNull();
                }
            }
        }
        assertThat(writerOf).as("the table in docs/design.md").isNotEmpty();
        return writerOf;
    }

    @Test
    void theTableNamesClassesThatExist() throws Exception {
        for (String writer : new TreeSet<>(table().values())) {
            assertThat(Arrays.stream(new String[] {"dev.unlearning.operator.", "dev.unlearning.operator.status."})
                    .anyMatch(p -> exists(p + writer))).as("class %s", writer).isTrue();
        }
    }

    private static boolean exists(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
