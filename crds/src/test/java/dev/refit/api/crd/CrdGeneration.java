package dev.refit.api.crd;

import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates the CRD YAML from the Java model, the way the committed files under {@code crds/} were
 * made. Fabric8's generator sorts printer columns by JSON path; a post-processor puts them back in
 * the order the classes declare them, which is the order {@code kubectl get} shows.
 */
public final class CrdGeneration {

  /** The resource classes, and the file each CRD is committed as. */
  public static final List<Class<? extends CustomResource<?, ?>>> RESOURCES =
      List.of(OSUpdatePolicy.class, OSNode.class);

  static final String HEADER =
      "# Generated from the Java model in crds/src/main/java/dev/refit/api. Do not edit.\n"
          + "# Regenerate with: ./mvnw -pl crds test -Dtest=CrdDriftTest -Drefit.crds.update=true\n";

  private CrdGeneration() {}

  /** The committed location of a CRD, relative to the crds module. */
  public static Path committedFile(String crdName) {
    return Path.of(crdName + ".yaml");
  }

  /** CRD name to YAML text, as it must be committed. */
  public static Map<String, String> generate() {
    MemoryOutput output = new MemoryOutput();
    new CRDGenerator()
        .withOutput(output)
        .forCRDVersions("v1")
        .withPostProcessor(new DeclaredColumnOrder())
        .customResourceClasses(RESOURCES.toArray(Class[]::new))
        .detailedGenerate();
    Map<String, String> result = new TreeMap<>();
    output.outputs.forEach(
        (name, bytes) -> {
          String yaml = bytes.toString(StandardCharsets.UTF_8);
          String body = yaml.substring(yaml.indexOf('\n') + 1); // drop the generator's own header
          result.put(name.substring(0, name.lastIndexOf("-v1")), HEADER + body);
        });
    return result;
  }

  /** Orders printer columns as the {@link AdditionalPrinterColumn} annotations are declared. */
  private static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      CustomResourceDefinition definition = (CustomResourceDefinition) crd;
      String kind = definition.getSpec().getNames().getKind();
      Class<?> type =
          RESOURCES.stream().filter(c -> c.getSimpleName().equals(kind)).findFirst().orElseThrow();
      List<String> declared =
          Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
        List<CustomResourceColumnDefinition> columns =
            new ArrayList<>(version.getAdditionalPrinterColumns());
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
        version.setAdditionalPrinterColumns(columns);
      }
      return crd;
    }
  }

  private static final class MemoryOutput
      extends CRDGenerator.AbstractCRDOutput<ByteArrayOutputStream> {
    final Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();

    @Override
    protected ByteArrayOutputStream createStreamFor(String crdName) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      outputs.put(crdName, stream);
      return stream;
    }
  }
}
