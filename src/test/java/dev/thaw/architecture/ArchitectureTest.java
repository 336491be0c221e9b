package dev.thaw.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package boundaries of docs/architecture.md, checked on every build: core knows nothing of
 * the UI, the UI reaches the engines only through core, the CLI never touches JavaFX, and UI
 * features talk through view models and {@code ui.common}, not to each other.
 */
@AnalyzeClasses(packages = "dev.thaw", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreHasNoJavaFx = noClasses().that().resideInAPackage("dev.thaw.core..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..", "org.kordamp..")
            .because("core is the headless engine the CLI and tests use without a display");

    @ArchTest
    static final ArchRule coreDoesNotKnowUiOrCli = noClasses().that().resideInAPackage("dev.thaw.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.thaw.ui..", "dev.thaw.cli..");

    @ArchTest
    static final ArchRule uiUsesEnginesThroughCore = noClasses().that().resideInAPackage("dev.thaw.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
            .because("core is the only place that imports DJL");

    @ArchTest
    static final ArchRule cliUsesEnginesThroughCore = noClasses().that().resideInAPackage("dev.thaw.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..");

    @ArchTest
    static final ArchRule cliHasNoJavaFx = noClasses().that().resideInAPackage("dev.thaw.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dev.thaw.ui..");

    @ArchTest
    static final ArchRule uiFeaturesAreIndependent = slices().matching("dev.thaw.ui.(*)..")
            .namingSlices("ui feature '$1'")
            .should().notDependOnEachOther()
            .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage("dev.thaw.ui.common.."))
            .ignoreDependency(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage("dev.thaw.ui.main.."),
                    com.tngtech.archunit.base.DescribedPredicate.alwaysTrue())
            .because("features meet in ui.main (the composition root) and share only ui.common");

    @ArchTest
    static final ArchRule viewsDoNotCallRunLater = noClasses().that().resideInAPackage("dev.thaw.ui..")
            .and().resideOutsideOfPackage("dev.thaw.ui.common..")
            .should().callMethod(javafx.application.Platform.class, "runLater", Runnable.class)
            .because("engine events reach the FX thread through exactly one relay in ui.common");
}
