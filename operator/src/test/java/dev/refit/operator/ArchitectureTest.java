package dev.refit.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's rooms and their rules, checked on the compiled classes: imports run one way only
 * ({@code config → reconcile → act → status → plan → lifecycle}), and the decision rooms are pure.
 * Each package's {@code package-info.java} states its rule in words.
 */
class ArchitectureTest {

  private static final String OPERATOR = "dev.refit.operator";
  private static final String[] PURE = {
    OPERATOR + ".status..", OPERATOR + ".plan..", OPERATOR + ".lifecycle.."
  };

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(OPERATOR);
  }

  /** A room may use only the rooms below it, so a change below never needs one above. */
  @Test
  void importsRunDownwardOnly() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("config")
        .definedBy(OPERATOR + ".config..")
        .layer("reconcile")
        .definedBy(OPERATOR + ".reconcile..")
        .layer("act")
        .definedBy(OPERATOR + ".act..")
        .layer("status")
        .definedBy(OPERATOR + ".status..")
        .layer("plan")
        .definedBy(OPERATOR + ".plan..")
        .layer("lifecycle")
        .definedBy(OPERATOR + ".lifecycle..")
        .whereLayer("reconcile")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("reconcile")
        .whereLayer("act")
        .mayOnlyBeAccessedByLayers("reconcile", "config")
        .whereLayer("status")
        .mayOnlyBeAccessedByLayers("reconcile", "act")
        .whereLayer("plan")
        .mayOnlyBeAccessedByLayers("reconcile", "act", "status")
        .whereLayer("lifecycle")
        .mayOnlyBeAccessedByLayers("reconcile", "act", "status", "plan")
        .check(classes);
  }

  /** Decisions never talk to the API server, the SDK, Prometheus or CDI: that is I/O's job. */
  @Test
  void decisionsDoNoIo() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(PURE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.fabric8.kubernetes.client..",
                "io.javaoperatorsdk..",
                "io.micrometer..",
                "io.quarkus..",
                "jakarta..",
                "org.jboss.logging..")
            .because("status, plan and lifecycle are pure: the same inputs give the same result");
    rule.check(classes);
  }

  /**
   * Decisions are recomputable: no threads of their own and no clock but the time they are given.
   */
  @Test
  void decisionsReadNoClockAndStartNoThreads() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(PURE)
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(
                Clock.class, Executor.class, ExecutorService.class, Executors.class, Thread.class)
            .orShould()
            .callMethod(Instant.class, "now")
            .orShould()
            .callMethod(LocalDateTime.class, "now")
            .orShould()
            .callMethod(ZonedDateTime.class, "now")
            .orShould()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .because("a decision must be the same when a new leader recomputes it from the API");
    rule.check(classes);
  }

  /** Only the reconcile room knows the SDK: every other room can be used and tested without it. */
  @Test
  void onlyReconcileKnowsTheSdk() {
    noClasses()
        .that()
        .resideOutsideOfPackages(OPERATOR + ".reconcile..", OPERATOR + ".config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.javaoperatorsdk..")
        .check(classes);
  }
}
