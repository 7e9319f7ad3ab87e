package dev.refit.updater;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.refit.updater.host.HostOutputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Host output as a tool might print it on a bad day: a recorded fixture under {@code
 * src/test/resources/host-outputs/} with a few mutations (cut short, lines lost, repeated or
 * swapped, JSON fields dropped or given another type, huge or foreign numbers, control characters
 * and unusual Unicode), lines of several fixtures spliced together, or plain random text.
 *
 * <p>The oracle is {@link #assertReadOrExplained}: a parser returns a value or throws {@link
 * HostOutputException} naming the command and what it expected; no other exception escapes.
 */
public final class HostOutputFuzz {

  private static final Path FIXTURES = Path.of("src/test/resources/host-outputs");
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  /** Strings that break careless code: control bytes, lone surrogates, odd line ends, RTL. */
  private static final List<String> GARBAGE =
      List.of(
          "\u0000",
          "\uFFFD",
          "\uD800",
          "\u001b[31m",
          "\r",
          "\t",
          "\u0085",
          "\u2028",
          "\u00a0",
          "\u202e",
          "é",
          "\uD835\uDD18",
          "{",
          "}",
          "\"",
          ":",
          "=",
          "'",
          "\\",
          "- ",
          "&a *a",
          "!!binary ",
          "\n---\n");

  /**
   * Numbers no tool prints but a parser may meet: past int, long and double, signs, other scripts.
   */
  private static final List<String> NUMBERS =
      List.of(
          "-1",
          "0",
          "2147483648",
          "9223372036854775807",
          "99999999999999999",
          "9223372036854775808",
          "99999999999999999999999999999999",
          "-9223372036854775809",
          "1e400",
          "NaN",
          "Infinity",
          "0x1F",
          "\u0663\u0664",
          "1.5",
          "");

  /** One change to a fixture. */
  enum Mutation {
    TRUNCATE,
    DELETE_LINE,
    DUPLICATE_LINE,
    SWAP_LINES,
    GARBAGE,
    NUMBER,
    BLANK_VALUE,
    CRLF,
    JSON_DROP,
    JSON_RETYPE,
    JSON_DUPLICATE
  }

  private HostOutputFuzz() {}

  /** The names of the fixtures whose names start with one of the prefixes. */
  public static List<String> fixtures(String... prefixes) {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> Arrays.stream(prefixes).anyMatch(n::startsWith))
              .sorted()
              .toList();
      assertThat(names).as("fixtures starting with %s", Arrays.toString(prefixes)).isNotEmpty();
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Output for a parser of the tool whose fixtures start with {@code prefixes}: mostly mutated
   * fixtures (some with only a number changed, so the rest still reads), some spliced fixture
   * lines, some random text.
   */
  public static Arbitrary<String> outputs(String... prefixes) {
    List<String> texts = fixtures(prefixes).stream().map(Fixtures::read).toList();
    Arbitrary<String> mutated =
        Combinators.combine(
                Arbitraries.of(texts),
                Arbitraries.of(Mutation.class).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.longs())
            .as((text, mutations, seed) -> mutate(text, mutations, new Random(seed)));
    Arbitrary<String> renumbered =
        Combinators.combine(Arbitraries.of(texts), Arbitraries.longs())
            .as((text, seed) -> mutate(text, List.of(Mutation.NUMBER), new Random(seed)));
    Arbitrary<String> spliced = Arbitraries.longs().map(seed -> splice(texts, new Random(seed)));
    Arbitrary<String> random =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(200),
            Arbitraries.strings().withChars("{}[]\":,=-# \n\tabcAB01.").ofMaxLength(200),
            Arbitraries.of("", " ", "\n", "null", "{}", "[]", "\"\"", "0", "---", "~"));
    return Arbitraries.frequencyOf(
        Tuple.of(12, mutated), Tuple.of(4, renumbered), Tuple.of(3, spliced), Tuple.of(3, random));
  }

  /** Applies the mutations in turn; each draws its position and replacement from {@code random}. */
  public static String mutate(String text, List<Mutation> mutations, Random random) {
    String out = text;
    for (Mutation mutation : mutations) {
      out = apply(mutation, out, random);
    }
    return out;
  }

  /**
   * Runs the parser on {@code input}: it must return, or throw a {@link HostOutputException} whose
   * command starts with {@code command} and that says what was expected. Any other exception is
   * rethrown as it is, so the property fails and shows it.
   */
  public static void assertReadOrExplained(String command, Parser parser, String input) {
    try {
      parser.parse(input);
    } catch (HostOutputException e) {
      assertThat(e.command()).as("the command named in: %s", e.getMessage()).startsWith(command);
      assertThat(e.expected()).as("what was expected, in: %s", e.getMessage()).isNotBlank();
      assertThat(e.getMessage()).contains(e.expected());
    }
  }

  /** A parser under test. */
  @FunctionalInterface
  public interface Parser {
    /** Parses the output; the value is not looked at. */
    Object parse(String output) throws HostOutputException;
  }

  private static String apply(Mutation mutation, String text, Random random) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int at = random.nextInt(lines.size());
    switch (mutation) {
      case TRUNCATE -> {
        return text.substring(0, random.nextInt(text.length() + 1));
      }
      case DELETE_LINE -> lines.remove(at);
      case DUPLICATE_LINE -> lines.add(random.nextInt(lines.size() + 1), lines.get(at));
      case SWAP_LINES -> {
        int other = random.nextInt(lines.size());
        String line = lines.get(at);
        lines.set(at, lines.get(other));
        lines.set(other, line);
      }
      case GARBAGE -> {
        int pos = random.nextInt(text.length() + 1);
        return text.substring(0, pos) + pick(GARBAGE, random) + text.substring(pos);
      }
      case NUMBER -> {
        List<Integer> numbered = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          if (DIGITS.matcher(lines.get(i)).find()) {
            numbered.add(i);
          }
        }
        if (numbered.isEmpty()) {
          return text + pick(NUMBERS, random);
        }
        int line = pick(numbered, random);
        lines.set(
            line,
            DIGITS
                .matcher(lines.get(line))
                .replaceAll(Matcher.quoteReplacement(pick(NUMBERS, random))));
      }
      case BLANK_VALUE -> lines.set(at, lines.get(at).replaceFirst("([=:]\\s*).*$", "$1"));
      case CRLF -> {
        return text.replace("\n", "\r\n");
      }
      case JSON_DROP, JSON_RETYPE, JSON_DUPLICATE -> {
        return mutateTree(mutation, text, random);
      }
    }
    return String.join("\n", lines);
  }

  /**
   * A JSON or YAML change, written back in the document's own syntax; plain text is cut instead.
   */
  private static String mutateTree(Mutation mutation, String text, Random random) {
    boolean json = text.strip().startsWith("{");
    ObjectMapper mapper = json ? JSON : YAML;
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (IOException | RuntimeException e) {
      return apply(Mutation.TRUNCATE, text, random);
    }
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    if (containers.isEmpty()) {
      return apply(Mutation.TRUNCATE, text, random);
    }
    JsonNode parent = pick(containers, random);
    if (parent instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      String name = pick(names, random);
      switch (mutation) {
        case JSON_DROP -> object.remove(name);
        case JSON_RETYPE -> object.set(name, strangeValue(random));
        default -> object.set(name + "-copy", object.get(name).deepCopy());
      }
    } else {
      ArrayNode array = (ArrayNode) parent;
      int index = random.nextInt(array.size());
      switch (mutation) {
        case JSON_DROP -> array.remove(index);
        case JSON_RETYPE -> array.set(index, strangeValue(random));
        default -> array.insert(index, array.get(index).deepCopy());
      }
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node == null || !node.isContainerNode()) {
      return;
    }
    if (node.size() > 0) {
      containers.add(node);
    }
    node.elements().forEachRemaining(child -> collect(child, containers));
  }

  private static JsonNode strangeValue(Random random) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (random.nextInt(12)) {
      case 0 -> f.nullNode();
      case 1 -> f.textNode("");
      case 2 -> f.textNode(pick(GARBAGE, random) + "x");
      case 3 -> f.numberNode(-1);
      case 4 -> f.numberNode(new BigInteger("99999999999999999999999999999999"));
      case 5 -> f.numberNode(random.nextBoolean() ? Long.MAX_VALUE : 99999999999999999L);
      case 6 -> f.numberNode(1.5e300);
      case 7 -> f.booleanNode(random.nextBoolean());
      case 8 -> f.arrayNode();
      case 9 -> f.objectNode();
      case 10 -> f.textNode("x".repeat(5000));
      default -> f.textNode(pick(NUMBERS, random));
    };
  }

  /** Lines drawn at random from the tool's fixtures, in random order. */
  private static String splice(List<String> texts, Random random) {
    List<String> lines = new ArrayList<>();
    for (String text : texts) {
      lines.addAll(Arrays.asList(text.split("\n")));
    }
    StringBuilder out = new StringBuilder();
    int count = 1 + random.nextInt(12);
    for (int i = 0; i < count; i++) {
      out.append(pick(lines, random)).append('\n');
    }
    return out.toString();
  }

  private static <T> T pick(List<T> items, Random random) {
    return items.get(random.nextInt(items.size()));
  }
}
