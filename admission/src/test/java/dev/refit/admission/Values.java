package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Scalar values of a policy manifest: common values most of the time, each limit often, and one
 * step past a limit rarely, so most manifests are admitted and admission still has something to
 * reject.
 */
final class Values {

  /** One draw in this many of a list element is past a rule. */
  static final int ODDS = 250;

  private Values() {}

  static <T> Tuple2<Integer, T> weight(int weight, T value) {
    return Tuple.of(weight, value);
  }

  /**
   * Valid values, or one past a rule once in {@value #ODDS} draws: rare enough that a manifest with
   * many lists is still admitted more often than not, often enough that every rule is hit.
   */
  static <T> Arbitrary<T> orRarely(Arbitrary<T> valid, Arbitrary<T> invalid) {
    return Arbitraries.frequencyOf(Tuple.of(ODDS, valid), Tuple.of(1, invalid));
  }

  /** Valid values, or one past a rule once in sixty draws: for fields that appear once. */
  static <T> Arbitrary<T> orSometimes(Arbitrary<T> valid, Arbitrary<T> invalid) {
    return Arbitraries.frequencyOf(Tuple.of(60, valid), Tuple.of(1, invalid));
  }

  /** A number from 0 to {@code max}, each as likely (jqwik's default favours the ends). */
  static Arbitrary<Integer> dice(int max) {
    return Arbitraries.integers().between(0, max).withDistribution(RandomDistribution.uniform());
  }

  /** Mostly {@code common}, a quarter of the time {@code other}. */
  static <T> Arbitrary<T> frequently(Arbitrary<T> common, Arbitrary<T> other) {
    return Arbitraries.frequencyOf(Tuple.of(3, common), Tuple.of(1, other));
  }

  /** Present in about one case in five: a part that holds the rollout when set. */
  static <T> Arbitrary<T> rarely(Arbitrary<T> value) {
    return value.injectNull(0.8);
  }

  /** One of the allowed words, or rarely a word the enum does not know. */
  static Arbitrary<String> oneOf(String... allowed) {
    return orRarely(Arbitraries.of(allowed), Arbitraries.of(allowed).map(String::toLowerCase));
  }

  /** An integer in [min, max]: anywhere, at either end, or rarely one past an end. */
  static Arbitrary<Long> ints(long min, long max) {
    return orSometimes(
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.longs().between(min, max)),
            Tuple.of(1, Arbitraries.of(min, max))),
        Arbitraries.of(min - 1, max + 1));
  }

  static Arbitrary<Long> longs(long min, long max) {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(min, max)), Tuple.of(1, Arbitraries.of(min, max)));
  }

  /** A list size: small mostly, sometimes the limit, rarely one past it. */
  static Arbitrary<Integer> size(int min, int max) {
    return orSometimes(
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.integers().between(min, Math.min(max, min + 3))),
            Tuple.of(1, Arbitraries.just(max))),
        Arbitraries.just(max + 1));
  }

  /** maxUnavailable and maxFailedNodes: small counts, the largest integer, percentages. */
  static Arbitrary<JsonNode> intOrPercent() {
    Arbitrary<JsonNode> valid =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.longs().between(1, 10).map(PolicyManifests.JSON::numberNode)),
            Tuple.of(3, Arbitraries.of(1L, 2147483647L).map(PolicyManifests.JSON::numberNode)),
            Tuple.of(
                8,
                Arbitraries.integers()
                    .between(1, 100)
                    .map(p -> PolicyManifests.JSON.textNode(p + "%"))),
            Tuple.of(2, Arbitraries.of("1%", "100%").map(PolicyManifests.JSON::textNode)));
    Arbitrary<JsonNode> invalid =
        Arbitraries.frequencyOf(
            Tuple.of(
                1,
                Arbitraries.of(0L, -1L, 2147483648L, 9007199254740993L, Long.MAX_VALUE)
                    .map(PolicyManifests.JSON::numberNode)),
            Tuple.of(
                1, Arbitraries.of("0%", "101%", "5", "%").map(PolicyManifests.JSON::textNode)));
    return orSometimes(valid, invalid);
  }

  /** A name part: label keys' names, label values (max 63), with the characters it may have. */
  static Arbitrary<String> name(int max) {
    Arbitrary<String> inner =
        Arbitraries.strings()
            .alpha()
            .numeric()
            .withChars("-_.")
            .ofMinLength(0)
            .ofMaxLength(max - 2);
    Arbitrary<Character> edge = Arbitraries.chars().alpha().numeric();
    Arbitrary<String> valid =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8)),
            Tuple.of(2, Combinators.combine(edge, inner, edge).as((a, s, b) -> a + s + b)),
            Tuple.of(1, Arbitraries.just(fillTo("n", 'x', max))));
    return orRarely(valid, Arbitraries.of(fillTo("n", 'x', max + 1), "-a", "a-", "pöol"));
  }

  /** A DNS-1123 subdomain of at most {@code max} characters (a name, a key prefix). */
  static Arbitrary<String> dnsSubdomain(int max) {
    Arbitrary<String> label =
        Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);
    String longest =
        fillTo("", 'a', 63)
            + "."
            + fillTo("", 'b', 63)
            + "."
            + fillTo("", 'c', 63)
            + "."
            + fillTo("", 'd', max - 3 * 64);
    return Arbitraries.frequencyOf(
        Tuple.of(6, label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l))),
        Tuple.of(1, Arbitraries.just(longest)));
  }

  static Arbitrary<String> dnsName() {
    return dnsSubdomain(253);
  }

  /** A label or annotation key: a few everyday keys, random ones, ones at every limit. */
  static Arbitrary<String> labelKey() {
    Arbitrary<String> valid =
        Arbitraries.frequencyOf(
            Tuple.of(
                10,
                Arbitraries.of(
                    "pool",
                    "node-role.kubernetes.io/worker",
                    "topology.kubernetes.io/zone",
                    "example.com/tier",
                    "app")),
            Tuple.of(3, name(63)),
            Tuple.of(
                3, Combinators.combine(dnsSubdomain(253), name(63)).as((p, n) -> p + "/" + n)));
    return orRarely(valid, Arbitraries.of("a/b/c", "Example.com/x", "/x", "x/"));
  }

  /** A label value: everyday ones (and the empty value), random ones, 63 characters. */
  static Arbitrary<String> labelValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of("a", "b", "c", "")), Tuple.of(3, name(63)));
  }

  /** An OS image reference: digests, ports, localhost, 512 characters; rarely unqualified. */
  static Arbitrary<String> image() {
    String digest = "@sha256:" + fillTo("", 'f', 64);
    String longest = fillTo("registry.example.com/os/", 'n', 512 - ":t".length()) + ":t";
    return orSometimes(
        Arbitraries.of(
            "quay.io/fedora/fedora-coreos:stable",
            "quay.io/fedora/fedora-coreos" + digest,
            "quay.io/fedora/fedora-coreos:stable" + digest,
            "localhost:5000/node:1",
            "localhost/os/node:latest",
            "registry.example.com:5000/os/node:41.20250101.3.0",
            longest),
        Arbitraries.of(
            "fedora/fedora-coreos:stable", "quay.io/fedora/fedora-coreos", longest + "x"));
  }

  /** An OS release version: everyday ones, random ones, 128 characters. */
  static Arbitrary<String> version() {
    Arbitrary<String> random =
        Combinators.combine(
                Arbitraries.chars().alpha().numeric(),
                Arbitraries.strings().alpha().numeric().withChars("._+~-").ofMaxLength(127))
            .as((first, rest) -> first + rest);
    return orSometimes(
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.of("41.20250101.3.0", "1.19.2", "3510.3.5")),
            Tuple.of(4, random),
            Tuple.of(2, Arbitraries.just(fillTo("9", '9', 128)))),
        Arbitraries.of(fillTo("9", '9', 129), "-1", "1 2", ""));
  }

  /** Free text (reasons, queries, CIL): ASCII, accents, CJK and emoji, up to its limit. */
  static Arbitrary<String> freeText(int min, int max) {
    Arbitrary<String> unicode =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('\u00c0', '\u024f')
            .withCharRange('\u4e00', '\u4fff')
            .withChars(" \"{}=")
            .ofMinLength(Math.max(min, 1))
            .ofMaxLength(Math.min(max, 40));
    return orRarely(
        Arbitraries.frequencyOf(
            Tuple.of(10, unicode),
            Tuple.of(2, unicode.map(s -> s.length() + 2 > max ? s : s + "\uD83D\uDE80")),
            Tuple.of(1, Arbitraries.just(fillTo("", '\u00e9', max)))),
        Arbitraries.just(fillTo("", '\u00e9', max + 1)));
  }

  /** {@code prefix} followed by {@code c} up to {@code length} characters. */
  static Arbitrary<String> fill(String prefix, char c, int length) {
    return Arbitraries.just(fillTo(prefix, c, length));
  }

  static String fillTo(String prefix, char c, int length) {
    return prefix + String.valueOf(c).repeat(Math.max(0, length - prefix.length()));
  }
}
