package dev.refit.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The API calls the system tests recorded: every embedded API writes the distinct calls it served
 * to {@code target/api-calls/*.tsv} of the module whose tests ran it (the harness's {@code
 * ApiRequestLog}), one per line: client (User-Agent), verb, API group, resource (with subresource),
 * namespace (empty: cluster-scoped or all namespaces), fields a patch touched.
 */
final class RecordedCalls {

  /** The modules built before the chart whose tests run the operator and the agent. */
  static final List<String> MODULES = List.of("operator", "node-updater", "simulator", "src/test");

  /** A call of one component, as RBAC sees it. */
  record Call(
      String client, String verb, String group, String resource, String namespace, String fields) {

    /** The resource without its subresource: {@code pods} for {@code pods/eviction}. */
    String baseResource() {
      int slash = resource.indexOf('/');
      return slash < 0 ? resource : resource.substring(0, slash);
    }

    boolean isWrite() {
      return Set.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
    }

    @Override
    public String toString() {
      return verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resource
          + (namespace.isEmpty() ? "" : " in " + namespace)
          + (fields.isEmpty() ? "" : " [" + fields + "]")
          + " by "
          + client;
    }
  }

  private RecordedCalls() {}

  /** Every call recorded by the modules' tests. */
  static Set<Call> all() {
    Set<Call> calls = new TreeSet<>(java.util.Comparator.comparing(Call::toString));
    for (String module : MODULES) {
      Path dir = Chart.REPO.resolve(module).resolve("target").resolve("api-calls");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".tsv")).toList()) {
          for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
              String[] f = line.split("\t", -1);
              calls.add(new Call(f[0], f[1], f[2], f[3], f[4], f[5]));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return calls;
  }

  /** The calls of clients whose User-Agent starts with this prefix. */
  static Set<Call> of(Set<Call> calls, String clientPrefix) {
    return calls.stream()
        .filter(c -> c.client().startsWith(clientPrefix))
        .collect(
            Collectors.toCollection(
                () -> new TreeSet<>(java.util.Comparator.comparing(Call::toString))));
  }
}
