package dev.refit.updater;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * The node-updater's packages as layers, {@code app → {backend, kube} → agent → selinux → host},
 * and what the lower layers may touch. Checked on the main classes only: tests wire layers together
 * on purpose. Each rule is a plain JUnit test, so {@code -Dtest=ArchitectureTest} runs them.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.refit.updater");

  private static final String APP = "dev.refit.updater.app..";
  private static final String BACKEND = "dev.refit.updater.backend..";
  private static final String KUBE = "dev.refit.updater.kube..";
  private static final String AGENT = "dev.refit.updater.agent..";
  private static final String SELINUX = "dev.refit.updater.selinux..";
  private static final String HOST = "dev.refit.updater.host..";

  /**
   * Imports run downward only, so each layer can be understood, tested and replaced without the
   * ones above it: the agent decides without knowing which OS or which API server it serves, and a
   * host command never reaches back into a decision.
   */
  private static final ArchRule LAYERS =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("app")
          .definedBy(APP)
          .layer("backend")
          .definedBy(BACKEND)
          .layer("kube")
          .definedBy(KUBE)
          .layer("agent")
          .definedBy(AGENT)
          .layer("selinux")
          .definedBy(SELINUX)
          .layer("host")
          .definedBy(HOST)
          .whereLayer("app")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("backend")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("kube")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("agent")
          .mayOnlyBeAccessedByLayers("app", "backend", "kube")
          .whereLayer("selinux")
          .mayOnlyBeAccessedByLayers("app", "backend", "kube", "agent")
          .whereLayer("host")
          .mayOnlyBeAccessedByLayers("app", "backend", "kube", "agent", "selinux");

  @Test
  void importsRunDownwardOnly() {
    LAYERS.check(MAIN);
  }

  /**
   * One OS family's quirks never leak into another's: adding or removing a family touches its own
   * package (and the factory), and what two families share is written once in {@code backend}.
   */
  private static final ArchRule FAMILIES_APART =
      slices().matching("dev.refit.updater.backend.(*)..").should().notDependOnEachOther();

  @Test
  void noBackendFamilyImportsAnother() {
    FAMILIES_APART.check(MAIN);
  }

  /**
   * The shared backend code knows no family; only the factory ({@code Backends}) names them, so a
   * family's package can be read on its own.
   */
  private static final ArchRule SHARED_BACKEND_CODE =
      noClasses()
          .that()
          .resideInAPackage("dev.refit.updater.backend")
          .and()
          .haveNameNotMatching("dev\\.refit\\.updater\\.backend\\.Backends(\\$.*)?")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.refit.updater.backend.*..");

  @Test
  void sharedBackendCodeKnowsNoFamily() {
    SHARED_BACKEND_CODE.check(MAIN);
  }

  /**
   * The agent, SELinux and host layers never talk to the API server: kube does, so that many agents
   * can share one process in the simulator. Allowed: the API types' base class ({@code
   * CustomResource}, which the crds model extends) and fabric8's JSON mapper, which the agent uses
   * to copy and compare statuses without any I/O.
   */
  private static final ArchRule NO_KUBERNETES_CLIENT =
      noClasses()
          .that()
          .resideInAnyPackage(AGENT, SELINUX, HOST)
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.fabric8.kubernetes.client..")
                  .and(not(type(CustomResource.class)))
                  .and(not(type(Serialization.class))));

  @Test
  void lowerLayersDoNotUseTheKubernetesClient() {
    NO_KUBERNETES_CLIENT.check(MAIN);
  }

  /** SELinux and host code read and change the host only; they know no Kubernetes type at all. */
  private static final ArchRule NO_KUBERNETES_AT_ALL =
      noClasses()
          .that()
          .resideInAnyPackage(SELINUX, HOST)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.fabric8..");

  @Test
  void selinuxAndHostKnowNoKubernetes() {
    NO_KUBERNETES_AT_ALL.check(MAIN);
  }

  /**
   * Metrics are recorded through the agent's own {@code AgentMetrics} interface; Micrometer is the
   * app's choice, so tests and the simulator run the agent without a registry.
   */
  private static final ArchRule NO_MICROMETER =
      noClasses()
          .that()
          .resideInAnyPackage(AGENT, SELINUX, HOST)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.micrometer..");

  @Test
  void lowerLayersDoNotUseMicrometer() {
    NO_MICROMETER.check(MAIN);
  }

  /**
   * The agent runs on an executor it is given (the app's, or the simulator's shared one, or a
   * test's that runs nothing on its own); no lower layer makes a pool of its own.
   */
  private static final ArchRule NO_EXECUTORS_OF_THEIR_OWN =
      noClasses()
          .that()
          .resideInAnyPackage(AGENT, SELINUX, HOST)
          .should()
          .callMethodWhere(
              describe(
                  "a method of Executors",
                  (JavaCall<?> call) -> call.getTargetOwner().isEquivalentTo(Executors.class)))
          .orShould()
          .callConstructorWhere(
              describe(
                  "a constructor of an ExecutorService or ForkJoinPool",
                  (JavaCall<?> call) ->
                      call.getTargetOwner().isAssignableTo(ExecutorService.class)
                          || call.getTargetOwner().isAssignableTo(ForkJoinPool.class)));

  @Test
  void lowerLayersCreateNoExecutors() {
    NO_EXECUTORS_OF_THEIR_OWN.check(MAIN);
  }

  /**
   * The agent's decisions and status times come from the Clock it is given, so tests and the
   * simulator move time by hand; a wall-clock read would make them depend on the real time.
   * (System.nanoTime stays allowed: the host runner measures command timeouts with it, a duration,
   * not a time of day.)
   */
  private static final ArchRule NO_SYSTEM_CLOCK =
      noClasses()
          .that()
          .resideInAnyPackage(AGENT, SELINUX, HOST)
          .should()
          .callMethodWhere(
              describe("a read of the system clock", ArchitectureTest::readsTheSystemClock));

  @Test
  void lowerLayersReadTimeOnlyFromAnInjectedClock() {
    NO_SYSTEM_CLOCK.check(MAIN);
  }

  private static final Map<Class<?>, Set<String>> SYSTEM_CLOCK_READS =
      Map.of(
          System.class, Set.of("currentTimeMillis"),
          Clock.class, Set.of("systemUTC", "systemDefaultZone", "system"),
          Instant.class, Set.of("now"),
          LocalDate.class, Set.of("now"),
          LocalDateTime.class, Set.of("now"),
          LocalTime.class, Set.of("now"),
          OffsetDateTime.class, Set.of("now"),
          ZonedDateTime.class, Set.of("now"));

  /** {@code now()} without a Clock argument, or a method that hands out the system clock. */
  private static boolean readsTheSystemClock(JavaCall<?> call) {
    JavaClass owner = call.getTargetOwner();
    return SYSTEM_CLOCK_READS.entrySet().stream()
        .anyMatch(
            e ->
                owner.isEquivalentTo(e.getKey())
                    && e.getValue().contains(call.getName())
                    && !(call.getName().equals("now")
                        && call.getTarget().getRawParameterTypes().stream()
                            .anyMatch(p -> p.isEquivalentTo(Clock.class))));
  }
}
