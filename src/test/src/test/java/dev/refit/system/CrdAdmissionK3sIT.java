package dev.refit.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Real admission by a real API server (K3s): the committed CRDs are accepted (structural schema,
 * CEL cost budget, printer column types), every documented example is admitted and every invalid
 * manifest the offline tests use is rejected, naming the field. Runs only where Docker exists.
 */
@Testcontainers(disabledWithoutDocker = true)
class CrdAdmissionK3sIT {

  private static final Path REPO = Path.of("..", "..");
  private static final String EXPECTATION = "# rejected: ";

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  private static KubernetesClient client;

  @BeforeAll
  static void installCrds() throws IOException {
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build();
    for (String crd : List.of("osupdatepolicies.refit.dev.yaml", "osnodes.refit.dev.yaml")) {
      CustomResourceDefinition definition =
          Serialization.unmarshal(
              Files.readString(REPO.resolve("crds").resolve(crd)), CustomResourceDefinition.class);
      client.resource(definition).create();
      client
          .resource(definition)
          .waitUntilCondition(
              d ->
                  d.getStatus() != null
                      && d.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  "Established".equals(c.getType())
                                      && "True".equals(c.getStatus())),
              1,
              TimeUnit.MINUTES);
    }
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  static Stream<Path> examples() throws IOException {
    return yamlFiles(REPO.resolve("docs").resolve("examples"));
  }

  static Stream<Path> invalidManifests() throws IOException {
    return yamlFiles(REPO.resolve("admission/src/test/resources/admission/invalid"));
  }

  @ParameterizedTest(name = "{0} is admitted by a real API server")
  @MethodSource("examples")
  void examplesAreAdmitted(Path example) throws IOException {
    List<HasMetadata> objects = client.load(Files.newInputStream(example)).items();
    for (HasMetadata object : objects) {
      client.resource(object).create();
      assertThat(client.resource(object).get()).isNotNull();
      client.resource(object).withTimeout(30, TimeUnit.SECONDS).delete();
    }
  }

  @ParameterizedTest(name = "{0} is rejected by a real API server")
  @MethodSource("invalidManifests")
  void invalidManifestsAreRejectedNamingTheField(Path manifest) throws IOException {
    String text = Files.readString(manifest);
    String expected = text.substring(EXPECTATION.length(), text.indexOf('\n'));
    String field = expected.substring(0, expected.indexOf(':'));
    GenericKubernetesResource object =
        Serialization.unmarshal(text, GenericKubernetesResource.class);

    assertThatThrownBy(() -> client.resource(object).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(field);
  }

  private static Stream<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }
}
