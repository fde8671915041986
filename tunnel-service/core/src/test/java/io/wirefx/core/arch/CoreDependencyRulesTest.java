package io.wirefx.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The core is pure protocol: JDK + BouncyCastle, no I/O, no threads, no clock; its packages depend downward. */
class CoreDependencyRulesTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wirefx.core");
    }

    @Test
    void dependsOnlyOnTheJdkAndBouncyCastle() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.wirefx.core..", "java..", "javax.crypto..", "org.bouncycastle..")
                .check(core);
    }

    @Test
    void noSocketsThreadsOrClocks() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.nio.channels..", "java.net.http..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ExecutorService")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .check(core);
    }

    @Test
    void packagesDependDownward() {
        // crypto is the bottom; the wire format and tables know nothing of handshakes or devices.
        classes().that().resideInAPackage("io.wirefx.core.crypto..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.wirefx.core.crypto..", "java..", "javax..", "org.bouncycastle..")
                .check(core);
        noClasses().that().resideInAnyPackage("io.wirefx.core.message..", "io.wirefx.core.replay..",
                        "io.wirefx.core.routing..", "io.wirefx.core.timers..", "io.wirefx.core.config..",
                        "io.wirefx.core.noise..", "io.wirefx.core.uapi..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wirefx.core.device..")
                .check(core);
    }
}
