package io.wirefx.ui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The UI talks to the service only: core's config and crypto packages, the IPC API, JavaFX; AWT only for the tray. */
class ArchitectureTest {
    private static JavaClasses ui;

    @BeforeAll
    static void importClasses() {
        ui = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wirefx.ui");
    }

    @Test
    void usesOnlyTheServiceApiAndCoreConfigAndCrypto() {
        classes().that().resideInAPackage("io.wirefx.ui..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.wirefx.ui..", "io.wirefx.ipc..", "io.wirefx.core.config..", "io.wirefx.core.crypto..",
                        "java..", "javafx..", "org.freedesktop.dbus..")
                .because("the tray app reaches the tunnel engine only through the service's socket")
                .check(ui);
    }

    @Test
    void neverTouchesTheEngineOrTheDaemon() {
        noClasses().that().resideInAPackage("io.wirefx.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wirefx.core.device..",
                        "io.wirefx.core.noise..", "io.wirefx.core.timers..", "io.wirefx.core.uapi..",
                        "io.wirefx.daemon..", "io.wirefx.tun..")
                .check(ui);
    }

    @Test
    void awtOnlyInTheTrayPackage() {
        noClasses().that().resideOutsideOfPackage("io.wirefx.ui.tray..")
                .should().dependOnClassesThat().resideInAnyPackage("java.awt..", "javax.swing..")
                .because("AWT is only for the system tray, which JavaFX lacks")
                .check(ui);
    }

    @Test
    void dbusOnlyInTheDbusPackageAndTheApp() {
        noClasses().that().resideOutsideOfPackage("io.wirefx.ui.dbus..")
                .and().doNotHaveFullyQualifiedName("io.wirefx.ui.WireFxApp")
                .should().dependOnClassesThat().resideInAnyPackage("org.freedesktop..")
                .because("the session bus (tray item, menu, notifications) is one package's business")
                .check(ui);
    }

    @Test
    void dbusPackageNeedsNoToolkit() {
        noClasses().that().resideInAPackage("io.wirefx.ui.dbus..")
                .should().dependOnClassesThat().resideInAnyPackage("java.awt..", "javax.swing..", "javafx..")
                .because("D-Bus methods arrive on dbus-java's threads; the actions hop to the FX thread")
                .check(ui);
    }

    @Test
    void viewModelsDoNotDependOnJavaFxScene() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..",
                        "javafx.application..")
                .because("view models are tested without the FX thread")
                .check(ui);
    }
}
