package dev.unlearning;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/design.md, as rules: {@code api} at the bottom; {@code store} above it;
 * {@code engine} and {@code serving} above that and never reaching into the operator or the cli; the cli on
 * top; and no two packages that need each other, at any depth.
 */
class LayeringTest {

    static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.unlearning");

    @Test
    void theApiIsTheBottomLayer() {
        noClasses().that().resideInAPackage("dev.unlearning.api..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.unlearning.store..", "dev.unlearning.engine..", "dev.unlearning.serving..",
                        "dev.unlearning.operator..", "dev.unlearning.cli..")
                .check(PRODUCT);
    }

    @Test
    void theStoreKnowsOnlyTheApi() {
        noClasses().that().resideInAPackage("dev.unlearning.store..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.unlearning.engine..", "dev.unlearning.serving..", "dev.unlearning.operator..",
                        "dev.unlearning.cli..")
                .check(PRODUCT);
    }

    @Test
    void engineAndServingNeverReachIntoTheOperatorOrTheCli() {
        noClasses().that().resideInAnyPackage("dev.unlearning.engine..", "dev.unlearning.serving..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.unlearning.operator..", "dev.unlearning.cli..")
                .check(PRODUCT);
        noClasses().that().resideInAPackage("dev.unlearning.engine..").should().dependOnClassesThat()
                .resideInAPackage("dev.unlearning.serving..")
                .check(PRODUCT);
    }

    @Test
    void theOperatorNeverServes() {
        // The operator runs no model: it plans from status and reads results, it never loads weights to answer.
        noClasses().that().resideInAPackage("dev.unlearning.operator..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.unlearning.serving..", "dev.unlearning.cli..")
                .check(PRODUCT);
    }

    @Test
    void noPackagesDependOnEachOther() {
        slices().matching("dev.unlearning.(**)").should().beFreeOfCycles().check(PRODUCT);
    }
}
