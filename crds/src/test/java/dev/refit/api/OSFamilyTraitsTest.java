package dev.refit.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.ValidationRule;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD's admission rules name families by hand (CEL cannot call {@link OSFamily}); they must
 * name exactly the families whose traits say so. A new family, or a changed trait, fails here until
 * the rule is changed with it (CrdDriftTest then asks for the regenerated YAML).
 */
class OSFamilyTraitsTest {

  private static final Pattern QUOTED = Pattern.compile("'([A-Za-z]+)'");
  private static final Pattern IN_LIST = Pattern.compile("family in \\[([^]]*)]");
  private static final Pattern NOT_EQUAL = Pattern.compile("family != '([A-Za-z]+)'");

  @Test
  void theFamiliesThatMustBeGivenAVersionAreThoseThatAcceptNoImage() {
    String rule =
        rule(OSTarget.class, r -> r.contains("has(self.version)") && r.contains("family"));

    assertThat(familiesNamedIn(rule, IN_LIST))
        .isEqualTo(families(f -> !f.acceptsImage()))
        .allSatisfy(f -> assertThat(f.acceptsVersion()).isTrue());
  }

  @Test
  void theFamiliesThatMustBeGivenAnImageAreThoseThatAcceptNoVersion() {
    String rule = rule(OSTarget.class, r -> r.contains("has(self.image)") && r.contains("family"));

    assertThat(familiesNamedIn(rule, NOT_EQUAL))
        .isEqualTo(families(f -> !f.acceptsVersion()))
        .allSatisfy(f -> assertThat(f.acceptsImage()).isTrue());
  }

  @Test
  void theFamiliesWhosePolicyMayNotConfigureSelinuxAreThoseWhoseSelinuxIsFixed() {
    String rule =
        rule(OSUpdatePolicySpec.class, r -> r.contains("self.os.family") && r.contains("selinux"));

    assertThat(familiesNamedIn(rule, NOT_EQUAL)).isEqualTo(families(f -> !f.selinuxConfigurable()));
  }

  @Test
  void everyFamilyCanBeGivenSomeTarget() {
    assertThat(OSFamily.values())
        .allSatisfy(f -> assertThat(f.acceptsImage() || f.acceptsVersion()).isTrue());
  }

  /** The one class-level rule that matches. */
  private static String rule(Class<?> type, Predicate<String> which) {
    List<String> rules =
        Stream.of(type.getAnnotationsByType(ValidationRule.class))
            .map(ValidationRule::value)
            .filter(which)
            .toList();
    assertThat(rules).as("rules of %s", type.getSimpleName()).hasSize(1);
    return rules.get(0);
  }

  /** The families the rule names in the matched parts; each must be a real family. */
  private static Set<OSFamily> familiesNamedIn(String rule, Pattern part) {
    Set<OSFamily> named = EnumSet.noneOf(OSFamily.class);
    Matcher parts = part.matcher(rule);
    while (parts.find()) {
      Matcher names = QUOTED.matcher(parts.group(0));
      while (names.find()) {
        named.add(OSFamily.valueOf(names.group(1)));
      }
    }
    assertThat(named).as("families named in %s", rule).isNotEmpty();
    return named;
  }

  private static Set<OSFamily> families(Predicate<OSFamily> trait) {
    Set<OSFamily> found = EnumSet.noneOf(OSFamily.class);
    for (OSFamily f : OSFamily.values()) {
      if (trait.test(f)) {
        found.add(f);
      }
    }
    return found;
  }
}
