package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The images that the poms' Jib configuration builds are the ones the chart deploys by default,
 * start from pinned base images, and the operator's runs as the user the chart expects.
 */
class ImagesTest {

  /** The Maven project version: the root pom's, which every module inherits. */
  static final String VERSION = text(pom("pom.xml"), "version").orElse("");

  @Test
  void theChartVersionAndAppVersionAreTheMavenProjectVersion() {
    assertThat(VERSION).isNotBlank();
    assertThat(Maps.path(Chart.chartYaml(), "version")).isEqualTo(VERSION);
    assertThat(Maps.path(Chart.chartYaml(), "appVersion")).isEqualTo(VERSION);
    for (String module : List.of("operator", "node-updater")) {
      Element project = pom(module + "/pom.xml");
      assertThat(text(project, "parent", "version")).as(module).contains(VERSION);
      assertThat(text(project, "version")).as("%s sets no version of its own", module).isEmpty();
    }
  }

  @Test
  void byDefaultTheChartDeploysTheOperatorImageJibBuilds() {
    assertThat(chartDefaultImage("operator")).isEqualTo(Jib.of("operator").value("to", "image"));
  }

  @Test
  void byDefaultTheChartDeploysTheNodeUpdaterImageJibBuilds() {
    assertThat(chartDefaultImage("nodeUpdater"))
        .isEqualTo(Jib.of("node-updater").value("to", "image"));
  }

  @Test
  void everyImageStartsFromABaseImagePinnedByDigest() {
    for (Jib jib : List.of(Jib.of("operator"), Jib.of("node-updater"))) {
      assertThat(jib.value("from", "image"))
          .as(jib.module())
          .matches("[^@\\s]+@sha256:[0-9a-f]{64}");
    }
  }

  @Test
  void theOperatorImageRunsAsTheNumericNonRootUserTheChartSets() {
    String user = Jib.of("operator").value("container", "user");
    assertThat(user).as("uid:gid, numeric, so runAsNonRoot can check it").matches("\\d+:\\d+");
    String[] ids = user.split(":");
    assertThat(Long.parseLong(ids[0])).as("uid").isNotZero();
    assertThat(Long.parseLong(ids[1])).as("gid").isNotZero();

    Map<String, Object> pod =
        Maps.map(Chart.render().get("Deployment", "refit-operator"), "spec", "template", "spec");
    assertThat(Maps.path(pod, "securityContext", "runAsUser")).isEqualTo(Integer.valueOf(ids[0]));
    assertThat(Maps.path(pod, "securityContext", "runAsGroup")).isEqualTo(Integer.valueOf(ids[1]));
  }

  @Test
  void theOperatorEntrypointLeavesHeapSizingToJavaToolOptions() {
    List<String> entrypoint = Jib.of("operator").list("container", "entrypoint");
    assertThat(entrypoint).startsWith("java").endsWith("-jar", "/deployments/quarkus-run.jar");
    assertThat(entrypoint)
        .noneMatch(arg -> arg.matches("-Xm[sx].*|-XX:(Max|Min|Initial)RAM.*|-XX:MaxHeapSize.*"));
  }

  @Test
  void theDefaultBuildBuildsNoImage() {
    // `./mvnw verify` stays offline: Jib runs only when a jib:* goal is asked for.
    for (Jib jib : List.of(Jib.of("operator"), Jib.of("node-updater"))) {
      assertThat(child(jib.plugin(), "executions")).as(jib.module()).isEmpty();
    }
  }

  /** repository:tag, as the chart's image helper makes it from the default values. */
  private static String chartDefaultImage(String component) {
    Map<String, Object> image = Maps.map(Chart.defaultValues(), component, "image");
    assertThat(image.get("digest")).as("%s.image.digest replaces the tag", component).isEqualTo("");
    String tag = (String) image.get("tag");
    String appVersion = (String) Maps.path(Chart.chartYaml(), "appVersion");
    return image.get("repository") + ":" + (tag == null || tag.isEmpty() ? appVersion : tag);
  }

  /** The jib-maven-plugin declared in a module's build/plugins. */
  record Jib(String module, Element plugin) {

    static Jib of(String module) {
      Element plugins = child(pom(module + "/pom.xml"), "build", "plugins").orElseThrow();
      return elements(plugins).stream()
          .filter(p -> text(p, "artifactId").orElse("").equals("jib-maven-plugin"))
          .findFirst()
          .map(p -> new Jib(module, p))
          .orElseThrow(() -> new AssertionError(module + "/pom.xml declares no jib-maven-plugin"));
    }

    /** The text at this path of its configuration, with ${project.version} resolved. */
    String value(String... path) {
      String value =
          configuration(path).getTextContent().trim().replace("${project.version}", VERSION);
      assertThat(value).as("%s: every property resolved", module).doesNotContain("${");
      return value;
    }

    /** The entries of the list parameter at this path of its configuration. */
    List<String> list(String... path) {
      return elements(configuration(path)).stream().map(e -> e.getTextContent().trim()).toList();
    }

    private Element configuration(String... path) {
      List<String> names = new ArrayList<>(List.of(path));
      names.add(0, "configuration");
      return child(plugin, names.toArray(String[]::new))
          .orElseThrow(
              () -> new AssertionError(module + ": no <" + String.join("><", names) + ">"));
    }
  }

  private static Element pom(String pathInRepo) {
    Path file = Chart.REPO.resolve(pathInRepo);
    try {
      return DocumentBuilderFactory.newInstance()
          .newDocumentBuilder()
          .parse(file.toFile())
          .getDocumentElement();
    } catch (Exception e) {
      throw new IllegalStateException("cannot parse " + file, e);
    }
  }

  private static Optional<String> text(Element element, String... path) {
    return child(element, path).map(e -> e.getTextContent().trim());
  }

  /** The element at this path of child element names, first match at each step. */
  private static Optional<Element> child(Element element, String... path) {
    Optional<Element> current = Optional.of(element);
    for (String name : path) {
      current =
          current.flatMap(
              e -> elements(e).stream().filter(c -> c.getTagName().equals(name)).findFirst());
    }
    return current;
  }

  private static List<Element> elements(Element parent) {
    List<Element> elements = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element) {
        elements.add(element);
      }
    }
    return elements;
  }
}
