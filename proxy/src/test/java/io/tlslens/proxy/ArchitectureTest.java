package io.tlslens.proxy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The proxy module's rooms and the one-way rule between them (README "How it works"):
 * {@code runtime → {admin, terminate, passthrough} → backend → conn → tls → telemetry → (inspector, config)}.
 */
class ArchitectureTest {
    private static JavaClasses proxy;
    private static JavaClasses all;

    @BeforeAll
    static void importClasses() {
        proxy = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tlslens.proxy");
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tlslens");
    }

    @Test
    void importsRunOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("runtime").definedBy("io.tlslens.proxy.runtime..")
                .layer("admin").definedBy("io.tlslens.proxy.admin..")
                .layer("terminate").definedBy("io.tlslens.proxy.terminate..")
                .layer("passthrough").definedBy("io.tlslens.proxy.passthrough..")
                .layer("backend").definedBy("io.tlslens.proxy.backend..")
                .layer("conn").definedBy("io.tlslens.proxy.conn..")
                .layer("tls").definedBy("io.tlslens.proxy.tls..")
                .layer("telemetry").definedBy("io.tlslens.proxy.telemetry..")
                .whereLayer("runtime").mayNotBeAccessedByAnyLayer()
                .whereLayer("admin").mayOnlyBeAccessedByLayers("runtime")
                .whereLayer("terminate").mayOnlyBeAccessedByLayers("runtime")
                .whereLayer("passthrough").mayOnlyBeAccessedByLayers("runtime")
                .whereLayer("backend").mayOnlyBeAccessedByLayers("runtime", "terminate", "passthrough")
                .whereLayer("conn").mayOnlyBeAccessedByLayers("runtime", "terminate", "passthrough", "backend")
                .whereLayer("tls").mayOnlyBeAccessedByLayers("runtime", "terminate", "passthrough", "backend", "conn")
                .whereLayer("telemetry").mayOnlyBeAccessedByLayers("runtime", "admin", "terminate", "passthrough",
                        "backend", "conn", "tls")
                .check(proxy);
    }

    @Test
    void adminReadsOnlyTelemetry() {
        noClasses().that().resideInAPackage("io.tlslens.proxy.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tlslens.proxy.runtime..",
                        "io.tlslens.proxy.terminate..", "io.tlslens.proxy.passthrough..", "io.tlslens.proxy.backend..",
                        "io.tlslens.proxy.conn..", "io.tlslens.proxy.tls..")
                .check(proxy);
    }

    @Test
    void everyClassLivesInTheRoomOfItsLegOrConcern() {
        noClasses().should().resideInAPackage("io.tlslens.proxy").check(proxy);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.tlslens.(**)").should().beFreeOfCycles().check(all);
    }

    @Test
    void inspectorAndConfigKnowNothingOfTheProxyOrNetty() {
        noClasses().that().resideInAnyPackage("io.tlslens.inspector..", "io.tlslens.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tlslens.proxy..", "io.netty..")
                .check(all);
        noClasses().that().resideInAPackage("io.tlslens.inspector..")
                .should().dependOnClassesThat().resideInAPackage("io.tlslens.config..")
                .check(all);
    }
}
