package io.qemucompose.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spring must never load on the one-shot path (it costs ~0.5 s of start-up), and the core stays
 * framework-free. These rules read the compiled classes of shell, reconciler and state-store.
 * (Plain Jupiter tests calling ArchUnit's API: the ArchUnit JUnit engine is not discovered under
 * the JUnit version Spring Boot 4 manages.)
 */
class OneShotPathArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.qemucompose");
    }

    private static ArchRule noSpringIn(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.jline..");
    }

    @Test
    void oneShotCommandsDoNotUseSpring() {
        noSpringIn("io.qemucompose.cli..")
                .because("./qemu-compose <command> runs io.qemucompose.cli.Main without Spring on the classpath")
                .check(classes);
    }

    @Test
    void oneShotCommandsDoNotUseTheWebServer() {
        noClasses().that().resideInAPackage("io.qemucompose.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.catalina..", "org.apache.tomcat..",
                        "jakarta.servlet..", "jakarta.websocket..")
                .because("Tomcat (the daemon's API, page and WebSockets) is not on the one-shot classpath")
                .check(classes);
    }

    @Test
    void oneShotCommandsDoNotReachIntoTheInteractiveShellOrDaemon() {
        noClasses().that().resideInAPackage("io.qemucompose.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.qemucompose.shell..", "io.qemucompose.daemon..")
                .check(classes);
    }

    @Test
    void reconcilerAndStateStoreDoNotUseSpring() {
        noClasses().that().resideOutsideOfPackages("io.qemucompose.shell..", "io.qemucompose.daemon..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("reconciler and state-store are plain Java; Spring lives in shell only")
                .check(classes);
    }

    @Test
    void theRuleDoesCatchSpringWhereItIs() {
        // the interactive shell uses Spring on purpose: the same rule must flag it
        assertThatThrownBy(() -> noSpringIn("io.qemucompose.shell..").check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.springframework");
    }
}
