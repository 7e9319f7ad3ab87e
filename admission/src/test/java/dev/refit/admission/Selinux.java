package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** The spec's selinux section: mode, booleans (up to 128) and modules (up to 32). */
final class Selinux {

  private Selinux() {}

  static Arbitrary<JsonNode> policy() {
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put(
        "mode",
        PolicyManifests.optional(PolicyManifests.text(Values.oneOf("Enforcing", "Permissive"))));
    fields.put("booleans", PolicyManifests.optional(booleans()));
    fields.put("modules", PolicyManifests.optional(modules()));
    return PolicyManifests.object(fields);
  }

  static Arbitrary<JsonNode> booleans() {
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            Tuple.of(
                6,
                Arbitraries.of(
                    "container_manage_cgroup", "virt_use_nfs", "httpd_can_network_connect")),
            Tuple.of(
                3,
                Combinators.combine(
                        Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings()
                            .withCharRange('a', 'z')
                            .numeric()
                            .withChars('_')
                            .ofMaxLength(127))
                    .as((first, rest) -> first + rest)),
            Tuple.of(1, Values.fill("b", '_', 128)));
    Arbitrary<String> names =
        Values.orRarely(name, Arbitraries.of("Virt_use_nfs", "1a", Values.fillTo("b", '_', 129)));
    return Values.size(0, 128)
        .flatMap(
            n ->
                Arbitraries.maps(names, Arbitraries.of(true, false))
                    .ofSize(n)
                    .map(
                        map -> {
                          ArrayNode array = PolicyManifests.JSON.arrayNode();
                          map.forEach((k, v) -> array.addObject().put("name", k).put("value", v));
                          return (JsonNode) array;
                        }));
  }

  static Arbitrary<JsonNode> modules() {
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            Tuple.of(
                6,
                Arbitraries.of("local_nfs", "myapp", "Container_Extra", "nginx-custom", "my.app")),
            Tuple.of(
                3,
                // a letter, then runs of letters, digits, '_' and '-' with one dot between runs
                Combinators.combine(
                        Arbitraries.chars().alpha(),
                        Arbitraries.strings()
                            .alpha()
                            .numeric()
                            .withChars("_-")
                            .ofMinLength(1)
                            .ofMaxLength(9)
                            .list()
                            .ofMaxSize(6))
                    .as((first, runs) -> first + String.join(".", runs))),
            Tuple.of(1, Values.fill("M", '-', 64)));
    Arbitrary<String> names =
        Values.orRarely(
            name, Arbitraries.of("_m", "my..app", "app.", "-r", Values.fillTo("M", '_', 65)));
    return Values.size(0, 32)
        .flatMap(
            n ->
                Combinators.combine(
                        names.list().ofSize(n).uniqueElements(), module().list().ofSize(n))
                    .as(
                        (unique, bodies) -> {
                          ArrayNode array = PolicyManifests.JSON.arrayNode();
                          for (int i = 0; i < n; i++) {
                            ObjectNode module = ((ObjectNode) bodies.get(i)).deepCopy();
                            module.put("name", unique.get(i));
                            array.add(module);
                          }
                          return (JsonNode) array;
                        }));
  }

  /** A module without its name: priority, and its CIL inline or from a ConfigMap. */
  static Arbitrary<JsonNode> module() {
    Map<String, Arbitrary<JsonNode>> configMap = new LinkedHashMap<>();
    configMap.put("name", PolicyManifests.text(Values.dnsName()));
    configMap.put(
        "namespace",
        PolicyManifests.text(
            Values.frequently(Arbitraries.of("refit", "kube-system"), Values.fill("n", 's', 63))));
    configMap.put(
        "key",
        PolicyManifests.text(
            Values.frequently(
                Arbitraries.of("module.cil", "policy"),
                Arbitraries.strings()
                    .alpha()
                    .numeric()
                    .withChars("-._")
                    .ofMinLength(1)
                    .ofMaxLength(253))));
    Arbitrary<JsonNode> cil =
        PolicyManifests.text(
            Arbitraries.frequencyOf(
                Tuple.of(
                    20,
                    Arbitraries.of(
                        "(allow container_t nfs_t (file (read)))",
                        "(typeattributeset cil_gen_require container_t)")),
                Tuple.of(3, Values.freeText(1, 200)),
                Tuple.of(1, Values.fill("(", ' ', 65536))));
    return Values.dice(3 * Values.ODDS)
        .flatMap(
            dice -> {
              // the source inline (mostly) or from a ConfigMap; rarely both, or neither
              Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
              fields.put(
                  "priority",
                  PolicyManifests.optional(PolicyManifests.number(Values.ints(200, 999))));
              fields.put("cil", dice % 3 != 0 || dice == 0 ? cil : Arbitraries.just(null));
              fields.put(
                  "configMapRef",
                  dice % 3 == 0 || dice == 1
                      ? PolicyManifests.object(configMap)
                      : Arbitraries.just(null));
              return PolicyManifests.object(fields);
            });
  }
}
