package io.wirefx.daemon.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.wirefx.platform.Platform;
import io.wirefx.platform.PlatformUnavailableException;
import io.wirefx.platform.Platforms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seam between the portable service and the operating systems: the service (manager, store, log, IPC dispatch,
 * UAPI, CLI) and the platform interfaces name no OS; each OS module is found at run time through
 * {@link java.util.ServiceLoader}, and dependencies point downward (no OS module knows the service).
 */
class PlatformSeamTest {
    private static final String[] OS_PACKAGES = {"..linux..", "..macos..", "..windows.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // The modules' main classes, as directories (mvn test) or jars (mvn verify); no test classes or test-jars.
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.wirefx");
    }

    @Test
    void thePortableServiceNamesNoOperatingSystem() {
        noClasses().that().resideInAPackage("io.wirefx.daemon..")
                .should().dependOnClassesThat().resideInAnyPackage(OS_PACKAGES)
                .because("the service reaches the OS only through io.wirefx.platform interfaces")
                .check(classes);
    }

    @Test
    void thePlatformInterfacesNameNoOperatingSystem() {
        noClasses().that().resideInAnyPackage("io.wirefx.platform", "io.wirefx.platform.unix")
                .should().dependOnClassesThat().resideInAnyPackage(OS_PACKAGES)
                .check(classes);
    }

    @Test
    void platformModulesDependDownward() {
        noClasses().that().resideInAnyPackage("io.wirefx.platform..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wirefx.daemon..", "io.wirefx.engine..")
                .check(classes);
    }

    @Test
    void theJitWarmUpDrivesTheEngineFromOutside() {
        noClasses().that().resideInAnyPackage("io.wirefx.engine..", "io.wirefx.tun..", "io.wirefx.core..",
                        "io.wirefx.platform..")
                .should().dependOnClassesThat().resideInAPackage("io.wirefx.warmup..")
                .because("the warm-up is a module of its own that reaches the engine through ManualDrive only")
                .check(classes);
    }

    @Test
    void theLinuxPlatformIsFoundAndFitsThisMachine() throws PlatformUnavailableException {
        assertTrue(Platforms.ids().contains("linux"), Platforms.ids()::toString);
        Platform p = Platforms.current();
        assertEquals("linux", p.id());
        assertEquals(p.id(), Platforms.byId("linux").orElseThrow().id());
    }
}
