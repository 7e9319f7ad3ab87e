package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * YAML files as a person might get them wrong: a sound file with one field dropped, given another
 * type (null, a string, a list, a negative or huge number), or joined by an unknown field; or with
 * its text broken (cut short, a line lost, a tab, an unclosed bracket, a stray anchor); or random
 * text.
 *
 * <p>The oracle is {@link #assertReadOrExplained}: the loader returns, or throws {@link
 * ScenarioException} naming the file and, for a changed field, the field or one of the fields
 * around it.
 */
final class YamlFuzz {

  private static final ObjectMapper YAML = new YAMLMapper();

  /** What breaks a YAML parser, or a careless reader of its result. */
  private static final List<String> BREAKERS =
      List.of(
          "\t",
          "{",
          "[",
          "]",
          ": :",
          "&a ",
          "*nope",
          "!!binary ",
          "<<: *x\n",
          "\u0000",
          "'",
          "\"",
          "- ",
          "\n---\n",
          "? ",
          "%YAML 9\n",
          "\uFFFD",
          "é");

  /**
   * A file after the change, and the field names on the way to what changed (empty when its text
   * was broken rather than a field changed).
   */
  record Damaged(String text, List<String> fields) {
    @Override
    public String toString() {
      return "fields " + fields + ":\n" + text;
    }
  }

  /** A loader under test. */
  @FunctionalInterface
  interface Loader {
    void load(byte[] text, String origin) throws IOException;
  }

  private YamlFuzz() {}

  /** The contents of the YAML files in {@code dir} whose names pass {@code names}. */
  static List<String> files(Path dir, Predicate<String> names) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> texts =
          files
              .filter(f -> f.toString().endsWith(".yaml") && names.test(f.getFileName().toString()))
              .sorted()
              .map(YamlFuzz::read)
              .toList();
      assertThat(texts).as("YAML files in %s", dir).isNotEmpty();
      return texts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files to load: mostly one field changed, some with broken text, some random text. */
  static Arbitrary<Damaged> damaged(List<String> texts) {
    Arbitrary<Damaged> field =
        Combinators.combine(Arbitraries.of(texts), Arbitraries.longs())
            .as((text, seed) -> changeField(text, new Random(seed)));
    Arbitrary<Damaged> broken =
        Combinators.combine(
                Arbitraries.of(texts), Arbitraries.integers().between(1, 3), Arbitraries.longs())
            .as((text, times, seed) -> breakText(text, times, new Random(seed)));
    Arbitrary<Damaged> random =
        Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(120),
                Arbitraries.strings().withChars("{}[]:,-#&*!|>'\" \n\tab01").ofMaxLength(120),
                Arbitraries.of("", "~", "null", "[]", "42", "items:", "nodes:\n- ~"))
            .map(text -> new Damaged(text, List.of()));
    return Arbitraries.frequencyOf(Tuple.of(6, field), Tuple.of(3, broken), Tuple.of(1, random));
  }

  /**
   * Loads the file: it must load, or be rejected with a {@link ScenarioException} whose message
   * starts with the file's name and, when a field was changed, names it or a field around it. Any
   * other exception is thrown on as it is, so the property fails and shows it.
   */
  static void assertReadOrExplained(Loader loader, Damaged file) throws IOException {
    String origin = "fuzzed.yaml";
    try {
      loader.load(file.text().getBytes(StandardCharsets.UTF_8), origin);
    } catch (ScenarioException e) {
      assertThat(e.getMessage()).startsWith(origin + ": ").hasSizeGreaterThan(origin.length() + 8);
      if (!file.fields().isEmpty()) {
        assertThat(file.fields())
            .as("a field on the way to the change, named in: %s", e.getMessage())
            .anyMatch(e.getMessage()::contains);
      }
    }
  }

  private static Damaged changeField(String text, Random random) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<Object>> places = new ArrayList<>();
    collect(root, new ArrayList<>(), places);
    List<Object> place = places.get(random.nextInt(places.size()));
    JsonNode parent = root;
    for (Object step : place.subList(0, place.size() - 1)) {
      parent = step instanceof String name ? parent.get(name) : parent.get((Integer) step);
    }
    Object last = place.get(place.size() - 1);
    List<String> fields = new ArrayList<>();
    place.stream().filter(String.class::isInstance).map(String.class::cast).forEach(fields::add);
    int change = random.nextInt(3);
    if (parent instanceof ObjectNode object) {
      String name = (String) last;
      switch (change) {
        case 0 -> object.remove(name);
        case 1 -> object.set(name, strangeValue(object.get(name), random));
        default -> {
          object.put("bogus", 1);
          fields.add("bogus");
        }
      }
    } else {
      ArrayNode array = (ArrayNode) parent;
      int index = (Integer) last;
      switch (change) {
        case 0 -> array.remove(index);
        case 1 -> array.set(index, strangeValue(array.get(index), random));
        default -> array.insertNull(index);
      }
    }
    try {
      return new Damaged(YAML.writeValueAsString(root), fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every field and element, as the steps to reach it (field names and list indexes). */
  private static void collect(JsonNode node, List<Object> path, List<List<Object>> places) {
    if (node.isObject()) {
      node.fieldNames()
          .forEachRemaining(
              name -> {
                List<Object> here = new ArrayList<>(path);
                here.add(name);
                places.add(here);
                collect(node.get(name), here, places);
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        List<Object> here = new ArrayList<>(path);
        here.add(i);
        places.add(here);
        collect(node.get(i), here, places);
      }
    }
  }

  /** Another value for {@code old}: its negation if it is a number, or one of another type. */
  private static JsonNode strangeValue(JsonNode old, Random random) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (old.isNumber() && random.nextBoolean()) {
      return f.numberNode(old.decimalValue().negate());
    }
    return switch (random.nextInt(11)) {
      case 0 -> f.nullNode();
      case 1 -> f.textNode("");
      case 2 -> f.textNode("text");
      case 3 -> f.numberNode(-1);
      case 4 -> f.numberNode(new BigInteger("99999999999999999999999"));
      case 5 -> f.numberNode(Integer.MAX_VALUE);
      case 6 -> f.numberNode(1.5);
      case 7 -> f.booleanNode(true);
      case 8 -> f.arrayNode().add(f.nullNode());
      case 9 -> f.objectNode().put("bogus", 1);
      default -> f.arrayNode();
    };
  }

  private static Damaged breakText(String text, int times, Random random) {
    String out = text;
    for (int i = 0; i < times; i++) {
      List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n", -1)));
      int at = random.nextInt(lines.size());
      switch (random.nextInt(4)) {
        case 0 -> out = out.substring(0, random.nextInt(out.length() + 1));
        case 1 -> {
          lines.remove(at);
          out = String.join("\n", lines);
        }
        case 2 -> {
          lines.set(at, " ".repeat(1 + random.nextInt(3)) + lines.get(at));
          out = String.join("\n", lines);
        }
        default -> {
          int pos = random.nextInt(out.length() + 1);
          out =
              out.substring(0, pos)
                  + BREAKERS.get(random.nextInt(BREAKERS.size()))
                  + out.substring(pos);
        }
      }
    }
    return new Damaged(out, List.of());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
