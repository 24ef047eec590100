package io.wharf.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package arrows of STYLE.md: HTTP → registry domain → storage driver, nothing upward. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wharf");
    }

    @Test
    void specDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.wharf.spec..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.storage..", "io.wharf.registry..",
                        "io.wharf.http..", "io.wharf.config..", "io.wharf.server..")
                .check(classes);
    }

    @Test
    void storageKnowsBytesAndPathsOnly() {
        noClasses().that().resideInAPackage("io.wharf.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.spec..", "io.wharf.registry..",
                        "io.wharf.http..", "io.wharf.config..", "io.wharf.server..")
                .check(classes);
    }

    @Test
    void registryDoesNotKnowHttpConfigOrServer() {
        noClasses().that().resideInAPackage("io.wharf.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.http..", "io.wharf.config..",
                        "io.wharf.server..", "org.eclipse.jetty..")
                .check(classes);
    }

    @Test
    void httpDoesNotReachIntoDriversOrServer() {
        noClasses().that().resideInAPackage("io.wharf.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.storage.fs..",
                        "io.wharf.storage.memory..", "io.wharf.storage.s3..", "io.wharf.server..", "io.wharf.config..")
                .check(classes);
    }

    /** auth sits between http and spec: it reads config records and spec values, and knows nothing below or above. */
    @Test
    void authKnowsOnlySpecAndConfig() {
        noClasses().that().resideInAPackage("io.wharf.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.http..", "io.wharf.server..",
                        "io.wharf.registry..", "io.wharf.storage..", "org.eclipse.jetty..")
                .check(classes);
    }

    @Test
    void nothingBelowHttpKnowsAuth() {
        noClasses().that().resideInAnyPackage("io.wharf.spec..", "io.wharf.config..", "io.wharf.registry..",
                        "io.wharf.storage..")
                .should().dependOnClassesThat().resideInAPackage("io.wharf.auth..")
                .check(classes);
    }

    @Test
    void onlyTheServerPackageWiresDrivers() {
        noClasses().that().resideOutsideOfPackages("io.wharf.server..", "io.wharf.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.storage.fs..", "io.wharf.storage.memory..",
                        "io.wharf.storage.s3..", "software.amazon.awssdk..")
                .check(classes);
    }

    /** The HTTP layer reaches the domain through its roles, so a decorator or the policy can never be bypassed. */
    @Test
    void httpUsesTheDomainsRolesNotItsImplementations() {
        noClasses().that().resideInAPackage("io.wharf.http..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.wharf.registry.Manifests")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.wharf.registry.Uploads")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.wharf.registry.RepositoryBlobs")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.wharf.registry.BlobStore")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.wharf.registry.Tags")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.wharf.registry.RepositoryIndex")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.wharf.(*)..").should().beFreeOfCycles().check(classes);
    }
}
